"""Text an XML-based export can hold.

XML 1.0 cannot hold most control characters (U+0000-U+0008, U+000B, U+000C,
U+000E-U+001F), U+FFFE, U+FFFF or a lone surrogate; a name read from a file may
hold them (the scenario loader accepts control characters in names), and lxml
refuses the whole deck for one of them.  The deck (python-pptx) drops them
through `xml_text`; the workbook needs nothing (xlsxwriter writes them as
_x0001_ escapes, which Excel and openpyxl read back) and the PDF draws text,
not XML.
"""
from __future__ import annotations

import re

_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(text) -> str:
    """`text` (any value, as str) without the characters XML 1.0 cannot hold."""
    return _NOT_IN_XML.sub("", str(text))
