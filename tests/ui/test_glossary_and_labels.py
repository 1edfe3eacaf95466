"""Views read labels and number formats from core.figures; Help > Glossary
shows every declared figure and column."""
from __future__ import annotations

from core import figures
from tests.ui.conftest import settle
from ui.widgets.key_figures import COMMON_FIGURES, PERSPECTIVE_FIGURES


def test_help_glossary_lists_every_figure_and_column_as_plain_text(qtbot, window):
    window.glossary_action.trigger()
    dialog = window.show_glossary()
    qtbot.waitExposed(dialog)
    text = dialog.text.toPlainText()
    for declared in list(figures.KEY_FIGURES.values()) + list(figures.COLUMNS.values()):
        assert declared.key in text
        assert declared.label in text
    # Shown as written: "$/M tokens" and "x 12 / 365" are text, not markup.
    assert "Walk-away exposure" in text and "$/M tokens" in text


def test_the_strip_shows_the_declared_label_and_format(qtbot, window):
    settle(qtbot, window)
    key_figures = window.binding.results.key_figures
    keys = list(COMMON_FIGURES) + [k for side in PERSPECTIVE_FIGURES.values() for k in side]
    for key in keys:
        card = window.key_figures.cards[key]
        assert card.title.text() == figures.label(key)
        assert card.toolTip() == figures.output(key).definition
    # The reference deal: $45.0B over 36 months (12 x $1.25B x 3), as format "money" writes it.
    assert window.key_figures.text_of("total_contract_value") == "$45.0B"
    assert window.key_figures.cards["walkaway_exposure"].title.text() == "Walk-away exposure"
    assert key_figures.total_contract_value == 45e9


def test_tab_figure_lists_use_the_declared_labels(qtbot, window):
    window.show_tab("economics")
    settle(qtbot, window)
    economics = window.tab("economics")
    layout = economics.provider_figures.layout()
    labels = [layout.itemAt(r, layout.ItemRole.LabelRole).widget().text()
              for r in range(layout.rowCount())]
    assert labels == ["Provider revenue", "Provider EBITDA", "Provider EBIT", "Provider capex",
                      "Provider NPV", "Provider IRR", "Provider payback",
                      "Provider book value at the end", "Provider opportunity cost",
                      "Provider economic profit", "Provider economic NPV"]
    termination = window.tab("termination")
    outcome = termination.outcome.layout()
    assert outcome.itemAt(0, outcome.ItemRole.LabelRole).widget().text() == "Payments stop on"
