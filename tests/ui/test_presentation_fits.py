"""Presentation mode survives a boardroom: every slide rendered at a laptop's
1366x768 and a projector's 1920x1080 (and the smallest supported screen,
1280x720), for each side, with no text cut at an edge, the deal's dates on
every time axis from the first show, and no slide with nothing on it."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import settle  # noqa: F401  (fixture module)
from ui.boardroom.presentation import FittedLabel
from ui.plots.common import PlotPanel

SIZES = ((1366, 768), (1920, 1080), (1280, 720))


def present(qtbot, window, size):
    window.presentation_action.trigger()
    presentation = window.presentation_mode.current
    qtbot.waitExposed(presentation)
    presentation.showNormal()
    presentation.resize(*size)
    qtbot.wait(40)
    return presentation


def clipped_texts(presentation) -> list[str]:
    """What on the slide shown is cut at its widget's or plot's edge."""
    cut = []
    for label in presentation.findChildren(QLabel):
        if not label.isVisible() or not label.text().strip():
            continue
        width = label.contentsRect().width()
        if label.wordWrap():
            if label.heightForWidth(width) > label.contentsRect().height() + 1:
                cut.append(f"wrapped label {label.text()!r} taller than its room")
            continue
        needed = QFontMetrics(label.font()).horizontalAdvance(label.text())
        if needed > width + 1:
            cut.append(f"label {label.text()!r}: {needed} px in {width} px")
        if isinstance(label, FittedLabel) and label.text() != label.full_text:
            cut.append(f"card {label.full_text!r} shown as {label.text()!r}")
    for panel in presentation.findChildren(PlotPanel):
        if not panel.isVisible():
            continue
        right = panel.plot_widget.viewport().width()
        for _sample, label in panel.legend.items:
            edge = panel.plot_widget.mapFromScene(label.sceneBoundingRect().topRight()).x()
            if edge > right + 1:
                cut.append(f"legend entry {label.text!r} of {panel.title.text()!r} "
                           f"ends at {edge} px, past the plot's {right} px")
    return cut


@pytest.mark.parametrize("side", ["buyer", "provider"])
def test_no_slide_cuts_text_on_any_screen(qtbot, window, side):
    window.key_figures.switch.set_perspective(side)
    for size in SIZES:
        presentation = present(qtbot, window, size)
        problems = []
        for index, key in enumerate(presentation.view_keys):
            presentation.set_view(index)
            qtbot.wait(40)
            problems += [f"{size} {key}: {text}" for text in clipped_texts(presentation)]
        presentation.close()
        qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
        assert not problems, "\n".join(problems)


def test_time_axes_show_the_deal_on_first_show(qtbot, window):
    """Each date axis spans the deal, June 2026 to May 2029, the first time
    its slide is shown (the capacity slide's ran from mid-2024 to mid-2027:
    its two plots side by side were linked by screen position)."""
    presentation = present(qtbot, window, (1366, 768))
    start = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc).timestamp()
    end = dt.datetime(2029, 5, 1, tzinfo=dt.timezone.utc).timestamp()
    for index, key in enumerate(presentation.view_keys):
        if key in ("summary", "risk", "comparison"):
            continue                       # no date axis (tornado, histogram)
        presentation.set_view(index)
        qtbot.wait(40)
        for panel in presentation.stack.currentWidget().findChildren(PlotPanel):
            if panel.values_across:
                continue
            x0, x1 = panel.plot.viewRange()[0]
            # The term within the axis, and not a year of empty axis either side.
            assert x0 <= start and x1 >= end, (key, panel.title.text(), x0, x1)
            assert start - x0 < 200 * 86400 and x1 - end < 200 * 86400, (key, x0, x1)
    presentation.close()


def test_a_slide_with_nothing_to_show_is_skipped(qtbot, window):
    """With one scenario there is nothing to compare: no comparison slide
    (it was an empty 'Duplicate a scenario' screen); with two, it is there."""
    presentation = present(qtbot, window, (1366, 768))
    assert "comparison" not in presentation.view_keys
    presentation.close()
    qtbot.waitUntil(lambda: window.presentation_mode.current is None, timeout=2000)
    window.workspace.duplicate()
    settle(qtbot, window)
    presentation = present(qtbot, window, (1366, 768))
    assert presentation.view_keys[-1] == "comparison"
    presentation.close()


def test_a_long_card_figure_shrinks_then_is_cut_with_its_tooltip(qtbot):
    label = FittedLabel(bold=True)
    qtbot.addWidget(label)
    label.resize(200, 60)
    label.show()
    label.set_sizes(40, 16)
    label.show_text("$7.78/GPU-hour")
    # Shrunk below 40 px until it fits the 200 px, whole.
    assert label.text() == "$7.78/GPU-hour"
    assert label.font().pixelSize() < 40
    assert QFontMetrics(label.font()).horizontalAdvance(label.text()) <= label.contentsRect().width()
    label.show_text("A figure far too long to fit in two hundred pixels at sixteen")
    assert label.font().pixelSize() == 16
    assert label.text().endswith("\u2026")
    assert label.toolTip() == "A figure far too long to fit in two hundred pixels at sixteen"
