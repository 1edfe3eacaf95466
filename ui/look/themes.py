"""Colours and plot styling shared by every view, and the themes.

Plot colours come from the Okabe-Ito palette, which stays distinguishable
for the common forms of colour blindness.  Three themes (light, the default
for projectors; dark; high contrast) restyle every widget and plot live: the
application palette for standard widgets, `style_plot_panel` for each plot
(PlotPanel follows `theme_changed`), and a remap of the light colours some
views set in their own style sheets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QComboBox, QProxyStyle, QStyle,
                               QStyleFactory, QWidget)

from core.palette import OKABE_ITO
SERIES = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple",
                                 "yellow", "black")]

PLOT_BACKGROUND = "#FFFFFF"
PLOT_FOREGROUND = "#222222"
WARNING_STYLE = ("background:#FFF4D6; color:#5C3D00; border:1px solid #E6B54A; "
                 "border-radius:4px; padding:4px 8px;")
ERROR_STYLE = ("background:#FDE2DE; color:#7A1A0C; border:1px solid #D55E00; "
               "border-radius:4px; padding:4px 8px;")
INVALID_FIELD_STYLE = "border: 2px solid #D55E00;"


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(background=PLOT_BACKGROUND, foreground=PLOT_FOREGROUND,
                        antialias=True)


def series_colour(index: int) -> str:
    return SERIES[index % len(SERIES)]


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    window: str            # window and panel background
    base: str              # input fields, tables
    alternate: str
    text: str
    muted: str             # captions, read-outs
    border: str
    button: str
    highlight: str
    highlight_text: str
    plot_background: str
    plot_foreground: str
    grid_alpha: float
    legend_background: tuple[int, int, int, int]
    card_background: str
    card_value: str
    series_black: str      # drawn where a plot uses Okabe-Ito black
    pen_scale: float = 1.0  # thicker axes in high contrast
    # Banners (the warning bar, refusals) and greyed-out controls.
    warning_background: str = "#FFF4D6"
    warning_text: str = "#5C3D00"
    warning_border: str = "#E6B54A"
    error_background: str = "#FDE2DE"
    error_text: str = "#7A1A0C"
    disabled_text: str = "#8A939C"
    # Input fields: a border at >= 3:1 against the window and the field (WCAG 2.1
    # non-text contrast); a greyed field has a dashed border and no field colour.
    input_border: str = "#6B7580"
    disabled_border: str = "#AAB4BE"


THEMES: dict[str, Theme] = {t.key: t for t in (
    Theme("light", "Light", window="#F6F7F9", base="#FFFFFF", alternate="#F0F2F5",
          text="#1A1A1A", muted="#4A5560", border="#D5DAE0", button="#ECEFF3",
          highlight="#0072B2", highlight_text="#FFFFFF", plot_background=PLOT_BACKGROUND,
          plot_foreground=PLOT_FOREGROUND, grid_alpha=0.25,
          legend_background=(255, 255, 255, 210), card_background="#F4F6F8",
          card_value="#0B2239", series_black="#000000"),
    Theme("dark", "Dark", window="#1E2227", base="#15181C", alternate="#23282E",
          text="#E8EAED", muted="#AAB4BE", border="#3A424B", button="#2B3138",
          highlight="#56B4E9", highlight_text="#0B0D10", plot_background="#15181C",
          plot_foreground="#D8DCE0", grid_alpha=0.22, legend_background=(30, 34, 39, 220),
          card_background="#262B31", card_value="#FFFFFF", series_black="#E8EAED",
          warning_background="#3A2E10", warning_text="#FFE3A3", warning_border="#8A6A1E",
          error_background="#3D1B16", error_text="#FFC9BF", disabled_text="#6E7781",
          input_border="#8A949E", disabled_border="#4F5862"),
    Theme("high_contrast", "High contrast", window="#000000", base="#000000",
          alternate="#101010", text="#FFFFFF", muted="#FFFFFF", border="#FFFFFF",
          button="#000000", highlight="#F0E442", highlight_text="#000000",
          plot_background="#000000", plot_foreground="#FFFFFF", grid_alpha=0.45,
          legend_background=(0, 0, 0, 235), card_background="#000000",
          card_value="#F0E442", series_black="#FFFFFF", pen_scale=2.0,
          warning_background="#000000", warning_text="#F0E442", warning_border="#F0E442",
          error_background="#000000", error_text="#FFB199", disabled_text="#8C8C8C",
          input_border="#FFFFFF", disabled_border="#8C8C8C"),
)}
DEFAULT_THEME = "light"

# Colours the views set in their own style sheets for the light theme, and
# the theme colour each stands for.
_LIGHT_COLOURS = {"#F4F6F8": "card_background", "#D5DAE0": "border", "#4A5560": "muted",
                  "#0B2239": "card_value", "#333": "muted", "#333333": "muted",
                  "#FFF4D6": "warning_background", "#5C3D00": "warning_text",
                  "#E6B54A": "warning_border", "#FDE2DE": "error_background",
                  "#7A1A0C": "error_text"}
_HEX = re.compile(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b")
_LIGHT_STYLE = "lightStyleSheet"   # widget property: its style sheet as written


class FieldFrameStyle(QProxyStyle):
    """Fusion, with every input field (spin box, date, combo box, line edit)
    outlined in the theme's `input_border`, at >= 3:1 against the window and
    the field (Fusion's own outline is the window colour darkened, faint on a
    dark window), and a greyed field outlined dashed in `disabled_border`, so
    that it reads as not editable without relying on colour.  The field with
    the focus keeps Fusion's highlight frame.  A style, not a style sheet: the
    fields keep Fusion's arrows and sizes, and the theme switches without
    polishing every widget again."""

    def __init__(self):
        super().__init__("Fusion")

    def polish(self, target):   # Qt's three overloads: a widget, the application, a palette
        result = super().polish(target)
        if isinstance(target, QWidget):
            for hook in _polish_hooks:
                hook(target)
        return result

    def drawComplexControl(self, control, option, painter, widget=None):   # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        if control in _FIELD_CONTROLS and getattr(option, "frame", True):
            _outline_field(option, painter)

    def drawPrimitive(self, element, option, painter, widget=None):   # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        if element == _LINE_EDIT_PANEL and widget is not None \
                and getattr(option, "lineWidth", 1) > 0 \
                and not isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            _outline_field(option, painter)      # a line edit of its own, not a spin box's
        elif element in _CHECK_BOXES:
            # Fusion outlines a check box in the window colour darkened: an
            # unticked box vanishes on a dark window (the Risk tab's Vary column).
            _outline_field(option, painter, focus_frame=False)


# Looked up once: the style is called for every field and panel painted.
_FIELD_CONTROLS = (QStyle.ComplexControl.CC_SpinBox, QStyle.ComplexControl.CC_ComboBox)
_LINE_EDIT_PANEL = QStyle.PrimitiveElement.PE_PanelLineEdit
_CHECK_BOXES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
                QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)
_ENABLED = QStyle.StateFlag.State_Enabled
_HAS_FOCUS = QStyle.StateFlag.State_HasFocus
_outline_pens: dict[tuple[str, bool], QPen] = {}     # (colour, enabled) -> pen


def _outline_pen(theme: "Theme", enabled: bool) -> QPen:
    colour = theme.input_border if enabled else theme.disabled_border
    pen = _outline_pens.get((colour, enabled))
    if pen is None:
        pen = QPen(QColor(colour))
        pen.setWidthF(1.0)
        if not enabled:
            pen.setStyle(Qt.PenStyle.DashLine)
        _outline_pens[(colour, enabled)] = pen
    return pen


def _outline_field(option, painter, focus_frame: bool = True) -> None:
    state = option.state
    enabled = bool(state & _ENABLED)
    if focus_frame and enabled and state & _HAS_FOCUS:
        return                                   # Fusion's focus frame says more
    pen = _outline_pen(current_theme(), enabled)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.0, 2.0)
    painter.restore()


_field_style: FieldFrameStyle | None = None
_polish_hooks: list[Callable[[QWidget], None]] = []


def on_polish(hook: Callable[[QWidget], None]) -> None:
    """Call `hook(widget)` for every widget the application's style polishes
    from now on: each widget once before it is first shown or sized (and
    again when its style changes).  ui/app/safe_input.py guards the input
    fields this way, rather than seeing every event of the application."""
    if hook not in _polish_hooks:
        _polish_hooks.append(hook)


def use_plain_style(view: QWidget) -> None:
    """Paint `view` with Fusion itself: for a view with no input field and no
    check box in it (a table of numbers).  FieldFrameStyle is Python, called
    for every cell a view paints (the 25 x 25 two-way table: some 400 calls a
    frame, about 1 ms), to outline fields such a view does not have.  The
    style belongs to the view (a widget does not own a style set on it)."""
    style = QStyleFactory.create("Fusion")
    style.setParent(view)
    view.setStyle(style)
    for hook in _polish_hooks:      # Fusion polishes it now, not FieldFrameStyle
        hook(view)


def use_field_frame_style() -> None:
    """Make the application's style FieldFrameStyle (once; Qt owns it then)."""
    global _field_style
    app = QApplication.instance()
    if app is None or isinstance(app.style(), FieldFrameStyle):
        return
    _field_style = FieldFrameStyle()
    app.setStyle(_field_style)


def palette_for(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, theme.window), (roles.WindowText, theme.text),
                         (roles.Base, theme.base), (roles.AlternateBase, theme.alternate),
                         (roles.Text, theme.text), (roles.Button, theme.button),
                         (roles.ButtonText, theme.text), (roles.ToolTipBase, theme.base),
                         (roles.ToolTipText, theme.text), (roles.Highlight, theme.highlight),
                         (roles.HighlightedText, theme.highlight_text),
                         (roles.PlaceholderText, theme.muted), (roles.Link, theme.highlight),
                         (roles.BrightText, theme.highlight), (roles.Mid, theme.border),
                         (roles.Light, theme.alternate), (roles.Midlight, theme.border),
                         (roles.Dark, theme.border), (roles.Shadow, theme.border)):
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor(theme.disabled_text))
    # A greyed field sits on the window colour, not on the white of an input.
    palette.setColor(disabled, roles.Base, QColor(theme.window))
    palette.setColor(disabled, roles.Button, QColor(theme.window))
    return palette


def restyle_sheet(sheet: str, theme: Theme) -> str:
    """A light-theme style sheet with its known colours mapped to the theme's."""
    def swap(match):
        attribute = _LIGHT_COLOURS.get(match.group(0).upper())
        return getattr(theme, attribute) if attribute else match.group(0)
    return _HEX.sub(swap, sheet)


def restyle_widget(widget, theme: Theme) -> None:
    """Map the light colours of a widget's own style sheet to the theme."""
    original = widget.property(_LIGHT_STYLE)
    if original is None:
        original = widget.styleSheet()
        if not original:
            return
        if not any(c in original.upper() for c in _LIGHT_COLOURS):
            # A widget with a style sheet keeps the palette it was polished with:
            # setting the sheet again polishes it with the new theme's.
            widget.setStyleSheet(original)
            return
        widget.setProperty(_LIGHT_STYLE, original)
    widget.setStyleSheet(restyle_sheet(original, theme))


def style_plot_widget(view, theme: Theme) -> None:
    """Background and axes of any pyqtgraph plot (tornado, histogram, sweep map)
    that is not a PlotPanel (those restyle themselves, legend and all)."""
    view.setBackground(theme.plot_background)
    plot = view.getPlotItem() if hasattr(view, "getPlotItem") else None
    if plot is None:
        return
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.plot_foreground, width=theme.pen_scale))
        axis.setTextPen(pg.mkPen(theme.plot_foreground))
        if axis.label is not None:
            axis.label.setDefaultTextColor(QColor(theme.plot_foreground))
    for item in [*plot.listDataItems(),
                 *(i for i in plot.items if isinstance(i, pg.InfiniteLine))]:
        _recolour_black(item, theme)


def _recolour_black(item, theme: Theme) -> None:
    """Okabe-Ito black disappears on a dark plot: draw it in the theme's colour
    (series, and marker lines such as the chosen month or the zero line)."""
    original = getattr(item, "_light_pen", None)
    if original is None:
        if isinstance(item, pg.InfiniteLine):
            current = item.pen
        else:
            opts = getattr(item, "opts", None)
            if not isinstance(opts, dict) or opts.get("pen") is None:
                return
            current = opts["pen"]
        original = pg.mkPen(current)
        if original.color().name().upper() != "#000000":
            return
        item._light_pen = original
    themed = pg.mkPen(original)
    themed.setColor(QColor(theme.series_black))
    item.setPen(themed)


def style_plot_panel(panel, theme: Theme) -> None:
    """Restyle one PlotPanel: background, axes, grid, legend, text, series."""
    panel.plot_widget.setBackground(theme.plot_background)
    plot = panel.plot
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(theme.plot_foreground, width=theme.pen_scale))
        axis.setTextPen(pg.mkPen(theme.plot_foreground))
        if axis.label is not None:
            axis.label.setDefaultTextColor(QColor(theme.plot_foreground))
    plot.showGrid(x=True, y=True, alpha=theme.grid_alpha)
    panel.legend.setBrush(pg.mkBrush(*theme.legend_background))
    panel.legend.setPen(pg.mkPen(theme.border))
    panel.legend.setLabelTextColor(theme.plot_foreground)
    for _sample, label in panel.legend.items:
        # setLabelTextColor alone leaves the labels already drawn in the old colour.
        label.setText(label.text, color=theme.plot_foreground)
    panel.title.setStyleSheet(f"color:{theme.text};")
    panel.readout.setStyleSheet(f"color:{theme.muted};")
    for item in [*plot.listDataItems(),
                 *(i for i in plot.items if isinstance(i, pg.InfiniteLine))]:
        _recolour_black(item, theme)


class ThemeManager(QObject):
    """The current theme; `apply` restyles the whole application live."""
    theme_changed = Signal(object)   # Theme

    def __init__(self, parent=None):
        super().__init__(parent)
        self.current: Theme = THEMES[DEFAULT_THEME]
        self._roots: dict[int, QWidget] = {}

    def add_root(self, window: QWidget) -> None:
        """A window whose widgets' own style sheets follow the theme."""
        use_field_frame_style()
        key = id(window)
        self._roots[key] = window
        window.destroyed.connect(lambda _obj=None, key=key: self._roots.pop(key, None))

    def apply(self, key: str) -> Theme:
        theme = THEMES[key]
        self.current = theme
        pg.setConfigOptions(background=theme.plot_background,
                            foreground=theme.plot_foreground)
        app = QApplication.instance()
        if app is not None:
            # Fusion (the one style that follows the palette everywhere), fields outlined.
            use_field_frame_style()
            app.setPalette(palette_for(theme))
            # The registered windows' widgets, not app.allWidgets(): that list can
            # hold widgets half-way through deletion.
            for root in list(self._roots.values()):
                for widget in [root, *root.findChildren(QWidget)]:
                    restyle_widget(widget, theme)
                    if isinstance(widget, pg.PlotWidget):
                        style_plot_widget(widget, theme)
        self.theme_changed.emit(theme)
        return theme


_manager: ThemeManager | None = None


def theme_manager() -> ThemeManager:
    """The application's one ThemeManager."""
    global _manager
    if _manager is None:
        _manager = ThemeManager(QApplication.instance())
    return _manager


def current_theme() -> Theme:
    return theme_manager().current


def follow_theme(panel) -> None:
    """Style `panel` now and whenever the theme changes (panel.apply_theme)."""
    manager = theme_manager()
    manager.theme_changed.connect(panel.apply_theme)
    panel.apply_theme(manager.current)
