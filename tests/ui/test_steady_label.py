"""SteadyLabel (ui/widgets/steady_label.py): a new text of the same size lays
nothing out again; a text that needs other room (wider, more or fewer lines)
gets it, and the two-way table's status line is one."""
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.widgets.steady_label import SteadyLabel
from tests.ui.conftest import LayoutRequests


def status_row(qtbot):
    page = QWidget()
    column = QVBoxLayout(page)
    row = QHBoxLayout()
    status = SteadyLabel("Buyer NPV: 25 x 25 cells, in 3.1 ms.", wrap=True)
    row.addWidget(status, 1)
    row.addWidget(QPushButton("Recompute"))
    column.addLayout(row)
    column.addStretch(1)
    qtbot.addWidget(page)
    page.resize(420, 300)
    page.show()
    qtbot.waitExposed(page)
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()
    return page, status


def test_a_status_of_as_many_lines_lays_nothing_out(qtbot):
    page, status = status_row(qtbot)
    requests = LayoutRequests()
    page.installEventFilter(requests)
    one_line = status.height()
    status.setText("Buyer NPV: 25 x 25 cells, in 2.7 ms.")
    qtbot.wait(30)
    assert status.text() == "Buyer NPV: 25 x 25 cells, in 2.7 ms."
    assert status.label.text() == status.text()
    assert requests.count == 0
    assert status.height() == one_line


def test_a_longer_status_gets_its_lines_and_a_short_one_gives_them_back(qtbot):
    page, status = status_row(qtbot)
    one_line = status.height()
    long_text = ("The grid is out of date: the scenario changed since it was computed. "
                 "Press Recompute to compute it for the scenario as it stands now.")
    status.setText(long_text)
    qtbot.waitUntil(lambda: status.height() > one_line, timeout=2000)
    # The whole text shows: the label is as tall as its wrapped lines at its width.
    assert status.label.height() >= status.label.heightForWidth(status.width())
    status.setText("Buyer NPV: 25 x 25 cells, in 2.7 ms.")
    qtbot.waitUntil(lambda: status.height() == one_line, timeout=2000)


def test_a_style_sheet_on_the_label_gives_it_room(qtbot):
    page, status = status_row(qtbot)
    one_line = status.height()
    status.setStyleSheet("padding: 12px; border: 1px solid #E6B54A;")
    qtbot.waitUntil(lambda: status.height() >= one_line + 12, timeout=2000)   # padding 2 x 12
