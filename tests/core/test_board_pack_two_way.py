"""The two-way table in the board pack: the deck's slide draws the heat map
(a cell a value, the contour, the base case's star), its title states the
finding with the thresholds goal seek finds, and its table's numbers are the
engine's.  Read back with python-pptx."""
from __future__ import annotations

import re

import numpy as np
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE

from core import figures
from core.engine import compute
from core.export.files import write_file_export
from core.export.grid_chart import colour_of, contour_segments, table_rows
from core.export.pack import BUILDERS, PackInputs, RiskAnalysis, board_pack
from core.presets import default_scenario
from core.solve import numeric_input, with_input
from core.sweep import Axis, SweepSpec

FEE, UTIL = "contract.monthly_fee", "hardware.utilization_pct"
AVAIL = "hardware.availability_pct"
# 0.625B .. 1.875B in steps of 0.3125B; 30 % .. 90 % in steps of 15.
SPEC = SweepSpec("buyer_npv", Axis(FEE, 0.625e9, 1.875e9, 5), Axis(UTIL, 30.0, 90.0, 5), 0.0)


@pytest.fixture(scope="module")
def results():
    return compute(default_scenario())


def _two_way(results, perspective="buyer", sweep=SPEC):
    sections = board_pack(PackInputs(results, perspective, RiskAnalysis(), sweep=sweep),
                          tuple(BUILDERS))
    return sections, next(s for s in sections if s.key == "two_way")


def _buyer_npv(fee: float, utilization: float) -> float:
    scenario = with_input(with_input(default_scenario(), numeric_input(FEE), fee),
                          numeric_input(UTIL), utilization)
    return compute(scenario).key_figures.buyer_npv


def test_contour_of_a_plane_is_the_line_where_it_crosses():
    # values = column - 1.5 on a 3 x 4 grid: zero half-way between columns 1
    # and 2 in every row, so one vertical segment per row pair at x = 1.5.
    values = np.tile(np.arange(4.0) - 1.5, (3, 1))
    segments = sorted(contour_segments(values, 0.0))
    assert segments == [(1.5, 0.0, 1.5, 1.0), (1.5, 1.0, 1.5, 2.0)]
    # A level no value reaches draws nothing; an undefined corner skips its square.
    assert contour_segments(values, 10.0) == []
    values[0, 1] = np.nan
    assert sorted(contour_segments(values, 0.0)) == [(1.5, 1.0, 1.5, 2.0)]


def test_colours_diverge_about_the_threshold():
    colours = colour_of(np.array([-2.0, 0.0, 2.0, np.nan]), 0.0, 2.0)
    # The map's ends (RdBu's red and blue), white at the threshold, grey if undefined.
    assert list(colours) == ["#B2182B", "#F7F7F7", "#2166AC", "#BDBDBD"]


def test_section_states_the_finding_with_exact_thresholds(results):
    sections, section = _two_way(results)
    keys = [s.key for s in sections]
    assert keys.index("alternatives") < keys.index("two_way") < keys.index("warnings")
    match = re.fullmatch(r"Buyer NPV stays positive unless monthly fee rises above \$([\d.]+)B "
                         r"or utilization falls below ([\d.]+) %", section.title)
    assert match, section.title
    fee, util = float(match[1]) * 1e9, float(match[2])
    # The thresholds, to the title's rounding: the buyer's NPV changes sign there
    # with the other input at its base (fee $1.25B, utilization 60 %).
    assert _buyer_npv(fee - 0.01e9, 60.0) > 0 > _buyer_npv(fee + 0.01e9, 60.0)
    assert _buyer_npv(1.25e9, util + 0.1) > 0 > _buyer_npv(1.25e9, util - 0.1)
    assert not any("default" in s for s in section.sentences)


def test_deck_slide_draws_the_map_and_the_table_holds_the_engines_numbers(results, tmp_path):
    sections, section = _two_way(results)
    path = tmp_path / "deck.pptx"
    write_file_export(results, path, sections=sections)
    deck = Presentation(str(path))
    slides = [s for s in deck.slides
              if any(sh.has_text_frame and sh.text_frame.text.startswith("TWO-WAY TABLE")
                     for sh in s.shapes)]
    assert len(slides) == 2                     # the map, then its numbers
    map_slide, table_slide = slides
    texts = [sh.text_frame.text for sh in map_slide.shapes if sh.has_text_frame]
    assert section.title in texts
    rectangles = [sh for sh in map_slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
                  and sh.auto_shape_type == MSO_SHAPE.RECTANGLE]
    assert len(rectangles) == 25 + 5            # a cell a value, and the colour key's five
    # Each cell (copied from the first: core.export.deck._add_cells) has its own id and
    # place, and its value's colour inside and out, row 0 (lowest y) at the bottom.
    ids = [sh.shape_id for sh in map_slide.shapes]
    assert len(ids) == len(set(ids))
    heat = section.heat_maps[0]
    cells = rectangles[:25]
    for k, cell in enumerate(cells):
        i, j = divmod(k, 5)
        colour = heat.colours[i][j].lstrip("#").upper()
        assert str(cell.fill.fore_color.rgb) == colour and str(cell.line.color.rgb) == colour
        assert cell.left == cells[j].left and cell.top == cells[5 * i].top
    assert cells[0].top > cells[5].top and cells[1].left > cells[0].left
    assert sum(sh.name == "Base case" for sh in map_slide.shapes) == 1
    lines = [sh for sh in map_slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.LINE]
    assert lines                                # the contour: NPV crosses zero on this grid
    assert "Black line: Buyer NPV = $0.00" in "\n".join(texts)
    table = next(sh.table for sh in table_slide.shapes if sh.has_table)

    def text(r, c):
        """A cell's text as read aloud: its non-breaking spaces and joiners as plain text."""
        return table.cell(r, c).text.replace("\u00a0", " ").replace("\u2060", "")
    headers = [text(0, c) for c in range(6)]
    assert headers[1:] == ["$625M", "$938M", "$1.25B", "$1.56B", "$1.88B"]
    # Rows from the highest utilization down; every number is compute()'s.
    for r, util in enumerate((90.0, 75.0, 60.0, 45.0, 30.0), start=1):
        assert text(r, 0) == f"{util:.0f} %"
        for c, fee in enumerate((0.625e9, 0.9375e9, 1.25e9, 1.5625e9, 1.875e9), start=1):
            assert text(r, c) == figures.format_value("buyer_npv",
                                                                 _buyer_npv(fee, util))


def test_without_a_sweep_the_pack_uses_the_perspectives_default(results):
    _sections, section = _two_way(results, "provider", sweep=None)
    grid = section.heat_maps[0].grid
    assert grid.figure == "provider_npv"
    # The provider's NPV does not read utilization: its default's second input is
    # availability, and the pack says what the table is (not "no table was set up").
    assert grid.y_input == AVAIL
    assert ("Provider NPV over monthly fee and availability, each from half to one and a "
            "half times its value." in section.sentences)
    assert not any("No two-way table" in s for s in section.sentences)
    # The default grid (fee 0.5x to 1.5x, availability 50% to 100%) keeps the
    # provider's NPV positive: its lowest corner, worked out by compute, is above zero.
    low = compute(with_input(with_input(default_scenario(), numeric_input(FEE), 0.625e9),
                             numeric_input(AVAIL), 50.0)).key_figures.provider_npv
    assert low > 0
    assert section.title.startswith("Provider NPV stays positive across the whole grid")


def test_an_app_table_of_the_other_sides_figure_is_not_carried(results):
    """The PDF from `export --perspective provider` carried the buyer's NPV table
    (the sweep tab's default) while the deck carried the provider's."""
    _sections, section = _two_way(results, "provider", sweep=SPEC)
    assert section.heat_maps[0].grid.figure == "provider_npv"
    _sections, section = _two_way(results, "buyer", sweep=SPEC)
    assert section.heat_maps[0].grid.figure == "buyer_npv"
    assert section.heat_maps[0].grid.x[0] == 0.625e9     # the app's own table


def test_a_large_grid_is_thinned_for_the_pack_and_says_so(results):
    big = SweepSpec("buyer_npv", Axis(FEE, 0.625e9, 1.875e9, 60), Axis(UTIL, 30.0, 90.0, 41))
    _sections, section = _two_way(results, sweep=big)
    assert section.heat_maps[0].shape == (25, 25)
    assert "Shown at 25 x 25 values (the app's table has 60 x 41)." in section.sentences
    headers, rows, thinned = table_rows(section.heat_maps[0].grid)
    # Every 3rd of the 25 values, in even steps (test_the_numbers_table_picks_...).
    assert thinned and len(headers) == 10 and len(rows) == 9
    assert headers[1] == "$625M" and headers[-1] == "$1.88B"   # both ends kept
    assert section.tables[0].title == "Buyer NPV at 9 x 9 of the grid's values"


def test_the_numbers_table_picks_values_in_even_steps():
    """25 grid values shown at most 11: every 3rd (24 / 3 = 8 steps, 9 values),
    even steps as the map's; 11 picked by rounding gave steps of 2 and 3 cells
    (90, 85, 77.5, 72.5 % utilization).  21 values: every 2nd, 11 values.  23
    values (22 = 2 x 11): every 11th leaves 3, too few; every 3rd and the last."""
    from core.export.grid_chart import even_picks
    assert list(even_picks(25, 11)) == [0, 3, 6, 9, 12, 15, 18, 21, 24]
    assert list(even_picks(21, 11)) == list(range(0, 21, 2))
    assert list(even_picks(23, 11)) == [0, 3, 6, 9, 12, 15, 18, 21, 22]
    assert list(even_picks(7, 11)) == list(range(7))
