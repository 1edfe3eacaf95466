"""pyqtgraph's PlotItem without its "Plot Options" form, for plots whose
context menus are off (every plot of the app: a panel has its own Fit view
and Copy chart actions).

PlotItem builds that form (a Qt Designer form of some forty widgets: check
boxes, sliders, spin boxes, a list), a menu of six sub-menus holding it and a
WidgetGroup over it in every constructor, menus enabled or not: about a
quarter of a plot panel's build (issue 22: no idle step over 50 ms).  Its
methods read their settings from those widgets (`self.ctrl.logXCheck.
isChecked()` in addItem, `ctrl.xGridCheck.setChecked` in showGrid ...), so
`PanelPlotItem` keeps `ctrl` as `PlotOptions`: the same names, each a plain
Python value with the form's defaults and the same change signals, and
pyqtgraph's own methods run on it unchanged.  What it drops is only what
shows the form: the options menu (`ctrlMenu` is an empty menu: a plot that
wants the menu uses pg.PlotItem) and `saveState`/`restoreState` (the form's
WidgetGroup), which the app does not use.

The constructor is PlotItem.__init__ of pyqtgraph 0.14.0 (pinned in
pyproject.toml) with the form left out; tests/ui/test_panel_plot_item.py
checks that it sets every attribute PlotItem's does and draws the same.
"""
from __future__ import annotations

import inspect
import weakref

import pyqtgraph as pg
from pyqtgraph import functions as fn
from pyqtgraph import icons
from pyqtgraph.graphicsItems.ButtonItem import ButtonItem
from pyqtgraph.graphicsItems.GraphicsWidget import GraphicsWidget
from pyqtgraph.graphicsItems.LabelItem import LabelItem
from pyqtgraph.graphicsItems.ViewBox import ViewBox
from PySide6.QtWidgets import QGraphicsGridLayout, QMenu, QSizePolicy


def _arity(slot) -> int | None:
    """How many arguments `slot` takes (None: any number)."""
    function = getattr(slot, "__func__", slot)
    code = getattr(function, "__code__", None)
    if code is None or code.co_flags & inspect.CO_VARARGS:
        return None
    return code.co_argcount - (1 if hasattr(slot, "__self__") else 0)


class _Signal:
    """A change signal of a plain value: what PlotItem connects to.  As a Qt
    signal does, it passes a slot only the arguments the slot takes
    (PlotItem.updateDownsampling takes none, `toggled` sends one)."""

    __slots__ = ("_slots",)

    def __init__(self):
        self._slots: list = []

    def connect(self, slot) -> None:
        self._slots.append((slot, _arity(slot)))

    def emit(self, *args) -> None:
        for slot, arity in list(self._slots):
            slot(*(args if arity is None else args[:arity]))


class _Check:
    """A check box (or checkable group box, radio button) of the form."""

    def __init__(self, checked: bool = False, exclusive: list | None = None):
        self._checked = checked
        self._exclusive = exclusive        # the radio buttons of one group
        self.toggled = _Signal()
        if exclusive is not None:
            exclusive.append(self)

    def isChecked(self) -> bool:   # noqa: N802 (Qt's name)
        return self._checked

    def setChecked(self, checked: bool) -> None:   # noqa: N802
        checked = bool(checked)
        if self._exclusive is not None and not checked and self._checked:
            return                         # a radio button is unchecked by another
        if checked == self._checked:
            return
        self._checked = checked
        if checked and self._exclusive is not None:
            for other in self._exclusive:
                if other is not self and other._checked:
                    other._checked = False
                    other.toggled.emit(False)
        self.toggled.emit(checked)


class _Value:
    """A slider or spin box of the form (integers, clamped to its range)."""

    def __init__(self, value: int, minimum: int, maximum: int):
        self._value, self._minimum, self._maximum = value, minimum, maximum
        self.valueChanged = _Signal()

    def value(self) -> int:
        return self._value

    def minimum(self) -> int:
        return self._minimum

    def maximum(self) -> int:
        return self._maximum

    def setValue(self, value) -> None:   # noqa: N802
        value = min(max(int(value), self._minimum), self._maximum)
        if value != self._value:
            self._value = value
            self.valueChanged.emit(value)


class _ItemList:
    """The averaging parameters' list (QListWidget's calls PlotItem makes)."""

    def __init__(self):
        self._items: list = []
        self.itemClicked = _Signal()

    def clear(self) -> None:
        self._items.clear()

    def count(self) -> int:
        return len(self._items)

    def item(self, row: int):
        return self._items[row] if 0 <= row < len(self._items) else None

    def addItem(self, item) -> None:   # noqa: N802
        self._items.append(item)

    def findItems(self, text: str, _flags=None) -> list:   # noqa: N802 (exact matches)
        return [item for item in self._items if item.text() == text]


class PlotOptions:
    """The values of PlotItem's options form (plotConfigTemplate_generic.py),
    with its defaults: no transform, no downsampling (peak method, auto on),
    grid alpha 128 of 255, alpha on at 1000 of 1000, points auto."""

    def __init__(self):
        check = _Check
        self.averageGroup = check(False)
        self.avgParamList = _ItemList()
        self.clipToViewCheck = check(False)
        self.maxTracesCheck = check(False)
        self.maxTracesSpin = _Value(0, 0, 99)
        self.forgetTracesCheck = check(False)
        self.downsampleCheck = check(False)
        self.autoDownsampleCheck = check(True)
        self.downsampleSpin = _Value(1, 1, 100000)
        methods: list = []
        self.peakRadio = check(True, methods)
        self.meanRadio = check(False, methods)
        self.subsampleRadio = check(False, methods)
        for name in ("logXCheck", "logYCheck", "fftCheck", "derivativeCheck",
                     "phasemapCheck", "subtractMeanCheck", "xGridCheck", "yGridCheck"):
            setattr(self, name, check(False))
        self.pointsGroup = check(True)     # a checkable group box starts checked
        self.autoPointsCheck = check(True)
        self.gridAlphaSlider = _Value(128, 0, 255)
        self.alphaGroup = check(True)
        self.autoAlphaCheck = check(False)
        self.alphaSlider = _Value(1000, 0, 1000)


class PanelPlotItem(pg.PlotItem):
    """A PlotItem with `PlotOptions` for its options form (module docstring)."""

    def __init__(self, parent=None, name=None, labels=None, title=None, viewBox=None,
                 axisItems=None, enableMenu=True, **kwargs):
        GraphicsWidget.__init__(self, parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.autoBtn = ButtonItem(icons.getGraphPixmap("auto"), 14, self)
        self.autoBtn.mode = "auto"
        self.autoBtn.clicked.connect(self.autoBtnClicked)
        self.buttonsHidden = False
        self.mouseHovering = False
        self.layout = QGraphicsGridLayout()
        self.layout.setContentsMargins(1, 1, 1, 1)
        self.setLayout(self.layout)
        self.layout.setHorizontalSpacing(0)
        self.layout.setVerticalSpacing(0)
        if viewBox is None:
            viewBox = ViewBox(parent=self, enableMenu=enableMenu)
        self.vb = viewBox
        self.vb.sigStateChanged.connect(self.viewStateChanged)
        self.setMenuEnabled(enableMenu, None)
        if name is not None:
            self.vb.register(name)
        self.vb.sigRangeChanged.connect(self.sigRangeChanged)
        self.vb.sigXRangeChanged.connect(self.sigXRangeChanged)
        self.vb.sigYRangeChanged.connect(self.sigYRangeChanged)
        self.vb.sigRangeChangedManually.connect(self.sigRangeChangedManually)
        self.layout.addItem(self.vb, 2, 1)
        self.alpha = 1.0
        self.autoAlpha = True
        self.spectrumMode = False
        self.legend = None
        self.axes = {}
        self.setAxisItems(axisItems)
        self.titleLabel = LabelItem("", size="11pt", parent=self)
        self.layout.addItem(self.titleLabel, 0, 1)
        self.setTitle(None)
        for i in range(4):
            self.layout.setRowPreferredHeight(i, 0)
            self.layout.setRowMinimumHeight(i, 0)
            self.layout.setRowSpacing(i, 0)
            self.layout.setRowStretchFactor(i, 1)
        for i in range(3):
            self.layout.setColumnPreferredWidth(i, 0)
            self.layout.setColumnMinimumWidth(i, 0)
            self.layout.setColumnSpacing(i, 0)
            self.layout.setColumnStretchFactor(i, 1)
        self.layout.setRowStretchFactor(2, 100)
        self.layout.setColumnStretchFactor(1, 100)
        self.items = []
        self.curves = []
        self.itemMeta = weakref.WeakKeyDictionary()
        self.dataItems = []
        self.paramList = {}
        self.avgCurves = {}
        self.avgPen = fn.mkPen((0, 200, 0))
        self.avgShadowPen = fn.mkPen((0, 0, 0), width=4)

        # The form's values, connected as PlotItem connects the form's widgets.
        self.ctrl = c = PlotOptions()
        self.ctrlMenu = QMenu("Plot Options")   # empty: close() lets it go
        self.stateGroup = None
        self.fileDialog = None
        c.alphaGroup.toggled.connect(self.updateAlpha)
        c.alphaSlider.valueChanged.connect(self.updateAlpha)
        c.autoAlphaCheck.toggled.connect(self.updateAlpha)
        c.xGridCheck.toggled.connect(self.updateGrid)
        c.yGridCheck.toggled.connect(self.updateGrid)
        c.gridAlphaSlider.valueChanged.connect(self.updateGrid)
        c.fftCheck.toggled.connect(self.updateSpectrumMode)
        c.subtractMeanCheck.toggled.connect(self.updateSubtractMeanMode)
        c.logXCheck.toggled.connect(self.updateLogMode)
        c.logYCheck.toggled.connect(self.updateLogMode)
        c.derivativeCheck.toggled.connect(self.updateDerivativeMode)
        c.phasemapCheck.toggled.connect(self.updatePhasemapMode)
        c.downsampleSpin.valueChanged.connect(self.updateDownsampling)
        c.downsampleCheck.toggled.connect(self.updateDownsampling)
        c.autoDownsampleCheck.toggled.connect(self.updateDownsampling)
        c.subsampleRadio.toggled.connect(self.updateDownsampling)
        c.meanRadio.toggled.connect(self.updateDownsampling)
        c.clipToViewCheck.toggled.connect(self.updateDownsampling)
        c.avgParamList.itemClicked.connect(self.avgParamListClicked)
        c.averageGroup.toggled.connect(self.avgToggled)
        c.maxTracesCheck.toggled.connect(self._handle_max_traces_toggle)
        c.forgetTracesCheck.toggled.connect(self.updateDecimation)
        c.maxTracesSpin.valueChanged.connect(self.updateDecimation)

        if labels is None:
            labels = {}
        for label in list(self.axes.keys()):
            if label in kwargs:
                labels[label] = kwargs.pop(label)
        for k in labels:
            if isinstance(labels[k], str):
                labels[k] = (labels[k],)
            self.setLabel(k, *labels[k])
        if title is not None:
            self.setTitle(title)
        if kwargs:
            self.plot(**kwargs)


def panel_plot_widget(**kwargs) -> pg.PlotWidget:
    """A PlotWidget around a PanelPlotItem; `kwargs` are PlotItem's
    (axisItems, enableMenu ...)."""
    return pg.PlotWidget(plotItem=PanelPlotItem(**kwargs))
