"""The key-figure strip: a new figure repaints its card and asks the window
for no new layout; the figure is drawn in the theme's card colour."""
from collections import Counter

import pytest
from PySide6.QtCore import QEvent, QObject

from core.engine import compute
from core.presets import default_scenario
from ui.look.themes import THEMES, theme_manager
from ui.widgets.key_figures import KeyFigureStrip


class LayoutRequests(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0

    def eventFilter(self, _watched, event):   # noqa: N802
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


@pytest.fixture
def strip(qtbot):
    widget = KeyFigureStrip()
    qtbot.addWidget(widget)
    widget.resize(1400, 90)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_results(compute(default_scenario()))
    qtbot.wait(20)
    return widget


def test_new_figures_need_no_new_layout(qtbot, strip):
    requests = LayoutRequests()
    for widget in (strip, *strip.cards.values()):
        widget.installEventFilter(requests)
    scenario = default_scenario().with_changes("contract", monthly_fee=1.4e9)
    strip.show_results(compute(scenario))
    qtbot.wait(30)
    # $1.4B x 36 months: total contract value $50.4B.
    assert strip.text_of("total_contract_value") == "$50.4B"
    assert requests.count == 0


@pytest.mark.parametrize("key", sorted(THEMES))
def test_the_figure_is_drawn_in_the_themes_card_colour(qtbot, strip, key):
    theme_manager().add_root(strip)
    theme_manager().apply(key)
    qtbot.wait(20)
    value = strip.cards["total_contract_value"].value
    image = value.grab().toImage()
    colours = Counter(image.pixelColor(x, y).name()
                      for x in range(image.width()) for y in range(image.height()))
    # The text's solid pixels are exactly the card colour ($45.0B in bold).
    assert colours[THEMES[key].card_value.lower()] > 100
    theme_manager().apply("light")
