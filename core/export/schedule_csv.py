"""The monthly schedule as CSV: the same text `main.py schedule --csv` prints."""
from __future__ import annotations

import io
from pathlib import Path

from core.engine import Results


def schedule_frame(results: Results):
    """The schedule as a DataFrame with ISO dates (YYYY-MM-DD) as text, whole
    numbers as integers ("30", not "30.0") and no negative zero ("-0.0")."""
    return tidy_frame(results.schedule.to_frame())


def tidy_frame(frame):
    """Dates as ISO text; a float column whose values are all whole becomes
    integers (a missing value stays empty); -0.0 becomes 0.0."""
    import numpy as np
    import pandas as pd
    for column in frame.columns:
        values = frame[column]
        if str(values.dtype).startswith("datetime64"):
            frame[column] = values.dt.strftime("%Y-%m-%d")
        elif values.dtype.kind == "f":
            numbers = values.to_numpy(dtype=float) + 0.0   # -0.0 + 0.0 is 0.0
            finite = numbers[np.isfinite(numbers)]
            if finite.size and np.all(finite == np.round(finite)) \
                    and np.all(np.abs(finite) < 2 ** 53) and not np.isinf(numbers).any():
                frame[column] = pd.array(np.round(numbers), dtype="Float64").astype("Int64")
            else:
                frame[column] = numbers
    return frame


def schedule_csv_text(results: Results) -> str:
    buffer = io.StringIO()
    schedule_frame(results).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def write_schedule_csv(results: Results, path: Path) -> None:
    path.write_text(schedule_csv_text(results), encoding="utf-8", newline="")
