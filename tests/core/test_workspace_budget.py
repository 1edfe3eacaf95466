"""The workspace budget (core.scenario_file.MAX_RECORDS): what a workspace
may hold, so that whatever the app holds it can save and autosave."""
from __future__ import annotations

import dataclasses
import json

import pytest

from core.parameters import PLAN_MAX_MONTH, PlannedDemand, PlannedInvoice
from core.presets import default_scenario
from core.scenario_file import (MAX_FILE_BYTES, MAX_NAME_LENGTH, MAX_RECORDS, MAX_SCENARIOS,
                                ScenarioFileError, ScenarioSet,
                                encode_file, over_budget, read_scenarios, records_in)

ESCAPED = "\x01"   # JSON writes it as \u0001: 6 bytes, the most any character takes


def longest_field(record, name: str) -> int:
    return dataclasses.fields(record)[[f.name for f in dataclasses.fields(record)]
                                      .index(name)].metadata["max_length"]


def worst_scenario(index: int, tranches: int):
    """A scenario at its longest: every text at its longest in escaped characters,
    every number with 17 significant digits, both monthly plans full."""
    base = default_scenario()
    gpu = base.hardware.gpu_models[0]
    gpu = dataclasses.replace(
        gpu, name=f"{index:03d}".ljust(longest_field(gpu, "name"), ESCAPED), it_kw_per_gpu=1 / 3,
        bf16_dense_tflops=1000 / 7, hbm_gb=100 / 9, capex_per_gpu=1e6 / 11, tokens_per_s=1e4 / 13)
    tranche = base.hardware.tranches[0]
    tranche = dataclasses.replace(
        tranche, name=ESCAPED * longest_field(tranche, "name"),
        site=ESCAPED * longest_field(tranche, "site"), gpu_model=gpu.name, gpu_count=9_999_999)
    term = PLAN_MAX_MONTH
    contract = dataclasses.replace(
        base.contract, term_months=term,
        invoice_plan=tuple(PlannedInvoice(m, 1e9 / 3) for m in range(1, term + 1)))
    projections = dataclasses.replace(
        base.projections, demand_plan=tuple(PlannedDemand(m, 1e15 / 3) for m in range(1, term + 1)))
    return dataclasses.replace(
        base, name=f"{index:03d}".ljust(MAX_NAME_LENGTH, ESCAPED), contract=contract,
        projections=projections,
        hardware=dataclasses.replace(base.hardware, gpu_models=(gpu,), tranches=(tranche,) * tranches))


def test_the_largest_workspace_the_budget_allows_can_be_saved():
    per_scenario = MAX_RECORDS // MAX_SCENARIOS - 1          # and one GPU model each
    workspace = ScenarioSet(tuple(worst_scenario(i, per_scenario) for i in range(MAX_SCENARIOS)))
    assert records_in(workspace.scenarios) == MAX_RECORDS
    data = encode_file(workspace)          # refused (ScenarioSaveError) over MAX_FILE_BYTES
    assert len(data) < MAX_FILE_BYTES      # 13.5 MB when measured


def test_a_file_over_the_budget_is_refused_before_its_records_are_read(tmp_path):
    """The issue's 120,000-tranche workspace: refused in one line saying the limit
    (the records are not even valid: they are counted, not decoded)."""
    document = {"format": "compute-deal-modeler/scenarios", "version": 3, "active": 0,
                "scenarios": [{"hardware": {"tranches": [{}] * (MAX_RECORDS - 2),
                                            "gpu_models": [{}] * 3}}]}
    path = tmp_path / "big.cdm.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ScenarioFileError) as refused:
        read_scenarios(path)
    message = str(refused.value)
    assert f"{MAX_RECORDS + 1:,} tranches and GPU models in all" in message
    assert f"at most {MAX_RECORDS:,}" in message and "\n" not in message


def test_over_budget_says_nothing_within_it():
    assert over_budget(MAX_RECORDS) is None
    assert "at most 6,000" in over_budget(MAX_RECORDS + 1)
