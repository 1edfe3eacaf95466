"""The scenario's assumptions as plain rows, for every export's tables.

Read from the parameter dataclasses' metadata, so a parameter added to
core/parameters.py appears in every export without changes here.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from core.formatting import format_money
from core.parameters import Scenario, choice_text

SECTION_TITLES = {"contract": "Contract terms", "hardware": "Cluster hardware",
                  "projections": "Projections", "market": "Market"}


@dataclass(frozen=True)
class Assumption:
    section: str        # "contract"
    name: str           # "monthly_fee"
    label: str          # "Monthly fee"
    value: Any          # 1.25e9, a date, or text
    unit: str           # "$"
    kind: str           # number, text, choice or date

    @property
    def key(self) -> str:
        """A spreadsheet-safe name: contract_monthly_fee."""
        return f"{self.section}_{self.name}"

    @property
    def display(self) -> str:
        return display_value(self.value, self.unit, self.kind)


@dataclass(frozen=True)
class AssumptionTable:
    """A list of records, such as the capacity tranches."""
    section: str
    name: str
    title: str
    fields: tuple[str, ...]        # field names of the records
    columns: tuple[str, ...]       # labels
    units: tuple[str, ...]
    kinds: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


# Sections with no formulas in the workbook yet (each of its inputs feeds one):
# the workbook leaves their inputs out and a workbook import takes their
# defaults.  None today (counterparty credit has the Credit sheet).
NOT_IN_WORKBOOK: tuple[str, ...] = ()


def display_value(value: Any, unit: str = "", kind: str = "number") -> str:
    if kind == "date" or isinstance(value, dt.date):
        return value.isoformat()
    if kind != "number":
        return str(value)
    if unit == "$":
        return format_money(value, digits=4, trim=True)
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    return f"{number} {unit}".rstrip()


def _section_title(section: str) -> str:
    return SECTION_TITLES.get(section, section.replace("_", " ").capitalize())


# Record tables' titles where capitalising the field name would be wrong ("Gpu models").
TABLE_TITLES = {"gpu_models": "GPU models", "tranches": "Tranches", "rents": "Market rents",
                "rent_curve": "Imported rent curve"}


def _title(name: str) -> str:
    return TABLE_TITLES.get(name) or name.replace("_", " ").capitalize()


def scalar_assumptions(scenario: Scenario) -> list[Assumption]:
    """Every user-editable scalar, section by section, in declaration order."""
    rows = []
    for section in scenario.SECTIONS:
        part = getattr(scenario, section)
        for f in dataclasses.fields(part):
            meta = f.metadata
            if "kind" not in meta:
                continue
            value = getattr(part, f.name)
            if meta["kind"] == "choice":
                value = choice_text(meta, value)   # reports show the text, not the stored value
            rows.append(Assumption(section, f.name, meta["label"], value,
                                   meta.get("unit", ""), meta["kind"]))
    return rows


def record_tables(scenario: Scenario) -> list[AssumptionTable]:
    """Fields that hold a tuple of records (GPU models, tranches), as tables."""
    tables = []
    for section in scenario.SECTIONS:
        part = getattr(scenario, section)
        for f in dataclasses.fields(part):
            value = getattr(part, f.name)
            if "kind" in f.metadata or not isinstance(value, tuple):
                continue
            records = [r for r in value if dataclasses.is_dataclass(r) and not isinstance(r, type)]
            record_type = type(records[0]) if records else None
            if record_type is None:
                # An empty tuple: take the columns from the declared element type if we can.
                continue
            columns = [g for g in dataclasses.fields(record_type) if "kind" in g.metadata]
            tables.append(AssumptionTable(
                section, f.name, _title(f.name),
                tuple(g.name for g in columns),
                tuple(g.metadata["label"] for g in columns),
                tuple(g.metadata.get("unit", "") for g in columns),
                tuple(g.metadata["kind"] for g in columns),
                tuple(tuple(getattr(r, g.name) for g in columns) for r in records)))
    return tables


def section_title(section: str) -> str:
    return _section_title(section)
