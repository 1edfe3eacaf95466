"""ui/widgets/tab_widget.py: a label that changes inside a page repaints
itself, not every widget of the tab (Qt's QTabWidget repaints them all)."""
import pytest
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui.widgets.tab_widget import TabWidget


class Counted(QWidget):
    """A widget that counts its paints (a plot or table beside the label)."""

    def __init__(self):
        super().__init__()
        self.paints = 0
        self.setMinimumHeight(200)

    def paintEvent(self, event):   # noqa: N802
        self.paints += 1


def tabs_with_a_status_line(qtbot, kind):
    tabs = kind()
    page = QWidget()
    layout = QVBoxLayout(page)
    status = QLabel("Done.")
    status.setWordWrap(True)
    beside = Counted()
    layout.addWidget(status)
    layout.addWidget(beside, 1)
    tabs.addTab(page, "Risk")
    tabs.addTab(QWidget(), "Solve")
    qtbot.addWidget(tabs)
    tabs.resize(800, 500)
    tabs.show()
    qtbot.waitExposed(tabs)
    qtbot.wait(50)
    return tabs, page, status, beside


@pytest.mark.parametrize("kind, repaints_beside", [(QTabWidget, True), (TabWidget, False)])
def test_a_changed_label_repaints_only_itself(qtbot, kind, repaints_beside):
    # Qt's own tab widget (the first case) repaints the widget beside the
    # label; this is what TabWidget is for.
    tabs, _page, status, beside = tabs_with_a_status_line(qtbot, kind)
    for text in ("Preview: 2,000 paths; the full 10,000 follow.", "Done: 10,000 paths."):
        beside.paints = 0
        status.setText(text)
        qtbot.wait(50)
        assert (beside.paints > 0) is repaints_beside
    assert status.text() == "Done: 10,000 paths."


def test_pages_and_tab_bar_still_follow_size_and_tab_text(qtbot):
    tabs, page, _status, beside = tabs_with_a_status_line(qtbot, TabWidget)
    width = page.width()
    tabs.resize(1000, 600)
    qtbot.waitUntil(lambda: page.width() > width, timeout=2000)
    assert page.width() == pytest.approx(width + 200, abs=4)
    assert beside.height() > 200
    bar = tabs.tabBar()
    before = bar.width()
    tabs.setTabText(1, "Solve and sweep: a much longer tab title than before")
    qtbot.waitUntil(lambda: bar.width() > before, timeout=2000)
    assert bar.tabRect(1).width() >= bar.fontMetrics().horizontalAdvance(tabs.tabText(1))
