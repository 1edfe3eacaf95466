"""The workbook's market: each forward path as live formulas (the Schedule's
market value and mark-to-market recalculated by LibreOffice equal the app's),
and the simulated rights as values labelled with their paths and seed."""
from __future__ import annotations

import dataclasses

import numpy as np
import openpyxl
import pytest

from core import rights
from core.engine import compute
from core.export.workbook import write_workbook
from core.parameters import FORWARD_IMPORTED, FORWARD_QUOTES, PlannedRent
from core.presets import default_scenario
from tests.helpers import libreoffice


def _quotes():
    s = default_scenario()
    rows = tuple(dataclasses.replace(r, quote_1_month=r.rent_per_gpu_hour * 1.3,
                                     quote_1_year=r.rent_per_gpu_hour * 1.1)
                 for r in s.market.rents)
    return s.with_changes("market", rents=rows, forward_path=FORWARD_QUOTES)


CASES = {
    "yearly": lambda: default_scenario().with_changes("market", rent_change_pct_per_year=-20.0),
    "quotes": _quotes,
    "imported": lambda: default_scenario().with_changes(
        "market", forward_path=FORWARD_IMPORTED, rent_change_pct_per_year=-10.0,
        rent_curve=(PlannedRent(2, "H200", 9.0), PlannedRent(5, "H100 SXM", 1.0))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_forward_path_recalculates_to_the_apps_market_figures(tmp_path, name):
    scenario = CASES[name]()
    results = compute(scenario)
    valued = rights.value_rights(scenario, paths=200, seed=9)
    path = tmp_path / f"{name}.xlsx"
    write_workbook(results, path, months=40, rights=valued)
    book = openpyxl.load_workbook(libreoffice(tmp_path, path, "xlsx"), data_only=True)
    sheet = book["Schedule"]
    headers = [c.value for c in sheet[1]]

    def column(header: str) -> np.ndarray:
        col = headers.index(header) + 1
        return np.array([sheet.cell(row=2 + i, column=col).value for i in range(36)], float)
    # The app's figures (core/market.py) against the workbook's own formulas.
    assert column("Cloud cost ($)") == pytest.approx(results.schedule.cloud_cost, rel=1e-12)
    assert column("Buyer's mark-to-market ($)") == pytest.approx(results.schedule.buyer_mtm,
                                                                 rel=1e-12)
    names = {n: d.attr_text for n, d in book.defined_names.items()}
    cell = names["BuyerMarkToMarket"].split("!")[1].replace("$", "")
    assert book["Key figures"][cell].value == pytest.approx(
        results.key_figures.buyer_mark_to_market, rel=1e-12)
    market = book["Market"]
    assert "200 simulated market paths, seed 9" in market["A2"].value
    assert market["B5"].value == pytest.approx(valued.buyer_alone)
    # The seven simulated figures in rows 5-11 (the expected contract value on the
    # simulated rights among them, labelled), a blank row, then the check.
    rows = {market[f"A{r}"].value: market[f"B{r}"].value for r in range(5, 12)}
    assert rows["Expected contract value (simulated rights)"] == pytest.approx(
        valued.expected_contract_value)
    assert market["B13"].value == "yes"     # the inputs are those simulated on
