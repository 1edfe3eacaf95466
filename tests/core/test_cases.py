"""Named cases: base, upside and downside with the weights the user sets,
stored in the scenario file, side by side in the pack with the
probability-weighted figure (core/cases.py)."""
from __future__ import annotations

import dataclasses
import json
import math

import pytest

from core.cases import case_scenario, case_table, default_cases, weighted_figure
from core.engine import compute
from core.export.pack import PackInputs, board_pack
from core.parameters import Case, CaseChange, ParameterError
from core.presets import default_scenario
from core.scenario_file import ScenarioFileError, ScenarioSet, dumps, loads

FEE = "contract.monthly_fee"


def _with_cases(*cases):
    return dataclasses.replace(default_scenario(), cases=cases)


def test_the_weighted_figure_is_the_weighted_mean():
    # (0.50 x 10 + 0.25 x 20 + 0.25 x -5) / 1.00 = 5 + 5 - 1.25 = 8.75
    assert weighted_figure([10.0, 20.0, -5.0], [50.0, 25.0, 25.0]) == pytest.approx(8.75)
    # Weights need not sum to 100: (2 x 10 + 1 x 40) / 3 = 20
    assert weighted_figure([10.0, 40.0], [2.0, 1.0]) == pytest.approx(20.0)
    assert math.isnan(weighted_figure([10.0, 20.0], [0.0, 0.0]))       # nothing weighted
    assert math.isnan(weighted_figure([10.0, math.nan], [50.0, 50.0]))  # an n/a case
    assert weighted_figure([10.0, math.nan], [100.0, 0.0]) == 10.0      # an n/a case unweighted


def test_cases_of_the_fee_weigh_the_contract_value_by_hand():
    """The reference deal bills the fee for 36 months with no escalator and no
    credits (availability 100%): $1.0B, $1.25B and $1.5B a month are $36.0B,
    $45.0B and $54.0B.  Weighted 60 / 30 / 10: 21.6 + 13.5 + 5.4 = $40.5B."""
    scenario = _with_cases(Case("Downside", 60.0, (CaseChange(FEE, 1.0e9),)),
                           Case("Base", 30.0, ()),
                           Case("Upside", 10.0, (CaseChange(FEE, 1.5e9),)))
    table = case_table(scenario, ("total_contract_value",))
    assert table.values["total_contract_value"] == pytest.approx((36.0e9, 45.0e9, 54.0e9))
    assert table.weighted["total_contract_value"] == pytest.approx(40.5e9)
    assert table.rows()[0] == ("Total contract value", "$36.0B", "$45.0B", "$54.0B", "$40.5B")


def test_a_case_is_the_scenario_with_its_inputs_changed():
    case = Case("Short", 100.0, (CaseChange("contract.term_months", 24.0),))
    changed = case_scenario(default_scenario(), case)
    assert changed.contract.term_months == 24 and isinstance(changed.contract.term_months, int)
    assert compute(changed).key_figures.total_contract_value == pytest.approx(24 * 1.25e9)


def test_default_cases_move_the_sides_largest_swings_each_way():
    cases = default_cases(default_scenario(), "provider_npv")
    assert [c.name for c in cases] == ["Base", "Upside", "Downside"]
    assert [c.weight_pct for c in cases] == [50.0, 25.0, 25.0]
    upside, downside = dict((ch.input, ch.value) for ch in cases[1].changes), \
        dict((ch.input, ch.value) for ch in cases[2].changes)
    # The provider gains from a higher fee and a longer term: +20% is its upside.
    assert upside[FEE] == 1.5e9 and downside[FEE] == 1.0e9
    assert upside["contract.term_months"] == 43 and downside["contract.term_months"] == 29
    table = case_table(_with_cases(*cases), ("provider_npv",))
    base, up, down = table.values["provider_npv"]
    assert down < base < up


def test_cases_are_saved_and_a_file_without_them_still_loads():
    scenario = _with_cases(Case("Base", 50.0, ()), Case("Upside", 50.0, (CaseChange(FEE, 1.5e9),)))
    text = dumps(ScenarioSet((scenario,)))
    document = json.loads(text)
    assert document["scenarios"][0]["cases"][1] == {
        "name": "Upside", "weight_pct": 50.0, "changes": [{"input": FEE, "value": 1.5e9}]}
    assert loads(text).current == scenario
    # A file without cases (format 3, as every file before them): no cases.
    del document["scenarios"][0]["cases"]
    assert loads(json.dumps(document)).current.cases == ()
    # ... and a scenario without cases is written as before, with no "cases" at all.
    assert '"cases"' not in dumps(ScenarioSet((default_scenario(),)))


@pytest.mark.parametrize("change, message", [
    ({"input": "contract.buyer", "value": 1.0}, "'contract.buyer' is not a numeric input"),
    ({"input": FEE, "value": -5.0}, "Monthly fee must be between"),
])
def test_a_bad_case_is_refused_naming_the_field(change, message):
    document = json.loads(dumps(ScenarioSet((_with_cases(Case("Base", 50.0, ())),))))
    document["scenarios"][0]["cases"][0]["changes"] = [change]
    with pytest.raises(ScenarioFileError) as error:
        loads(json.dumps(document))
    assert message in str(error.value) and "scenarios[0].cases" in str(error.value)
    assert "\n" not in str(error.value)


def test_a_weight_outside_0_to_100_is_refused():
    with pytest.raises(ParameterError, match="Weight must be between"):
        Case("Base", 120.0, ())


def test_the_pack_shows_the_cases_side_by_side_with_the_weighted_figure():
    scenario = _with_cases(Case("Downside", 60.0, (CaseChange(FEE, 1.0e9),)),
                           Case("Base", 30.0, ()),
                           Case("Upside", 10.0, (CaseChange(FEE, 1.5e9),)))
    results = compute(scenario)
    sections = board_pack(PackInputs(results, "provider"), ("risk",))
    cases = next(s for s in sections if s.key == "cases")
    table = cases.tables[0]
    assert table.headers == ("Figure", "Downside (60%)", "Base (30%)", "Upside (10%)", "Weighted")
    assert ("Total contract value", "$36.0B", "$45.0B", "$54.0B", "$40.5B") in table.rows
    assert [row[0] for row in table.rows] == ["Total contract value", "Provider NPV",
                                              "Provider EBITDA"]
    assert cases.title.startswith("Weighted over its 3 cases, Provider NPV is")
    assert "Downside (60%): monthly fee $1B." in cases.sentences
    assert not any(s.key == "cases" for s in board_pack(
        PackInputs(compute(default_scenario()), "provider"), ("risk",)))
