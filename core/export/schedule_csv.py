"""The monthly schedule as CSV: the same text `main.py schedule --csv` prints."""
from __future__ import annotations

import io
from pathlib import Path

from core.engine import Results


def schedule_frame(results: Results):
    """The schedule as a DataFrame with ISO dates (YYYY-MM-DD) as text."""
    frame = results.schedule.to_frame()
    for column in frame.columns:
        if str(frame[column].dtype).startswith("datetime64"):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d")
    return frame


def schedule_csv_text(results: Results) -> str:
    buffer = io.StringIO()
    schedule_frame(results).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_schedule_csv(results: Results, path: Path) -> None:
    path.write_text(schedule_csv_text(results), encoding="utf-8", newline="")
