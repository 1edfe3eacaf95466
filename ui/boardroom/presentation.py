"""Presentation mode: the deal on a projector.

F5 (View > Presentation mode) opens a full-screen window with no input
panels: the scenario's name, the key figures as big cards, and one view at a
time with its plots filling the screen, in large type.  Right, Down, Space,
Page Down or the Next button step forward; Left, Up, Backspace, Page Up or
Previous step back; Home and End jump; Esc (or F5) leaves.

The sequence opens with the deal on a page (the board pack's first page,
core.export.pack.deal_section, drawn by ui/boardroom/deal_page.py; the
figure cards are hidden there, as the page has the key figures), then the
executive summary (core/summary.py), then the
slides the tabs declare in ui/registry.py, in tab order, that belong to the
perspective of the key-figure strip's switch: contract, capacity, unit
economics, that side's economics, termination, alternatives and lease, risk,
comparison.  A slide that names a plots class is built here, fresh; the
others (risk, comparison) borrow the results side their tab lends
(registry.LendsResults.presentation_view) while presenting and give it back
on leaving, with its type sized back as it was.  Risk is run on entry when
no simulation of the scenario shown has run, so its slide is never empty.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (QBoxLayout, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QPushButton, QSizePolicy, QSplitter, QStackedWidget,
                               QTabWidget, QVBoxLayout,
                               QWidget)

from core.export.key_figures import headline_figures
from core.summary import summary_sentences
from ui import registry
from ui.boardroom.deal_page import DealPage
from ui.widgets.plain_text import plain_label
from ui.plots.common import LEFT_AXIS_WIDTH, LEGEND_LEFT, PlotPanel
from ui.look.themes import Theme, theme_manager

# How many headline figures the cards show (the rest stay in the app).
CARD_COUNT = 5
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown,
             Qt.Key.Key_Return, Qt.Key.Key_Enter)
PREVIOUS_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace, Qt.Key.Key_PageUp)


@dataclass
class View:
    key: str
    title: str
    widget: QWidget
    give_back: Callable[[], None] | None = None   # returns a borrowed widget
    side: str = "both"                            # the perspective it belongs to


def _side_by_side(plots: QWidget) -> QWidget:
    """Two stacked plots side by side: a projector is wide.  Their x axes are
    unlinked: pyqtgraph lines linked views up by screen position, which for
    plots side by side shifted one's dates by the other's offset on first show
    (the capacity slide from 2024.5 to 2027.6); each panel fits its own."""
    layout = plots.layout()
    if isinstance(layout, QBoxLayout):
        layout.setDirection(QBoxLayout.Direction.LeftToRight)
        layout.setSpacing(24)
    for panel in plots.findChildren(PlotPanel):
        panel.plot.setXLink(None)
    return plots


def scale_plot_panel(panel: PlotPanel, pixels: int) -> None:
    """Large type for a projector: ticks, axis labels, legend and title."""
    tick_font = QFont(panel.font())
    tick_font.setPixelSize(pixels)
    title_font = QFont(panel.title.font())
    title_font.setPixelSize(int(pixels * 1.35))
    title_font.setBold(True)
    panel.title.setFont(title_font)
    readout_font = QFont(panel.readout.font())
    readout_font.setPixelSize(int(pixels * 0.9))
    panel.readout.setFont(readout_font)
    panel.note.setFont(readout_font)
    for name in ("left", "bottom"):
        axis = panel.plot.getAxis(name)
        axis.setStyle(tickFont=tick_font, tickTextOffset=max(4, pixels // 3))
        if axis.label is not None:
            axis.label.setFont(tick_font)
    # As wide, for the type, as the panel's own axis is for its own (a tornado's
    # row names need more than a value axis).
    panel.plot.getAxis("left").setWidth(int(pixels * 5.2 * panel.left_width / LEFT_AXIS_WIDTH))
    panel.plot.getAxis("bottom").setHeight(int(pixels * 2.2))
    for label in _line_labels(panel):          # a histogram's P5 / P50 / P95
        label.setFont(tick_font)
    panel.legend_pixels = pixels
    if not hasattr(panel, "legend_fitter"):
        panel.legend_fitter = LegendFitter(panel)
    fit_legend(panel, pixels)


class LegendFitter(QObject):
    """Fits a presented panel's legend again whenever its plot is resized (the
    plot's width is known only once the slide is laid out, after the window's
    own resize)."""

    def __init__(self, panel: PlotPanel):
        super().__init__(panel)
        self.panel = panel
        panel.plot_widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:   # noqa: N802 (Qt's name)
        pixels = getattr(self.panel, "legend_pixels", None)
        if event.type() == QEvent.Type.Resize and pixels is not None:
            fit_legend(self.panel, pixels)
        return False


def legend_room(panel: PlotPanel) -> int:
    """The width a panel's legend may take: its plot's, less the value axis."""
    return max(0, panel.plot_widget.width() - LEGEND_LEFT - 8)


# A legend entry's width beyond its text: the sample and the label's margins.
LEGEND_ENTRY_EXTRA = 20 + 14


def legend_width(texts: list[str], font: QFont, columns: int, spacing: float) -> int:
    """The width pyqtgraph's legend takes for `texts` (plain) in `font` laid
    out `columns` to a row, row by row: each column as wide as its widest
    entry, `spacing` between the layout's cells, and its margins."""
    metrics = QFontMetrics(font)
    widths = [metrics.horizontalAdvance(text) + LEGEND_ENTRY_EXTRA for text in texts]
    used = min(columns, len(widths))
    return int(sum(max(widths[j::columns]) for j in range(used))
               + spacing * (2 * used - 1) + 12)


def fit_legend(panel: PlotPanel, pixels: int) -> None:
    """The legend in the largest type, down to 60% of `pixels`, and in the
    most columns (up to three) that fit the plot's width; an entry still too
    wide at the smallest type is cut with an ellipsis and its whole name goes
    to the legend's tooltip.  Never a name cut at the plot's edge.  Widths are
    measured from the fonts, not the legend's items (pyqtgraph sizes those
    only when its layout next runs)."""
    legend = panel.legend
    full = _legend_names(legend)
    room = legend_room(panel)
    if not full or room <= 0:
        return
    texts = [html.unescape(text) for text in full.values()]
    spacing = legend.layout.horizontalSpacing()
    font = QFont(panel.font())
    chosen = None
    smallest = max(8, int(pixels * 0.6))
    for size_px in range(pixels, smallest - 1, -1):
        font.setPixelSize(size_px)
        columns = next((c for c in range(min(len(texts), 3), 0, -1)
                        if legend_width(texts, font, c, spacing) <= room), None)
        if columns is not None:
            chosen = (size_px, columns, full)
            break
    tooltip = ""
    if chosen is None:
        # One column at the smallest type and still too wide: cut the long names.
        font.setPixelSize(smallest)
        metrics = QFontMetrics(font)
        cut = {label: html.escape(metrics.elidedText(
                   html.unescape(text), Qt.TextElideMode.ElideRight,
                   max(20, room - LEGEND_ENTRY_EXTRA - 8)), quote=False)
               for label, text in full.items()}
        chosen = (smallest, 1, cut)
        tooltip = "\n".join(texts)
    size_px, columns, shown = chosen
    _set_legend_texts(legend, shown, f"{size_px}px")
    legend.setColumnCount(columns)
    legend.setToolTip(tooltip)
    shrink_legend(legend)
    panel._reserve_legend_room()


def shrink_legend(legend) -> None:
    """The legend as small as its entries now: pyqtgraph sizes it from its
    items' current geometry, which its layout stretched to the legend's old
    (wider) size; shrunk to its layout's minimum first, the items take their
    text's width again."""
    legend.resize(0, 0)
    legend.layout.activate()
    legend.updateSize()


def _legend_names(legend) -> dict:
    """Each legend label's whole text (kept across cuts, for the way back)."""
    names = getattr(legend, "full_names", None)
    if names is None or set(names) != {label for _s, label in legend.items}:
        names = {label: label.text for _sample, label in legend.items}
        legend.full_names = names
    return names


def _set_legend_texts(legend, texts: dict, size: str) -> None:
    legend.opts["labelTextSize"] = size
    for _sample, label in legend.items:
        label.setText(texts.get(label, label.text), size=size)


def _line_labels(panel: PlotPanel) -> list:
    """The text items of the panel's marked lines (percentile markers); pyqtgraph
    gives a line a `label` only when it is made with one."""
    return [item.label for item in panel.plot.items
            if isinstance(item, pg.InfiniteLine) and getattr(item, "label", None) is not None]


def keep_plot_panel_type(panel: PlotPanel) -> Callable[[], None]:
    """A function that gives `panel` back the type sizes scale_plot_panel changes."""
    title_font, readout_font = QFont(panel.title.font()), QFont(panel.readout.font())
    note_font = QFont(panel.note.font())
    line_fonts = [(label, QFont(label.textItem.font())) for label in _line_labels(panel)]
    axes = {}
    for name in ("left", "bottom"):
        axis = panel.plot.getAxis(name)
        style = {key: list(value) if isinstance(value, list) else value
                 for key, value in axis.style.items()}
        axes[name] = (style,
                      QFont(axis.label.font()) if axis.label is not None else None,
                      axis.fixedWidth, axis.fixedHeight)
    legend_size = panel.legend.opts.get("labelTextSize")
    legend_names = dict(_legend_names(panel.legend))
    legend_columns = panel.legend.columnCount

    def restore() -> None:
        panel.title.setFont(title_font)
        panel.readout.setFont(readout_font)
        panel.note.setFont(note_font)
        for label, font in line_fonts:
            label.setFont(font)
        for name, (style, label_font, width, height) in axes.items():
            axis = panel.plot.getAxis(name)
            axis.style = dict(style)      # as setStyle leaves it: resized and redrawn
            axis._adjustSize()
            axis.picture = None
            axis.update()
            if label_font is not None and axis.label is not None:
                axis.label.setFont(label_font)
            if name == "left":
                axis.setWidth(width)
            else:
                axis.setHeight(height)
        panel.legend_pixels = None      # back in the app: no more fitting
        _set_legend_texts(panel.legend, legend_names, legend_size)
        panel.legend.setColumnCount(legend_columns)
        panel.legend.setToolTip("")
        shrink_legend(panel.legend)
        panel._reserve_legend_room()
    return restore


class SummaryView(QWidget):
    """The executive summary: one finding a line, in large type."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.heading = QLabel("Executive summary")
        self.body = plain_label(QLabel())      # scenario names inside: never HTML
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.body, 1)
        self.sentences: list[str] = []

    def show_sentences(self, sentences: list[str]) -> None:
        self.sentences = list(sentences)
        self.body.setText("\n\n".join(f"\u2022  {s}" for s in sentences))

    def set_size(self, pixels: int) -> None:
        font = QFont(self.heading.font())
        font.setPixelSize(int(pixels * 1.3))
        font.setBold(True)
        self.heading.setFont(font)
        font = QFont(self.body.font())
        font.setPixelSize(pixels)
        self.body.setFont(font)


class FittedLabel(QLabel):
    """A one-line label whose text takes the largest pixel size from `largest`
    down to `smallest` that fits its width, refitted whenever its width or
    text changes; cut with an ellipsis at `smallest` if it must be, the whole
    text then in the tooltip.  Never a figure cut at a card's edge."""

    def __init__(self, bold: bool = False, parent=None):
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.full_text = ""
        self.largest, self.smallest, self.bold = 16, 12, bold

    def show_text(self, text: str) -> None:
        self.full_text = text
        self.fit()

    def set_sizes(self, largest: int, smallest: int) -> None:
        self.largest, self.smallest = largest, min(smallest, largest)
        self.fit()

    def fit(self) -> None:
        width = self.contentsRect().width()
        font = QFont(self.font())
        font.setBold(self.bold)
        for size in range(self.largest, self.smallest - 1, -1):
            font.setPixelSize(size)
            if width <= 0 or QFontMetrics(font).horizontalAdvance(self.full_text) <= width:
                break
        if font != self.font():
            self.setFont(font)
        shown = self.full_text if width <= 0 else QFontMetrics(font).elidedText(
            self.full_text, Qt.TextElideMode.ElideRight, width)
        self.setText(shown)
        self.setToolTip("" if shown == self.full_text else self.full_text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit()


class FigureCards(QWidget):
    """The headline figures as big cards."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.titles: list[FittedLabel] = []
        self.values: list[FittedLabel] = []
        self.frames: list[QFrame] = []
        for i in range(CARD_COUNT):
            frame = QFrame()
            frame.setObjectName("PresentationCard")
            box = QVBoxLayout(frame)
            box.setContentsMargins(18, 10, 18, 12)
            box.setSpacing(2)
            title, value = FittedLabel(), FittedLabel(bold=True)
            for label in (title, value):
                # Never wider than the screen: a long figure is clipped, not the window.
                label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            box.addWidget(title)
            box.addWidget(value)
            self.grid.addWidget(frame, 0, i)
            self.frames.append(frame)
            self.titles.append(title)
            self.values.append(value)

    def show_results(self, results, perspective: str = "both") -> None:
        """The side's headline figures (core/export/key_figures.py), as the pack's."""
        for (title, value), title_label, value_label in zip(
                headline_figures(results, perspective), self.titles, self.values):
            title_label.show_text(title)
            value_label.show_text(value)

    def set_sizes(self, title_px: int, value_px: int) -> None:
        for label in self.titles:
            label.set_sizes(title_px, max(9, int(title_px * 0.75)))
        for label in self.values:
            label.set_sizes(value_px, title_px)

    def apply_theme(self, theme: Theme) -> None:
        for frame in self.frames:
            frame.setStyleSheet(
                f"#PresentationCard {{ background:{theme.card_background}; "
                f"border:2px solid {theme.border}; border-radius:10px; }}")
        for label in self.titles:
            label.setStyleSheet(f"color:{theme.muted};")
        for label in self.values:
            label.setStyleSheet(f"color:{theme.card_value};")


class PresentationWindow(QWidget):
    """Full-screen presentation of the main window's scenario."""
    closed = Signal()
    view_changed = Signal(str)   # the view's key

    def __init__(self, window, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.main_window = window
        self.binding = window.binding
        self.setWindowTitle(f"{self.binding.scenario.name} \u2014 presentation")
        self.setObjectName("PresentationWindow")
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.scenario_title = plain_label(QLabel())   # a name from a file: never HTML
        self.view_title = QLabel()
        self.step_label = QLabel()
        self.step_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.scenario_title)
        header.addWidget(self.view_title, 1)
        header.addWidget(self.step_label)

        self.cards = FigureCards()
        self.stack = QStackedWidget()
        # The plots take whatever the screen gives them, even a small projector's.
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.previous_button = QPushButton("\u25c0  Previous")
        self.next_button = QPushButton("Next  \u25b6")
        self.leave_button = QPushButton("Leave (Esc)")
        self.hint = QLabel("\u2190 \u2192 or Space to step \u00b7 Esc to leave")
        self.view_title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for button in (self.previous_button, self.next_button, self.leave_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.previous_button.clicked.connect(self.previous_view)
        self.next_button.clicked.connect(self.next_view)
        self.leave_button.clicked.connect(self.close)
        footer = QHBoxLayout()
        footer.addWidget(self.previous_button)
        footer.addWidget(self.next_button)
        footer.addStretch(1)
        footer.addWidget(self.hint)
        footer.addStretch(1)
        footer.addWidget(self.leave_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 18, 28, 14)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addWidget(self.cards)
        layout.addWidget(self.stack, 1)
        layout.addLayout(footer)

        self.views: list[View] = []
        self.built: list[View] = []      # made once; `views` is the sequence shown
        self.perspective = "buyer"
        self._restore_type: list[Callable[[], None]] = []
        self._following_risk = False
        self._index = 0
        self._build_views()
        manager = theme_manager()
        manager.theme_changed.connect(self.apply_theme)
        self.apply_theme(manager.current)
        self._following = False

    def start(self) -> None:
        """Borrow the window's other views, follow the results, show view 1."""
        self.perspective = self.main_window.key_figures.switch.perspective
        # Borrowed slides go back in their tab order, between the built ones.
        order = ["deal", "summary"] + [slide.key for tab in registry.TABS for slide in tab.slides]
        self.views = [v for v in self.built if v.side in ("both", self.perspective)]
        for tab in registry.TABS:
            for slide in tab.slides:
                if slide.borrowed and slide.side in ("both", self.perspective):
                    lender: registry.LendsResults = self.main_window.tab(tab.key)
                    if not getattr(lender, "has_presentation_content", lambda: True)():
                        continue          # nothing to show: no empty slide
                    widget = lender.presentation_view()
                    give_back = _giver(widget)
                    self.views.append(View(slide.key, slide.title, widget, give_back))
        self.views.sort(key=lambda view: order.index(view.key))
        for view in self.views:          # the stack in slide order
            if self.stack.indexOf(view.widget) >= 0:
                self.stack.removeWidget(view.widget)
            self.stack.addWidget(view.widget)
        # Borrowed plots get projector type while here, and their own back after.
        self._restore_type = [keep_plot_panel_type(panel) for view in self.views
                              if view.give_back is not None
                              for panel in view.widget.findChildren(PlotPanel)]
        self._run_risk()
        if not self._following:
            self.binding.results_changed.connect(self._show_results)
            self._following = True
        self._show_results(self.binding.results)
        self.apply_theme(theme_manager().current)
        self._size_type()
        self.set_view(0)

    def _run_risk(self) -> None:
        """Risk has data before its slide: the simulation runs now if none of this
        scenario has (the tornado is brought up to date when the tab lends its
        results side)."""
        if "risk" not in self.view_keys:
            return
        from ui.boardroom.board_pack import current_simulation
        risk = self.main_window.tab("risk")
        if current_simulation(self.main_window, self.perspective) is None and \
                not risk.simulation_runner.running:
            risk.run_simulation()
        runner = risk.simulation_runner
        if not self._following_risk:
            runner.finished.connect(self._risk_finished)
            self._following_risk = True

    def _risk_finished(self, _result) -> None:
        if self._following:
            self._show_results(self.binding.results)

    def finish(self) -> None:
        """Give borrowed views back, their type as it was; stop following."""
        if self._following:
            self.binding.results_changed.disconnect(self._show_results)
            self._following = False
        for restore in self._restore_type:
            restore()
        self._restore_type = []
        for view in [v for v in self.views if v.give_back is not None]:
            self.stack.removeWidget(view.widget)
            view.give_back()
            self.views.remove(view)

    # The sequence ----------------------------------------------------------
    def _build_views(self) -> None:
        self.deal = DealPage()
        self.deal_view = View("deal", "The deal on a page", self.deal)
        self.built.append(self.deal_view)
        self.stack.addWidget(self.deal)
        self.summary = SummaryView()
        self.built.append(View("summary", "Executive summary", self.summary))
        self.stack.addWidget(self.summary)
        # The slides' own plots, by slide key (results only, no inputs).
        self.plots: dict[str, QWidget] = {}
        for tab in registry.TABS:
            for slide in tab.slides:
                if slide.borrowed:
                    continue
                plots = _side_by_side(registry.load(slide.plots)())
                self.plots[slide.key] = plots
                self.built.append(View(slide.key, slide.title, plots, side=slide.side))
                self.stack.addWidget(plots)

    @property
    def view_keys(self) -> list[str]:
        return [view.key for view in self.views]

    @property
    def current_key(self) -> str:
        return self.views[self._index].key

    def set_view(self, index: int) -> None:
        index = max(0, min(index, len(self.views) - 1))
        self._index = index
        view = self.views[index]
        # The deal's page has the key figures in its own table.
        self.cards.setVisible(view.key != "deal")
        self.stack.setCurrentWidget(view.widget)
        self.view_title.setText(f"\u00b7  {view.title}")
        self.step_label.setText(f"{index + 1} / {len(self.views)}")
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.views) - 1)
        self.view_changed.emit(view.key)

    def next_view(self) -> None:
        self.set_view(self._index + 1)

    def previous_view(self) -> None:
        self.set_view(self._index - 1)

    # Content ---------------------------------------------------------------
    def _show_results(self, results) -> None:
        self.scenario_title.setText(results.scenario.name)
        self.cards.show_results(results, self.perspective)
        from ui.boardroom.board_pack import current_simulation, window_deal
        self.deal.show_section(window_deal(self.main_window, self.perspective))
        self.deal_view.title = self.deal.heading
        if self.views and self.current_key == "deal":
            self.view_title.setText(f"\u00b7  {self.deal.heading}")
        self.summary.show_sentences(summary_sentences(
            results, self.perspective, current_simulation(self.main_window, self.perspective)))
        for plots in self.plots.values():
            plots.show_results(results)

    def panels(self) -> list[PlotPanel]:
        """The plots of the sequence shown, and of the built slides of the other side."""
        widgets = list(dict.fromkeys(v.widget for v in self.views + self.built))
        return [p for widget in widgets for p in widget.findChildren(PlotPanel)]

    def apply_theme(self, theme: Theme) -> None:
        self.setStyleSheet(
            f"#PresentationWindow {{ background:{theme.window}; }}"
            f"QLabel {{ color:{theme.text}; }}"
            f"QPushButton {{ color:{theme.text}; background:{theme.button}; "
            f"border:1px solid {theme.border}; border-radius:6px; padding:6px 16px; }}"
            f"QPushButton:disabled {{ color:{theme.border}; }}")
        self.cards.apply_theme(theme)
        self.deal.apply_theme(theme)
        for panel in self.panels():
            panel.apply_theme(theme)
        self.hint.setStyleSheet(f"color:{theme.muted};")

    def _size_type(self) -> None:
        """Type sized from the screen: legible from the back of a room."""
        height = max(480, self.height())
        base = max(15, round(height / 46))      # 23 px at 1080, 16 px at 720
        for label, factor, bold in ((self.scenario_title, 1.6, True),
                                    (self.view_title, 1.6, False),
                                    (self.step_label, 1.1, False), (self.hint, 0.85, False)):
            font = QFont(label.font())
            font.setPixelSize(int(base * factor))
            font.setBold(bold)
            label.setFont(font)
        for button in (self.previous_button, self.next_button, self.leave_button):
            font = QFont(button.font())
            font.setPixelSize(int(base * 0.9))
            button.setFont(font)
        self.cards.set_sizes(int(base * 0.95), int(base * 2.1))
        self.summary.set_size(int(base * 1.15))
        self.deal.set_size(base)
        for panel in self.panels():
            scale_plot_panel(panel, base)

    # Qt events -------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._size_type()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_F5):
            self.close()
        elif key in NEXT_KEYS:
            self.next_view()
        elif key in PREVIOUS_KEYS:
            self.previous_view()
        elif key == Qt.Key.Key_Home:
            self.set_view(0)
        elif key == Qt.Key.Key_End:
            self.set_view(len(self.views) - 1)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        # A click on the background steps on, a right-click back, as in a slide show.
        if event.button() == Qt.MouseButton.LeftButton:
            self.next_view()
        elif event.button() == Qt.MouseButton.RightButton:
            self.previous_view()
        else:
            super().mousePressEvent(event)

    def closeEvent(self, event) -> None:
        # Hidden, not deleted: it is shown again on the next F5.
        self.finish()
        super().closeEvent(event)
        self.closed.emit()


def _giver(widget: QWidget) -> Callable[[], None]:
    """A function that puts `widget` back where it is now."""
    parent = widget.parentWidget()
    if isinstance(parent, QSplitter):
        index = parent.indexOf(widget)
        sizes = parent.sizes()

        def give_back():
            parent.insertWidget(index, widget)
            parent.setSizes(sizes)
            widget.show()
        return give_back
    stack = parent.parentWidget() if parent is not None else None
    if isinstance(stack, QTabWidget):
        index, label = stack.indexOf(widget), stack.tabText(stack.indexOf(widget))

        def give_back():
            stack.insertTab(index, widget, label)
        return give_back
    layout = parent.layout() if parent is not None else None
    position = layout.indexOf(widget) if layout is not None else -1

    def give_back():
        if isinstance(layout, QBoxLayout) and position >= 0:
            layout.insertWidget(position, widget, 1)
        else:
            widget.setParent(parent)
        widget.show()
    return give_back


class PresentationMode(QObject):
    """View > Presentation mode (F5) for a main window: `action` opens it,
    `current` is the presentation on screen (None when not presenting)."""

    def __init__(self, window):
        super().__init__(window)
        self.main_window = window
        self.current: PresentationWindow | None = None
        # Made once and kept: deleting pyqtgraph plots mid-session upsets their legends.
        self._presentation: PresentationWindow | None = None
        self.action = QAction("&Presentation mode", window)
        self.action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.action.setStatusTip("Full screen, large type, key figures and plots; Esc to leave")
        self.action.triggered.connect(self.enter)
        window.view_menu.addAction(self.action)
        window.view_menu.menuAction().setVisible(True)

    def enter(self) -> PresentationWindow:
        """Open presentation mode (or bring back the one open)."""
        if self.current is not None:
            self.current.raise_()
            return self.current
        window = self.main_window
        window.binding.flush()
        if self._presentation is None:
            self._presentation = PresentationWindow(window)
            self._presentation.closed.connect(self._left)
        presentation = self.current = self._presentation
        presentation.start()
        # The screen the window is on; set it too, as a bare X server has no
        # window manager to honour the full-screen request.
        presentation.setGeometry((window.screen() or presentation.screen()).geometry())
        presentation.showFullScreen()
        presentation.activateWindow()
        presentation.setFocus()
        return presentation

    def _left(self) -> None:
        self.current = None
        self.main_window.activateWindow()
