"""A fee edit repaints the window once (ui/plots/one_frame.py): the plots,
the edited field and the key figures in one backing-store sync, not one sync
per plot; and what the screen then shows is the window as it now is, after
the edit and after its undo, with nothing left over from before."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import WindowRepaints
from ui.plots.common import PlotPanel


def idle(qtbot, window):
    qtbot.waitUntil(lambda: not window.binding.recompute_pending, timeout=2000)
    qtbot.wait(40)      # every posted event, layout and paint


def on_screen(window):
    """What the screen shows of the window: the offscreen platform's grab
    reads the window's backing store, as painted and flushed."""
    return QApplication.primaryScreen().grabWindow(window.winId()).toImage()


def drawn_now(window):
    """The window drawn afresh, every widget as it now is."""
    return window.grab().toImage().convertToFormat(on_screen(window).format())


@pytest.mark.parametrize("key", ["contract", "economics", "termination"])
def test_a_fee_edit_repaints_the_window_once_with_every_plot(qtbot, window, key):
    window.show_tab(key)
    window.binding.set_values("contract", monthly_fee=1.0e9)
    idle(qtbot, window)
    panels = [p for p in window.tab(key).findChildren(PlotPanel) if p.isVisible()]
    assert len(panels) >= 2, key
    syncs = WindowRepaints()
    window.installEventFilter(syncs)
    for i in range(3):
        # $1.5B, $2.0B, $2.5B a month: every plot's curves move on each edit.
        window.binding.set_values("contract", monthly_fee=1.5e9 + 0.5e9 * i)
        idle(qtbot, window)
    window.removeEventFilter(syncs)
    # One sync an edit (Contract was four: the field and cards, then a plot each).
    assert syncs.count == 3, key


@pytest.mark.parametrize("key", ["contract", "economics", "termination"])
def test_the_screen_shows_each_edit_and_its_undo_whole(qtbot, window, key):
    window.show_tab(key)
    idle(qtbot, window)
    before = on_screen(window)
    window.binding.set_values("contract", monthly_fee=2.0e9)
    idle(qtbot, window)
    # The screen is the window as it now is: no plot, field or figure left
    # unpainted by the frame the edit caused ...
    assert on_screen(window) == drawn_now(window), key
    assert on_screen(window) != before, key
    window.undo_action.trigger()
    idle(qtbot, window)
    # ... and the undo brings back exactly what was shown before the edit.
    assert window.binding.scenario.contract.monthly_fee == 1.25e9
    assert on_screen(window) == drawn_now(window), key
    assert on_screen(window) == before, key


def test_a_failure_while_the_plots_hand_over_leaves_the_window_repainting(qtbot, window,
                                                                          monkeypatch):
    # paint_together swallows the window's UpdateRequest while the scenes hand
    # their changes over and posts one in its place.  Qt posts no other until
    # the window syncs: a request swallowed and never posted again (a scene
    # deleted under a view raising there) left a window that never repainted.
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QLabel
    import ui.plots.one_frame as one_frame
    window.show_tab("contract")
    idle(qtbot, window)
    views = [p.plot_widget for p in window.tab("contract").findChildren(PlotPanel)
             if p.isVisible()]
    label = window.findChildren(QLabel)[0]

    class Failing:
        postEvent = QCoreApplication.postEvent

        @staticmethod
        def sendPostedEvents(*_args):   # noqa: N802 (Qt's name)
            # As a scene's hand-over does: the window's pending repaint runs
            # (and is held back) ... then the call fails.
            QCoreApplication.sendPostedEvents(window, QEvent.Type.UpdateRequest)
            raise RuntimeError("Internal C++ object already deleted.")

    monkeypatch.setattr(one_frame, "QCoreApplication", Failing)
    label.update()                 # a repaint pending
    with pytest.raises(RuntimeError):
        one_frame.paint_together(views)
    monkeypatch.undo()
    syncs = WindowRepaints()
    window.installEventFilter(syncs)
    label.setText(label.text() + " x")
    qtbot.waitUntil(lambda: syncs.count >= 1, timeout=2000)
    window.removeEventFilter(syncs)
