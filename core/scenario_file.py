"""Scenario files: a versioned JSON format, strict loading, atomic saving.

A file holds one or more named scenarios (for example Base, Bull, Bear) and
which of them was active.  The (de)serializer is generic: it walks
`dataclasses.fields()` of `Scenario`, its sections and their record tuples
(`ClusterHardware.gpu_models`, `.tranches`) and reads each field's metadata
(kind, unit, range), so a parameter added to core/parameters.py is saved,
loaded, validated and documented without a change here.

Loading refuses anything it cannot read exactly: each problem raises
`ScenarioFileError` with one line naming the file, the field and what was
expected.  Files of an older format version are migrated (steps in
`MIGRATIONS`, then missing fields take their defaults); in a file of the
current version a missing field is an error.  Loading never writes, except to
put back the whole old version of a file whose in-place save was killed midway.

Saving goes through core.safe_write (a temporary file beside the target,
fsync, bytes checked, rename), so a crash or a full disk leaves the previous
file whole.  What is saved can be opened: the writer refuses a file larger
than the reader accepts, and text that cannot be written (a lone surrogate
such as "\ud800" from a JSON escape) is refused when a file is read.
Reading refuses folders, pipes and devices before reading a byte, and bounds
numbers (no huge integers, so no OverflowError or int-string limit).

    python -m core.scenario_file --doc > docs/scenario-format.md
regenerates the format's documentation from the parameters' metadata.
"""
from __future__ import annotations

import copy
import dataclasses
import errno
import functools
import datetime as dt
import json
import math
import os
import re
import stat
import sys
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from core.parameters import (MAX_DATE, MIN_DATE, OPTIONAL_FIELDS, ParameterError, Scenario,
                             choice_text,
                             choice_value, format_range)
from core.safe_write import (FileStamp, TargetChanged, WriteError, finish_interrupted_save,
                             stamp_of, write_bytes)

FORMAT_NAME = "compute-deal-modeler/scenarios"
FORMAT_VERSION = 4
FIRST_VERSION = 1
# Real scenario files are a few kilobytes; a workspace of 100 scenarios of 300
# tranches each is 6.3 MB.  The same limit holds for writing and for reading,
# so that whatever is saved (or autosaved) can be opened again.
MAX_FILE_BYTES = 16_000_000
# Digits in a number: the largest value any range allows has far fewer; more is
# refused before Python converts it (no OverflowError, no int-string limit).
MAX_NUMBER_DIGITS = 40
# How much of a string read from a file a message quotes.
MAX_QUOTED = 60
MAX_SCENARIOS = 100
MAX_NAME_LENGTH = 200
# The workspace budget: the tranches and GPU models one workspace (all its
# scenarios) may hold, so that whatever the app holds it can save and autosave
# (MAX_FILE_BYTES).  Worked out from the longest a record encodes to: a tranche
# whose texts are at their longest in characters JSON escapes (\u0001, 6 bytes)
# is 1,497 bytes, a GPU model 616; a scenario's own fields with both monthly
# plans full (240 months each) and the longest name, at most 50 KB.  100 such
# scenarios (5.0 MB) and 6,000 records (9.0 MB) make 14 MB, under the 16 MB
# limit; tests/core/test_workspace_budget.py saves that workspace.
MAX_RECORDS = 6_000
FILE_SUFFIX = ".cdm.json"


def _choice_values(document: dict) -> dict:
    """Version 1 -> 2: choice fields store a stable value ("fixed") rather than
    their display text ("fixed monthly fee")."""
    scenarios = document.get("scenarios")
    for scenario in scenarios if isinstance(scenarios, list) else ():
        if not isinstance(scenario, dict):
            continue   # decoding reports it, with its place
        for section in field_specs(Scenario):
            part = scenario.get(section.name)
            if section.kind != "section" or not isinstance(part, dict):
                continue
            for spec in field_specs(section.python_type):
                if spec.kind == "choice" and isinstance(part.get(spec.name), str):
                    part[spec.name] = choice_value(spec.meta, part[spec.name])
    return document


# --- format 3 -> 4: the market section (core/market.py) -----------------------------

def _h100e_per_gpu_json(hardware: dict, model: dict) -> float:
    """A model's H100-equivalents per GPU as format 3 weighted them (core/timeline.py),
    read from the JSON (fields a file left out take their defaults)."""
    from core.parameters import (ClusterHardware, GpuModel, H100_DENSE_BF16_TFLOPS,
                                 H100_TOKENS_PER_S, H100E_BY_THROUGHPUT, H100E_BY_WORKLOAD,
                                 WORKLOAD_INFERENCE)

    def number(part: dict, name: str, default: float) -> float:
        value = part.get(name, default)
        return float(value) if isinstance(value, (int, float)) and not isinstance(
            value, bool) else default
    weighting = hardware.get("h100e_weighting", ClusterHardware.h100e_weighting)
    if weighting == H100E_BY_WORKLOAD:
        workload = hardware.get("workload", ClusterHardware.workload)
        weighting = H100E_BY_THROUGHPUT if workload == WORKLOAD_INFERENCE else "flops"
    if weighting == H100E_BY_THROUGHPUT:
        return number(model, "tokens_per_s", GpuModel.tokens_per_s) / H100_TOKENS_PER_S
    return number(model, "bf16_dense_tflops", GpuModel.bf16_dense_tflops) / H100_DENSE_BF16_TFLOPS


def _market_from_cloud_rate(document: dict) -> dict:
    """Version 3 -> 4: the flat "cloud rate per H100-equivalent hour" becomes
    the market section.  Each GPU model of the scenario gets a market rent of
    rate x its H100-equivalents per GPU (the weighting the file used), a
    yearly change of 0 and the label [D]: the cloud alternative and the
    provider's opportunity cost (delivered GPU-hours of each model x its
    rent) are then what they were, to rounding (about 1e-15).  The other
    market fields take their defaults."""
    from core.market import migrated_rent
    from core.parameters import FORWARD_YEARLY
    document = copy.deepcopy(document)     # the caller's document stays as it was
    for i, scenario in enumerate(document.get("scenarios") or ()):
        if not isinstance(scenario, dict) or "market" in scenario:
            continue
        projections = scenario.get("projections")
        rate = 2.50    # format 3's default
        if isinstance(projections, dict) and "cloud_rate_per_h100_hour" in projections:
            rate = projections.pop("cloud_rate_per_h100_hour")
            if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not (
                    math.isfinite(rate) and 0 <= rate <= 100):
                raise ScenarioFileError(f"expected a number between 0 and 100 $ per H100-hour, "
                                        f"got {_shown(rate)}",
                                        f"scenarios[{i}].projections.cloud_rate_per_h100_hour")
        hardware = scenario.get("hardware")
        hardware = hardware if isinstance(hardware, dict) else {}
        models = hardware.get("gpu_models")
        rents = [migrated_rent(float(rate), _h100e_per_gpu_json(hardware, m), m["name"])
                 for m in (models if isinstance(models, list) else ())
                 if isinstance(m, dict) and isinstance(m.get("name"), str)]
        scenario["market"] = {"forward_path": FORWARD_YEARLY, "rent_change_pct_per_year": 0.0,
                              "rents": rents}
    return document


# Migration steps: MIGRATIONS[v] turns a document of version v into one of
# version v + 1 (renames, restructuring).  A field that is merely new in a later
# version needs no step: in an older file it takes its default.
# Version 3 added the optional monthly plans (contract.invoice_plan,
# projections.demand_plan): a version-2 file has none, and loads with both empty.
# Sections added within a format version: a file without one loads with its
# defaults (format 4 gained `credit` after its first release).
OPTIONAL_SECTIONS = {(Scenario, "credit")}

# Version 4 added the market section (see _market_from_cloud_rate).
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _choice_values, 3: _market_from_cloud_rate}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TOP_LEVEL = ("format", "version", "active", "scenarios")


class ScenarioFileError(ValueError):
    """A scenario file was refused.  `file` is its path, `field` the field at
    fault (e.g. "scenarios[0].contract.monthly_fee") or None, and `detail`
    what was expected."""

    def __init__(self, detail: str, field: str | None = None, file: str | os.PathLike | None = None):
        self.detail = detail
        self.field = field
        self.file = None if file is None else str(file)
        super().__init__(self._message())

    def _message(self) -> str:
        parts = [p for p in (self.file, self.field) if p]
        # One line, always: a field name read from the file may hold control characters
        # or lone surrogates (which could not even be printed).
        text = _CONTROL.sub(lambda m: repr(m.group())[1:-1], ": ".join(parts + [self.detail]))
        return text.encode("utf-8", "backslashreplace").decode("utf-8")

    def in_file(self, file) -> "ScenarioFileError":
        return ScenarioFileError(self.detail, self.field, file)


class ScenarioSaveError(OSError):
    """A save failed (disk full, no permission, too large to reopen); the
    previous file is intact.  str() is one line naming the file."""

    def __str__(self) -> str:
        return self.strerror or super().__str__()


class ScenarioFileChanged(ScenarioSaveError):
    """Not saved: the file changed on disk since it was opened or last saved.
    Saving again without `expected` overwrites it."""


class _TooLong:
    """A number in a file with more digits than any field allows."""

    def __init__(self, text: str):
        self.digits = len(text)


def _parse_int(text: str):
    return _TooLong(text) if len(text) > MAX_NUMBER_DIGITS else int(text)


def _parse_float(text: str):
    if len(text) > MAX_NUMBER_DIGITS + 10:
        return _TooLong(text)
    return float(text)


def _short(text: str, limit: int = MAX_QUOTED) -> str:
    """A string from a file, cut to a length a message can show."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ScenarioSet:
    """What a file holds: named scenarios and the one that was active."""
    scenarios: tuple[Scenario, ...]
    active: int = 0

    @property
    def current(self) -> Scenario:
        return self.scenarios[self.active]


# --- the shape of a scenario, read from the dataclasses ------------------------------

@dataclass(frozen=True)
class FieldSpec:
    """How one dataclass field is stored: a scalar `kind` (number, text,
    choice, date), a nested `section`, or a tuple of `records`."""
    name: str
    kind: str            # number | text | choice | date | section | records
    meta: dict
    python_type: Any     # int / float / str / date, or the nested dataclass
    default: Any


def field_specs(cls) -> list[FieldSpec]:
    return list(_field_specs(cls))


@functools.lru_cache(maxsize=None)
def _field_specs(cls) -> tuple[FieldSpec, ...]:
    # Cached: a large workspace (100 scenarios of 300 tranches) encodes 30,000
    # records, and reading type hints for each took seconds.
    hints = typing.get_type_hints(cls)
    specs = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        tp = hints[f.name]
        default = (f.default if f.default is not dataclasses.MISSING
                   else f.default_factory() if f.default_factory is not dataclasses.MISSING
                   else None)
        kind = f.metadata.get("kind")
        if kind is not None:
            specs.append(FieldSpec(f.name, kind, dict(f.metadata), tp, default))
        elif dataclasses.is_dataclass(tp):
            specs.append(FieldSpec(f.name, "section", {}, tp, default))
        elif typing.get_origin(tp) is tuple and dataclasses.is_dataclass(typing.get_args(tp)[0]):
            specs.append(FieldSpec(f.name, "records", {}, typing.get_args(tp)[0], default))
        elif tp is str:
            # A plain string without metadata (Scenario.name).
            specs.append(FieldSpec(f.name, "text", {"max_length": MAX_NAME_LENGTH,
                                                    "label": f.name}, str, default))
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: the scenario file format cannot store "
                            f"a field of type {tp!r}; declare it with core.parameters helpers")
    return tuple(specs)


# --- encoding ------------------------------------------------------------------------

def _encode_object(instance) -> dict:
    out: dict[str, Any] = {}
    for spec in _field_specs(type(instance)):  # type: ignore[arg-type]  # classes hash
        value = getattr(instance, spec.name)
        if spec.name in OPTIONAL_FIELDS and value == spec.default:
            continue      # an optional field left as it is: the file reads as before
        if spec.kind == "section":
            out[spec.name] = _encode_object(value)
        elif spec.kind == "records":
            out[spec.name] = [_encode_object(record) for record in value]
        elif spec.kind == "date":
            out[spec.name] = value.isoformat()
        elif spec.kind == "number":
            out[spec.name] = int(value) if spec.python_type is int else float(value)
        else:
            out[spec.name] = value
    return out


def encode_document(scenarios: ScenarioSet) -> dict:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "active": scenarios.active,
            "scenarios": [_encode_object(s) for s in scenarios.scenarios]}


def dumps(scenarios: ScenarioSet) -> str:
    return json.dumps(encode_document(scenarios), indent=2, allow_nan=False,
                      ensure_ascii=False) + "\n"


# --- decoding ------------------------------------------------------------------------

def _shown(value) -> str:
    """A value as the message quotes it, short."""
    if isinstance(value, _TooLong):
        return f"a number of {value.digits:,} characters"
    if isinstance(value, (list, dict)):
        return _type_name(value)
    if isinstance(value, str) and len(value) > MAX_QUOTED:
        value = _short(value)
    text = json.dumps(value, allow_nan=True, ensure_ascii=False) if not isinstance(
        value, float) or math.isfinite(value) else repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _type_name(value) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            type(None): "null", int: "a number", float: "a number"}.get(type(value), "a value")


def describe(spec: FieldSpec) -> str:
    """What a field must hold, in words (for messages and the documentation)."""
    meta = spec.meta
    if spec.kind == "number":
        whole = "a whole number" if spec.python_type is int else "a number"
        if meta.get("minimum") is not None and meta.get("maximum") is not None:
            return f"{whole} between {format_range(meta)}"
        return whole + (f" in {meta['unit']}" if meta.get("unit") else "")
    if spec.kind == "text":
        return f"text of at most {meta['max_length']} characters"
    if spec.kind == "choice":
        return "one of " + ", ".join(
            f'"{c}"' + ("" if choice_text(meta, c) == c else f" ({choice_text(meta, c)})")
            for c in meta["choices"])
    if spec.kind == "date":
        return f"a date YYYY-MM-DD between {MIN_DATE} and {MAX_DATE}"
    if spec.kind == "section":
        return f"an object of {spec.python_type.__name__} fields"
    if spec.kind == "records":
        return f"a list of {spec.python_type.__name__} objects"
    raise TypeError(spec.kind)


def _decode_scalar(spec: FieldSpec, value, where: str):
    expected = describe(spec)
    if isinstance(value, _TooLong):
        raise ScenarioFileError(f"expected {expected}, got {_shown(value)}", where)
    if spec.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioFileError(f"expected {expected}, got {_type_name(value)} {_shown(value)}",
                                    where)
        if not math.isfinite(value):
            raise ScenarioFileError(f"expected {expected}, got {_shown(value)}", where)
        if spec.python_type is int:
            if not float(value).is_integer():
                raise ScenarioFileError(f"expected {expected}, got {_shown(value)}", where)
            return int(value)
        return float(value)
    if not isinstance(value, str):
        raise ScenarioFileError(f"expected {expected}, got {_type_name(value)} {_shown(value)}",
                                where)
    if spec.kind == "date":
        try:
            if not _ISO_DATE.match(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ScenarioFileError(f"expected {expected}, got {_shown(value)}", where) from None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ScenarioFileError(f"holds a character that cannot be saved (a lone surrogate, "
                                f"{value[error.start]!r} at character {error.start + 1}); "
                                f"expected plain text", where) from None
    return value


def _decode_value(spec: FieldSpec, value, where: str, fill_missing: bool):
    if spec.kind == "section":
        return _decode_object(spec.python_type, value, where, fill_missing)
    if spec.kind == "records":
        if not isinstance(value, list):
            raise ScenarioFileError(f"expected {describe(spec)}, got {_type_name(value)}", where)
        return tuple(_decode_object(spec.python_type, item, f"{where}[{i}]", fill_missing)
                     for i, item in enumerate(value))
    return _decode_scalar(spec, value, where)


def _decode_object(cls, data, where: str, fill_missing: bool):
    if not isinstance(data, dict):
        raise ScenarioFileError(f"expected an object of {cls.__name__} fields, got "
                                f"{_type_name(data)}", where or None)
    specs = _field_specs(cls)
    known = [s.name for s in specs]
    prefix = f"{where}." if where else ""
    for name in data:
        if name not in known:
            raise ScenarioFileError(f"unknown field; {cls.__name__} has {', '.join(known)}",
                                    prefix + _short(name))
    kwargs = {}
    for spec in specs:
        if spec.name not in data:
            if fill_missing or spec.name in OPTIONAL_FIELDS \
                    or (cls, spec.name) in OPTIONAL_SECTIONS:
                continue  # an older format version or an optional field: its default
            raise ScenarioFileError(f"missing; expected {describe(spec)}", prefix + spec.name)
        kwargs[spec.name] = _decode_value(spec, data[spec.name], prefix + spec.name, fill_missing)
    for spec in specs:
        # Checks the parameters do not make of a plain field (Scenario.name).
        if spec.kind == "text" and spec.name in kwargs and not spec.meta.get("kind"):
            if not kwargs[spec.name].strip() or len(kwargs[spec.name]) > spec.meta["max_length"]:
                raise ScenarioFileError(f"expected {describe(spec)}, not empty",
                                        prefix + spec.name)
    try:
        return cls(**kwargs)
    except ParameterError as error:
        raise ScenarioFileError(str(error), prefix + error.field) from None
    except (TypeError, ValueError) as error:
        raise ScenarioFileError(str(error), where or None) from None


def _reject_duplicate_keys(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            raise ScenarioFileError(f"the field {_short(key)!r} appears twice in one object")
        out[key] = value
    return out


def migrate(document: dict) -> dict:
    """Bring a document of an older format version up to FORMAT_VERSION."""
    version = document["version"]
    while version < FORMAT_VERSION:
        step = MIGRATIONS.get(version)
        if step is not None:
            document = step(dict(document))
        version += 1
        document["version"] = version
    return document


def records_in(scenarios) -> int:
    """Tranches and GPU models in these scenarios: what the workspace budget counts."""
    return sum(len(s.hardware.tranches) + len(s.hardware.gpu_models) for s in scenarios)


def over_budget(records: int) -> str | None:
    """None within the workspace budget; otherwise what is wrong, to follow
    "the workspace would hold" or "the file holds"."""
    if records <= MAX_RECORDS:
        return None
    return (f"{records:,} tranches and GPU models in all; a workspace may hold at most "
            f"{MAX_RECORDS:,}, so that it can always be saved")


def _raw_records(item) -> int:
    """Records in one undecoded scenario (counted before any is decoded)."""
    hardware = item.get("hardware") if isinstance(item, dict) else None
    if not isinstance(hardware, dict):
        return 0
    return sum(len(v) for v in (hardware.get("tranches"), hardware.get("gpu_models"))
               if isinstance(v, list))


def decode_document(document) -> ScenarioSet:
    """A parsed JSON document -> ScenarioSet, or ScenarioFileError."""
    if not isinstance(document, dict):
        raise ScenarioFileError(f"expected a JSON object with \"format\": \"{FORMAT_NAME}\", "
                                f"got {_type_name(document)}")
    if document.get("format") != FORMAT_NAME:
        raise ScenarioFileError(f"not a Compute Deal Modeler scenario file (expected "
                                f"\"format\": \"{FORMAT_NAME}\")", "format")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < FIRST_VERSION:
        raise ScenarioFileError(f"expected a whole format version from {FIRST_VERSION} to "
                                f"{FORMAT_VERSION}, "
                                f"got {_shown(version)}", "version")
    if version > FORMAT_VERSION:
        raise ScenarioFileError(
            f"format version {version} was written by a newer Compute Deal Modeler; this one "
            f"reads versions up to {FORMAT_VERSION}: update the app to open it", "version")
    older = version < FORMAT_VERSION
    if older:
        document = migrate(dict(document))
    for name in document:
        if name not in _TOP_LEVEL:
            raise ScenarioFileError(f"unknown field; a scenario file has {', '.join(_TOP_LEVEL)}",
                                    _short(name))
    raw = document.get("scenarios")
    if not isinstance(raw, list) or not raw:
        raise ScenarioFileError("expected a list of at least one scenario", "scenarios")
    if len(raw) > MAX_SCENARIOS:
        raise ScenarioFileError(f"expected at most {MAX_SCENARIOS} scenarios, got {len(raw)}",
                                "scenarios")
    problem = over_budget(sum(_raw_records(item) for item in raw))
    if problem:
        raise ScenarioFileError(f"holds {problem}", "scenarios")
    scenarios = tuple(_decode_object(Scenario, item, f"scenarios[{i}]", older)
                      for i, item in enumerate(raw))
    names = [s.name for s in scenarios]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise ScenarioFileError(f"expected a name no other scenario uses; {_shown(name)} "
                                    f"is used twice", f"scenarios[{i}].name")
    active = document.get("active", 0 if older else None)
    if isinstance(active, bool) or not isinstance(active, int) or not 0 <= active < len(scenarios):
        raise ScenarioFileError(f"expected the index of a scenario, 0 to {len(scenarios) - 1}, "
                                f"got {_shown(active)}", "active")
    return ScenarioSet(scenarios, active)


def loads(text: str) -> ScenarioSet:
    if not text.strip():
        raise ScenarioFileError("the file is empty; expected a JSON scenario file")
    try:
        document = json.loads(text, object_pairs_hook=_reject_duplicate_keys,
                              parse_int=_parse_int, parse_float=_parse_float)
    except json.JSONDecodeError as error:
        raise ScenarioFileError(f"not valid JSON ({error.msg} at line {error.lineno}, column "
                                f"{error.colno}); expected a JSON scenario file") from None
    except RecursionError:
        raise ScenarioFileError("nested too deeply to be a scenario file") from None
    return decode_document(document)


# --- files ---------------------------------------------------------------------------

def _too_large(file=None) -> ScenarioFileError:
    return ScenarioFileError(f"is larger than {MAX_FILE_BYTES // 1_000_000} MB, the most a "
                             f"scenario file may hold", file=file)


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES + 1 of them.  A folder,
    pipe or device is refused before anything is read (a FIFO would block)."""
    try:
        before = os.stat(path)
        if stat.S_ISDIR(before.st_mode):
            raise ScenarioFileError("is a folder, not a scenario file", file=path)
        if not stat.S_ISREG(before.st_mode):
            raise ScenarioFileError("is not a regular file (a pipe, socket or device); "
                                    "expected a scenario file", file=path)
        if before.st_size > MAX_FILE_BYTES:
            raise _too_large(path)
        # O_NONBLOCK: should the path become a FIFO after the check, opening it cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise ScenarioFileError("no such file", file=path) from None
    except OSError as error:
        raise ScenarioFileError(f"cannot be read ({error.strerror or error})", file=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ScenarioFileError("is not a regular file; expected a scenario file", file=path)
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise ScenarioFileError(f"cannot be read ({error.strerror or error})", file=path) from None
    finally:
        os.close(fd)


def read_scenarios(path: str | os.PathLike) -> ScenarioSet:
    """Every scenario in a file; ScenarioFileError (naming the file) on any problem."""
    path = Path(path)
    finish_interrupted_save(path)   # a save killed midway: the whole old version back
    data = _read_regular_file(path)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(path)
    if not data:
        raise ScenarioFileError("the file is empty; expected a JSON scenario file", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioFileError("not a text file (not UTF-8); expected a JSON scenario file",
                                file=path) from None
    try:
        return loads(text)
    except ScenarioFileError as error:
        raise error.in_file(path) from None


def load_scenario(path: str | os.PathLike) -> Scenario:
    """The active scenario of a file, or the inputs of a workbook the app
    exported (.xlsx, read as File > Open reads it); ScenarioFileError on any
    problem, one line naming the file and the field or cell."""
    from core.workbook_import import WorkbookImportError, is_workbook, read_workbook_scenario
    if is_workbook(path):
        try:
            return read_workbook_scenario(path)
        except WorkbookImportError as error:
            raise ScenarioFileError(error.detail + error.more, file=path) from None
    return read_scenarios(path).current


def encode_file(scenarios: ScenarioSet, path: str | os.PathLike | None = None) -> bytes:
    """The bytes of a scenario file, or ScenarioSaveError if they could not be
    opened again (larger than MAX_FILE_BYTES, text that cannot be encoded)."""
    try:
        data = dumps(scenarios).encode("utf-8")
    except UnicodeEncodeError as error:
        raise ScenarioSaveError(errno.EINVAL, f"{path or 'the scenarios'}: not saved "
                                f"(a name holds a character that cannot be saved, "
                                f"{error.object[error.start]!r}); the previous file is "
                                f"unchanged") from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioSaveError(errno.EFBIG, f"{path or 'the scenarios'}: not saved ({len(data) / 1e6:.1f} "
                                f"MB; a scenario file may hold at most "
                                f"{MAX_FILE_BYTES // 1_000_000} MB, so it could not be opened "
                                f"again: remove scenarios or tranches); the previous file is "
                                f"unchanged")
    return data


def write_scenarios(scenarios: ScenarioSet, path: str | os.PathLike,
                    expected: FileStamp | None = None) -> FileStamp:
    """Write safely (core.safe_write: temporary beside the target, fsync, bytes
    checked, rename; through a symbolic link).  Returns the saved file's stamp.
    On failure the previous file is untouched and ScenarioSaveError is raised;
    with `expected`, ScenarioFileChanged if the file changed since that stamp."""
    data = encode_file(scenarios, path)
    try:
        return write_bytes(path, data, expected=expected)
    except TargetChanged as error:
        raise ScenarioFileChanged(error.errno, str(error)) from None
    except WriteError as error:
        raise ScenarioSaveError(error.errno, str(error)) from None


def save_scenario(scenario: Scenario, path: str | os.PathLike) -> None:
    write_scenarios(ScenarioSet((scenario,), 0), path)


# --- documentation -------------------------------------------------------------------

def _default_text(spec: FieldSpec) -> str:
    value = spec.default
    if spec.kind == "date":
        return value.isoformat()
    if spec.kind == "number":
        if float(value).is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,g}"
    if spec.kind in ("text", "choice"):
        return f'"{value}"'
    if spec.kind == "records":
        return f"{len(value)} records" if value else "none"
    return ""


def _tables(cls, heading: str, out: list[str], seen: set) -> None:
    if cls in seen:
        return
    seen.add(cls)
    specs = field_specs(cls)
    out += [f"### {heading}", "",
            "| field | meaning | unit | allowed values | default |",
            "|---|---|---|---|---|"]
    nested = []
    for spec in specs:
        unit = spec.meta.get("unit", "") if spec.kind == "number" else ""
        label = spec.meta.get("label", "") if spec.meta.get("kind") else ""
        if spec.kind in ("section", "records"):
            nested.append(spec)
            label = f"see {spec.python_type.__name__} below"
        out.append(f"| `{spec.name}` | {label} | {unit or '—'} | {describe(spec)} | "
                   f"{_default_text(spec) or '—'} |")
    out.append("")
    for spec in nested:
        _tables(spec.python_type, f"{spec.python_type.__name__} (`{spec.name}`)", out, seen)


def _market_notes() -> list[str]:
    """The documentation's words on the market section (format 4)."""
    return [
        "## The `market` section (format 4)",
        "",
        "Each scenario's `market` holds the rents the deal is priced against (core/market.py):",
        "",
        "- `rents`: one row per GPU model (`gpu_model` names a model of `hardware.gpu_models`): "
        "today's rent per GPU-hour, the 1-month, 1-year and 3-year quotes, and the figure's "
        "`label` ([R] reported, [E] estimate, [D] derived, [U] the user's), `as_of` date and "
        "`source`. New scenarios start from SemiAnalysis's July 2026 3-year contract rents [E]. "
        "A model with no row is priced at $0 in the market figures, with a warning.",
        "- `forward_path`: `\"yearly_change\"` (today's rent x (1 + `rent_change_pct_per_year`) ^ "
        "(days / 365)); `\"quotes\"` (each quote is the average of the monthly forwards over its "
        "term, forwards flat between tenors: month 1 = q1, months 2-12 = (12 q12 - q1) / 11, "
        "months 13 on = (36 q36 - 12 q12) / 24); or `\"imported\"` (`rent_curve`: records of "
        "`month`, `gpu_model`, `rent`, each month and model once; months it does not name follow "
        "the yearly change).",
        "- The buyer's replacement premium and lead time, the provider's re-let discount, lead "
        "time and own-use value, and the stochastic market (volatility, mean reversion, "
        "correlation between models and with the token price) that values each side's right to "
        "walk (core/rights.py).",
        "",
        "Migration from format 3: the flat `projections.cloud_rate_per_h100_hour` (R) is "
        "removed. Each GPU model of the scenario gets a market rent row of R x its "
        "H100-equivalents per GPU (the weighting the scenario used: tokens/s / 2,675 or dense "
        "BF16 TFLOPS / 989), labelled [D], with a yearly change of 0. The cloud alternative and "
        "the provider's opportunity cost (each model's delivered GPU-hours x its rent) are then "
        "the old H100-equivalent hours x R, equal to rounding (1e-15 relative). The other "
        "market fields take their defaults.",
        "",
    ]


def _credit_notes() -> list[str]:
    """The documentation's words on the credit section (optional in format 4)."""
    return [
        "## The `credit` section (format 4, optional)",
        "",
        "Each scenario's `credit` holds each party's credit (core/credit.py), as fields "
        "`provider_*` and `buyer_*`: each party's `basis` (`\"spread\"`: hazard = `spread_bp` / (1 - "
        "`recovery_pct`); `\"default_probability\"`: hazard = -ln(1 - `annual_default_pct`); "
        "`\"rating\"`: the rating's generic one-year default rate), the figure's `label`, "
        "`as_of` and `source`, and an optional guarantor (`guarantor_name`, `guaranteed_pct`, "
        "its spread and recovery: the guaranteed share takes the guarantor's credit); and the "
        "wrong-way correlations of each party's default with the simulated market.",
        "",
        "A format-4 file written before the section existed has no `credit`: it loads with "
        "the defaults (the provider at SpaceX's June 2026 bond spread, the buyer at a BB "
        "rating proxy). Files of formats 1-3 are migrated as before and take the same "
        "defaults.",
        "",
    ]


def format_documentation() -> str:
    """The Markdown documentation of the file format, from the parameters' metadata."""
    out = [
        "# Scenario file format",
        "",
        "<!-- Generated by `python -m core.scenario_file --doc > docs/scenario-format.md`;",
        "     regenerate it after changing core/parameters.py (a test checks it is current). -->",
        "",
        f"A scenario file is UTF-8 JSON, named `*{FILE_SUFFIX}` by convention. It holds one or",
        "more named scenarios (for example Base, Bull, Bear) and which one was active:",
        "",
        "```json",
        "{",
        f'  "format": "{FORMAT_NAME}",',
        f'  "version": {FORMAT_VERSION},',
        '  "active": 0,',
        '  "scenarios": [ { "name": "Base", "contract": { ... }, "hardware": { ... }, ... } ]',
        "}",
        "```",
        "",
        f"- `format` is always `\"{FORMAT_NAME}\"`; `version` is the format version, now "
        f"{FORMAT_VERSION}.",
        f"- `active` is the index of the scenario shown on opening; `scenarios` holds 1 to "
        f"{MAX_SCENARIOS} scenarios with distinct, non-empty names, and at most "
        f"{MAX_RECORDS:,} tranches and GPU models in all (the workspace budget).",
        "- Money is in US dollars, unscaled (`1250000000` is $1.25B). Percentages are percent "
        "(`10` is 10%). Dates are `YYYY-MM-DD`.",
        "- `cases` (named cases: base, upside, downside) is optional: a scenario without "
        "cases leaves it out, and a file without it (every format-3 file) loads with none. "
        "Each case names its changed inputs by key (`contract.monthly_fee`), each value within "
        "that input's range, and a weight from 0 to 100%; the weighted figure divides by the "
        "weights' sum.",
        "- Every other field below must be present, with the type and range shown; an unknown field, "
        "a wrong type, a value out of range, `NaN` or `Infinity`, or a repeated key is refused "
        "with a message naming the file and the field. Nothing is written when a file is refused.",
        f"- Files of an older format version are migrated when opened: fields added since take "
        f"their defaults. A file of a newer version is refused. Files over "
        f"{MAX_FILE_BYTES // 1_000_000} MB are refused, and the app does not save a larger one.",
        "- Saving writes a temporary file beside the target and renames it over the target, so "
        "an interrupted save leaves the previous file intact.",
        "- `python main.py FILE` opens a file in the app; `python main.py kpis FILE --json` and "
        "`python main.py schedule FILE --csv` compute the active scenario of a file.",
        "",
        "When adding a parameter: declare it in core/parameters.py with `quantity()`, `text()`, "
        "`choice()` or `date_field()`, bump `FORMAT_VERSION` in core/scenario_file.py (so that "
        "older files load with the new field's default), and regenerate this page.",
        "",
    ] + _market_notes() + _credit_notes() + [
        "## Fields",
        "",
    ]
    _tables(Scenario, "Scenario (each element of `scenarios`)", out, set())
    return "\n".join(out).rstrip("\n") + "\n"


if __name__ == "__main__":
    if sys.argv[1:] == ["--doc"]:
        sys.stdout.write(format_documentation())
    else:
        sys.stderr.write("usage: python -m core.scenario_file --doc\n")
        sys.exit(2)
