"""Presentation mode and themes, driven with keys, clicks and menus."""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from tests.ui.conftest import settle  # noqa: F401  (fixture module)
from ui.plots.common import PlotPanel
from ui.look.themes import THEMES, theme_manager


def present(qtbot, window):
    window.activateWindow()
    window.presentation_action.trigger()
    presentation = window.presentation_mode.current
    assert presentation is not None
    qtbot.waitExposed(presentation)
    qtbot.wait(20)
    return presentation


def test_f5_enters_full_screen_and_esc_leaves(qtbot, window):
    assert window.presentation_action.shortcut().toString() == "F5"
    presentation = present(qtbot, window)
    # Offscreen Qt may not report the state; the window covers the screen either way.
    screen = presentation.screen().geometry()
    assert presentation.isFullScreen() or presentation.geometry() == screen, \
        (presentation.windowState(), presentation.geometry(), screen)
    # No input panels: only plots and figure cards.
    assert not presentation.findChildren(type(window.tab("contract").form))
    assert presentation.cards.values[0].text() == "$45.0B"
    qtbot.keyClick(presentation, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    assert not presentation.isVisible()
    assert window.isVisible()


def test_keys_and_clicks_step_through_the_views(qtbot, window):
    presentation = present(qtbot, window)
    keys = presentation.view_keys
    # The deal on a page, the summary, then the buyer's slides declared in ui/registry.py,
    # in tab order; risk borrowed; no comparison with one scenario
    # (tests/ui/test_presentation_fits.py).
    assert keys == ["deal", "summary", "contract", "capacity", "unit_economics", "economics_buyer",
                    "termination", "alternatives", "risk"]
    seen = [presentation.current_key]
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
        qtbot.keyClick(presentation, key)
        seen.append(presentation.current_key)
    assert seen == ["deal", "summary", "contract", "capacity"]
    qtbot.keyClick(presentation, Qt.Key.Key_End)
    assert presentation.current_key == keys[-1]
    assert presentation.step_label.text() == f"{len(keys)} / {len(keys)}"
    assert not presentation.next_button.isEnabled()
    qtbot.keyClick(presentation, Qt.Key.Key_Left)
    assert presentation.current_key == keys[-2]
    qtbot.keyClick(presentation, Qt.Key.Key_Home)
    qtbot.mouseClick(presentation.next_button, Qt.MouseButton.LeftButton)
    assert presentation.current_key == "summary"
    qtbot.mouseClick(presentation.previous_button, Qt.MouseButton.LeftButton)
    assert presentation.current_key == "deal"
    presentation.close()


def test_the_summary_heads_and_follows_the_perspective(qtbot, window):
    from core.summary import summary_sentences
    presentation = present(qtbot, window)
    assert presentation.view_keys[1] == "summary"
    text = presentation.summary.body.text()
    # 12 months paid ($15.0B) + notice to 30 August ($1.25B x (2 + 29/31) = $3.67B): $18.7B.
    assert "the buyer has paid $15.0B to date and leaving adds $3.67B" in text
    assert presentation.summary.sentences[0] == summary_sentences(
        window.binding.results, "buyer")[0]
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    window.key_figures.switch.set_perspective("provider")
    presentation = present(qtbot, window)
    assert "economics_provider" in presentation.view_keys
    assert "economics_buyer" not in presentation.view_keys
    assert "The provider's NPV is $38.0B" in presentation.summary.body.text()
    assert "the buyer has paid" not in presentation.summary.body.text()
    presentation.close()


def test_presentation_opens_on_the_deal_on_a_page_of_the_pack(qtbot, window):
    """The first page is the pack's deal on a page (core.export.pack.deal_section,
    as the PDF's page 1 and the deck's first slide) for the side the switch
    shows: its headline is the pack's, the cards give way to its key-figure
    table, and stepping on reaches the summary, then the first tab's slide."""
    from ui.boardroom.board_pack import window_pack
    for side, party in (("buyer", "Anthropic"), ("provider", "SpaceX (xAI)")):
        window.key_figures.switch.set_perspective(side)
        presentation = present(qtbot, window)
        assert presentation.current_key == "deal"
        deal = presentation.deal
        # The Risk tab's simulation, run on entry, ends the verdict: wait for it.
        qtbot.waitUntil(lambda: window.tab("risk").simulation_result is not None,
                        timeout=15000)
        qtbot.wait(200)
        pack = window_pack(window, side)
        assert pack[0].key == "deal"
        assert deal.headline_text == pack[0].title
        assert deal.kicker.text() == pack[0].kicker
        assert deal.kicker.text().endswith(f"for {party}, the {side}")
        assert [c.text() for c in deal.key_figures.cells[:2]] == list(pack[0].tables[1].rows[0])
        assert not presentation.cards.isVisible()
        qtbot.keyClick(presentation, Qt.Key.Key_Right)
        assert presentation.current_key == "summary"
        assert presentation.cards.isVisible()
        qtbot.keyClick(presentation, Qt.Key.Key_Right)
        assert presentation.current_key == ("contract" if side == "buyer" else
                                            presentation.view_keys[2])
        presentation.close()
        qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)


def test_risk_is_run_on_entry_and_its_type_is_restored_on_leaving(qtbot, window):
    risk = window.tab("risk")
    fan = risk.fan_chart
    before = (fan.title.font().pixelSize(), fan.title.font().pointSizeF(),
              fan.plot.getAxis("left").style["tickFont"], fan.plot.getAxis("left").maximumWidth())
    assert risk.simulation_result is None
    presentation = present(qtbot, window)
    # Run on entry: the risk slide has its simulation before it is reached.
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=10000)
    assert len(risk.histogram.items["bars"].opts["height"]) > 1          # a histogram, not one bar
    assert "chance of a loss" in presentation.summary.body.text()
    assert fan.plot.getAxis("left").style["tickFont"] is not None   # projector type
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    after = (fan.title.font().pixelSize(), fan.title.font().pointSizeF(),
             fan.plot.getAxis("left").style["tickFont"], fan.plot.getAxis("left").maximumWidth())
    assert after == before


def test_presentation_follows_edits_and_gives_borrowed_views_back(qtbot, window):
    risk = window.tab("risk")
    risk_results = risk.widget(1)          # right of the inputs
    compare = window.tab("compare")
    compare_index = window.tabs.indexOf(compare)
    window.workspace.duplicate()         # two scenarios: the comparison has a slide
    window.workspace.switch(0)
    settle(qtbot, window)
    presentation = present(qtbot, window)
    # Borrowed: shown in the presentation, gone from the window meanwhile.
    assert presentation.stack.indexOf(risk_results) >= 0
    assert presentation.stack.indexOf(compare) >= 0
    assert window.tabs.indexOf(compare) == -1
    window.binding.set_values("contract", monthly_fee=2.0e9)
    qtbot.waitUntil(lambda: presentation.cards.values[0].text() == "$72.0B", timeout=2000)
    curve = presentation.plots["contract"].item("payment").opts["height"]
    assert curve[0] == 2.0e9
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    # Given back where they were.
    assert risk.widget(1) is risk_results
    assert window.tabs.indexOf(compare) == compare_index
    assert window.tabs.tabText(compare_index) == "Compare scenarios"


def test_type_is_large_enough_for_a_projector(qtbot, window):
    presentation = present(qtbot, window)
    for width, height in ((1920, 1080), (1280, 720)):
        presentation.showNormal()
        presentation.resize(width, height)
        qtbot.wait(30)
        value_px = presentation.cards.values[0].font().pixelSize()
        tick_px = presentation.panels()[0].plot.getAxis("left").style["tickFont"].pixelSize()
        # At least 1/40 of the height for plot text, twice that for the figures.
        assert tick_px >= height / 48 and value_px >= height / 24, (width, value_px, tick_px)
    presentation.close()


def background(panel: PlotPanel) -> str:
    return panel.plot_widget.backgroundBrush().color().name().upper()


def test_theme_menu_restyles_widgets_and_plots_live(qtbot, window):
    panel = window.tab("contract").plots.payments_panel
    assert background(panel) == "#FFFFFF"
    try:
        window.theme_actions["dark"].trigger()
        qtbot.wait(10)
        dark = THEMES["dark"]
        assert background(panel) == dark.plot_background.upper()
        axis = panel.plot.getAxis("left")
        assert axis.textPen().color() == QColor(dark.plot_foreground)
        assert window.palette().window().color() == QColor(dark.window)
        # A card's own light style sheet is mapped to the theme.
        card = next(iter(window.key_figures.cards.values()))
        assert dark.card_background in card.styleSheet()
        # Okabe-Ito black (contracted MW) turns light on a dark plot.
        contract = window.tab("hardware").plots.item("contracted_mw")
        assert contract.opts["pen"].color() == QColor(dark.series_black)
        assert window.theme_actions["dark"].isChecked()

        window.theme_actions["high_contrast"].trigger()
        qtbot.wait(10)
        assert background(panel) == "#000000"
        assert pg.mkColor(panel.legend.opts["labelTextColor"]) == QColor("#FFFFFF")

        # A presentation opened now is in the theme, and follows a change.
        presentation = present(qtbot, window)
        first = presentation.panels()[0]
        assert background(first) == "#000000"
        window.theme_actions["light"].trigger()
        qtbot.wait(10)
        assert background(first) == "#FFFFFF"
        assert contract.opts["pen"].color() == QColor("#000000")
        presentation.close()
    finally:
        theme_manager().apply("light")


def test_every_borrowed_slide_is_lent_by_its_tab_class():
    """A slide with no plots class borrows: its tab's class implements
    registry.LendsResults (presentation mode calls it, it guesses nothing)."""
    from ui import registry
    borrowed = [(tab.key, slide.key) for tab in registry.TABS for slide in tab.slides
                if slide.borrowed]
    assert borrowed == [("risk", "risk"), ("compare", "comparison")]
    for key, _slide in borrowed:
        lender = registry.load(registry.tab(key).builds)
        assert callable(getattr(lender, "presentation_view", None)), key


def test_risk_plots_take_projector_type_and_follow_edits_while_presented(qtbot, window):
    risk = window.tab("risk")
    panels = (risk.tornado_plot, risk.fan_chart, risk.histogram)

    def ticks():
        return [p.plot.getAxis("bottom").style["tickFont"] for p in panels]
    before = ticks()
    marker = risk.histogram.items["P50"].label
    marker_before = marker.textItem.font().pixelSize()
    presentation = present(qtbot, window)
    qtbot.waitUntil(lambda: risk.simulation_result is not None, timeout=10000)
    presentation.set_view(presentation.view_keys.index("risk"))
    qtbot.waitUntil(lambda: risk.tornado_result is not None, timeout=10000)
    # The same type as every other slide's plots (the contract slide's).
    size = presentation.plots["contract"].panels[0].plot.getAxis("left").style["tickFont"]
    assert [font.pixelSize() for font in ticks()] == [size.pixelSize()] * 3
    assert marker.textItem.font().pixelSize() == size.pixelSize()
    assert risk.tornado_plot.title.font().pixelSize() > size.pixelSize()
    # An edit while the risk slide is shown (the tab itself is not): its tornado is
    # recomputed (a higher fee lowers the buyer NPV, the tornado's output).
    base = risk.tornado_result.base_output
    window.binding.set_values("contract", monthly_fee=2.0e9)
    qtbot.waitUntil(lambda: risk.tornado_result.base_output < base, timeout=10000)
    assert not risk.isVisible()
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    assert ticks() == before
    assert marker.textItem.font().pixelSize() == marker_before
