"""Input that a passing mouse wheel or a field's own undo cannot spoil.

One event filter for every spin box, combo box, date field and slider of
every window, installed on the widgets it guards (and only those: see
`guards`), each as the application's style first polishes it (ui/look/
themes.py `on_polish`).  Installed on the application it ran Python for every
event of every widget, thousands a tab build (a plot panel built 30% slower;
issue 22):

- the wheel changes such a field only while it has keyboard focus; over an
  unfocused field the wheel scrolls the panel the field sits in (the event
  is refused and travels on to the parent, as Qt propagates unaccepted wheel
  events).  Fields get Qt's StrongFocus so that the wheel never gives them
  focus on its own;
- over a plot the wheel zooms only with Ctrl held; otherwise it scrolls the
  page (right-click > Fit view, or the plot's "A" button, returns to the
  fitted view);
- Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y inside a field undo and redo the model's
  last edit (Edit > Undo), unless the field holds typing not yet applied:
  then the first Ctrl+Z takes back that typing, as in any text field;
- Tab in a table one edits moves from cell to cell and, from the last cell,
  on to the next control (Shift+Tab from the first cell: the previous one),
  where Qt would wrap round to the first cell and keep the keyboard in the
  table; in a read-only table (results) Tab moves straight on, and the arrow
  keys move between its cells.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtWidgets import (QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QGraphicsView, QLineEdit, QSlider, QTableView, QWidget)

from ui.look.themes import on_polish, use_field_frame_style

GUARDED = (QAbstractSpinBox, QComboBox, QSlider)
ZOOM_MODIFIER = Qt.KeyboardModifier.ControlModifier
_MODEL_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)


def guards(widget: QWidget) -> bool:
    """The widgets whose events the filter reads: the fields and their parts
    (a spin box's line edit), text fields (a bound one's Ctrl+Z), item views
    (Tab out of a table) and pyqtgraph's plot viewports (the wheel)."""
    if isinstance(widget, (*GUARDED, QLineEdit, QAbstractItemView)) \
            or isinstance(widget.parent(), GUARDED):
        return True
    return _plot_view_of(widget) is not None


def _plot_view_of(widget: QWidget) -> QGraphicsView | None:
    """The pyqtgraph view whose viewport `widget` is, if it is one."""
    view = widget.parent()
    if isinstance(view, QGraphicsView) and type(view).__module__.startswith("pyqtgraph") \
            and view.viewport() is widget:
        return view
    return None


def _guarded_field(obj: QObject) -> QWidget | None:
    """The spin box / combo / slider that `obj` is or belongs to (a spin box's
    line edit, a combo's view port)."""
    for candidate in (obj, obj.parent() if isinstance(obj, QObject) else None):
        if isinstance(candidate, GUARDED):
            return candidate
    return None


def _is_redo(event) -> bool:
    combo = event.keyCombination()
    mods = combo.keyboardModifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    return (combo.key() == Qt.Key.Key_Z and mods == ctrl | shift) or \
        (combo.key() == Qt.Key.Key_Y and mods == ctrl) or event.matches(
            QKeySequence.StandardKey.Redo)


def _is_undo(event) -> bool:
    return event.matches(QKeySequence.StandardKey.Undo)


def _pending_typing(field: QWidget) -> bool:
    """A spin box whose text is not yet the value in force (typed, not applied)."""
    if not isinstance(field, QAbstractSpinBox):
        return False
    line = field.lineEdit()
    shown = field.textFromValue(field.value()) if hasattr(field, "textFromValue") else None
    if shown is None:
        return False
    text = line.text()
    return text.removeprefix(field.prefix()).removesuffix(field.suffix()).strip() != shown.strip()


class SafeInputFilter(QObject):
    """See the module docstring; `install()` makes the application's one."""

    def guard(self, widget: QWidget) -> None:
        """Read `widget`'s events if it is one the filter guards (Qt installs a
        filter once however often it is asked)."""
        if guards(widget):
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:   # noqa: N802 (Qt's name)
        # Every event of the application passes here (paints, timers, each
        # edit's dozens): anything but a key or wheel event leaves at once, on
        # its Python class, without event.type() (an enum made at each call).
        if not isinstance(event, (QKeyEvent, QWheelEvent)):
            return False
        kind = event.type()
        if kind == QEvent.Type.Wheel:
            return self._wheel(obj, event)
        if kind == QEvent.Type.ShortcutOverride:
            return self._shortcut_override(obj, event)
        if kind == QEvent.Type.KeyPress and isinstance(obj, QAbstractItemView):
            return self._tab_out_of_table(obj, event)
        return False

    def _tab_out_of_table(self, view: QAbstractItemView, event) -> bool:
        key = event.key()
        if key not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) or not view.tabKeyNavigation():
            return False
        forward = key == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        read_only = view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
        if not read_only and not _at_table_end(view, forward):
            return False                    # the view moves to the next cell
        return _focus_next(view, forward)

    def _wheel(self, obj, event) -> bool:
        field = _guarded_field(obj)
        if field is not None:
            if field.hasFocus() or (isinstance(obj, QWidget) and obj.hasFocus()):
                return False
            event.ignore()        # refused: Qt hands it on to the scrolling parent
            return True
        if isinstance(obj, QWidget) and _plot_view_of(obj) is not None:
            if event.modifiers() & ZOOM_MODIFIER:
                return False
            event.ignore()
            return True
        return False

    def _shortcut_override(self, obj, event) -> bool:
        if not (_is_undo(event) or _is_redo(event)):
            return False
        field = _guarded_field(obj)
        if field is None and isinstance(obj, QLineEdit) and hasattr(obj, "bound"):
            field = obj                                   # a bound text field
        if field is None or not hasattr(field, "bound"):
            return False
        if _is_undo(event) and _pending_typing(field):
            return False                                  # the field undoes its typing
        # Not overridden: the shortcut goes to Edit > Undo / Redo.
        event.ignore()
        return True


def _visible_columns(view: QAbstractItemView) -> list[int]:
    columns = range(view.model().columnCount(view.rootIndex()))
    if isinstance(view, QTableView):
        return [c for c in columns if not view.isColumnHidden(c)]
    return list(columns)


def _at_table_end(view: QAbstractItemView, forward: bool) -> bool:
    """The current cell is the last (forward) or first cell Tab reaches, or
    there is no cell at all."""
    model = view.model()
    rows = model.rowCount(view.rootIndex()) if model is not None else 0
    columns = _visible_columns(view) if model is not None else []
    current = view.currentIndex()
    if not rows or not columns:
        return True
    if not current.isValid():
        return not forward                  # Tab starts at the first cell
    if forward:
        return current.row() == rows - 1 and current.column() == columns[-1]
    return current.row() == 0 and current.column() == columns[0]


def _focus_next(widget: QWidget, forward: bool) -> bool:
    """Give the focus to the next (or previous) control after `widget` in the
    window's Tab order, outside `widget`; False if there is none."""
    step = (lambda w: w.nextInFocusChain()) if forward else (lambda w: w.previousInFocusChain())
    candidate = step(widget)
    while candidate is not None and candidate is not widget:
        if (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus) == Qt.FocusPolicy.TabFocus \
                and candidate.isVisible() and candidate.isEnabled() \
                and not widget.isAncestorOf(candidate) and candidate.focusProxy() is None:
            reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            candidate.setFocus(reason)
            return True
        candidate = step(candidate)
    return False


def strong_focus(root: QWidget) -> None:
    """Fields under `root` take focus by click or Tab, never by the wheel."""
    for widget in root.findChildren(QWidget):
        if isinstance(widget, GUARDED):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


_filter: SafeInputFilter | None = None


def install(root: QWidget | None = None) -> SafeInputFilter:
    """Make the application's filter once, guarding every widget polished from
    now on; guard `root`'s widgets made before and give its fields StrongFocus."""
    global _filter
    app = QApplication.instance()
    if _filter is None:
        _filter = SafeInputFilter(app)
        use_field_frame_style()        # the style whose polish guards new widgets
        on_polish(_filter.guard)
    if root is not None:
        for widget in (root, *root.findChildren(QWidget)):
            _filter.guard(widget)
        strong_focus(root)
    return _filter
