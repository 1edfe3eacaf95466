"""A scrollable column of titled input groups, the left side of each tab."""
from __future__ import annotations

from PySide6.QtWidgets import (QFormLayout, QGroupBox, QScrollArea, QVBoxLayout, QWidget)

from ui.app.binding import ScenarioBinding
from ui.widgets.fields import field_label, make_field


class FormPanel(QScrollArea):
    def __init__(self, binding: ScenarioBinding, parent=None):
        super().__init__(parent)
        self.binding = binding
        self.fields: dict[str, QWidget] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(6, 6, 6, 6)
        self.setWidget(body)

    def add_group(self, title: str, section: str, names: list[str],
                  custom: dict[str, QWidget] | None = None) -> QGroupBox:
        """A group of fields; `custom` gives widgets made elsewhere (sliders)."""
        group = QGroupBox(title)
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in names:
            widget = (custom or {}).get(name) or make_field(self.binding, section, name)
            self.fields[name] = widget
            form.addRow(field_label(self.binding, section, name), widget)
        self.column.addWidget(group)
        return group

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        self.column.addWidget(widget, stretch)

    def finish(self) -> None:
        self.column.addStretch(1)
