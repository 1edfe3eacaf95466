"""The one way the app writes a file: scenario saves, autosaves and every export.

`write_bytes(path, data)` and `write_with(path, produce)` (for libraries that
write to a path themselves: xlsxwriter, python-pptx, QPdfWriter) both

- write a temporary file beside the target under a short name
  (`.cdm~PID~XXXXXX.tmp`, so a target name of any legal length still works),
  flush and fsync it, and check the bytes on disk are the bytes meant
  (a full disk that truncated or emptied the file is caught here);
- then rename it over the target, so a crash or a full disk at any moment
  leaves the previous file whole, and remove the temporary on any failure;
- write *through* a symbolic link (the file it points to is updated and the
  link stays a link) and, for a file with several hard links, update it in
  place so the links stay shared, with its whole old version kept beside it
  until the new one is whole and synced (a kill at any byte leaves that copy,
  and `finish_interrupted_save` puts it back; if it cannot be kept, the save
  is refused);
- refuse a folder, a pipe or a device, and a read-only file;
- with `expected` (the FileStamp taken when the file was opened or last
  saved), refuse with TargetChanged when another program changed the file
  since, so that the caller can ask before overwriting it;
- give a new file the user's normal permissions (0666 less the umask), and
  an existing file keeps its own.

Every failure is a WriteError whose message is one line naming the file.
`clean_stale_temporaries(folder)` removes temporaries left by a killed process
and settles old versions kept by a killed in-place save.
"""
from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import json
import os
import secrets
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

TEMP_PREFIX = ".cdm~"
TEMP_SUFFIX = ".tmp"
# A temporary of ours older than this is stale even if its process id was reused.
STALE_AFTER_SECONDS = 24 * 3600


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once: os.umask() sets as it reads, which is not safe to do from a worker thread.
_UMASK = _current_umask()


class WriteError(OSError):
    """A file was not written; the message (one line) names it and says why.
    The previous file, if any, is unchanged."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(code or 0, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TargetChanged(WriteError):
    """The target changed on disk since it was opened or last saved."""


class TargetReadOnly(WriteError):
    """The target is a read-only file."""


@dataclass(frozen=True)
class FileStamp:
    """Identifies one state of a file on disk: what `expected` compares."""
    device: int
    inode: int
    size: int
    mtime_ns: int


def stamp_of(path: str | os.PathLike) -> FileStamp | None:
    """The file's stamp (through symbolic links), or None if there is no file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return FileStamp(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def reason_of(error: OSError) -> str:
    """Why an operating-system call failed, for people: "the disk is full"."""
    return _reason(error)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.EROFS:
        return "the disk is read-only"
    return error.strerror or str(error) or type(error).__name__


def real_target(path: str | os.PathLike) -> Path:
    """Where writing `path` really goes: through symbolic links, after refusing
    a folder, a special file and a read-only file (WriteError)."""
    shown = Path(path).expanduser()
    target = Path(os.path.realpath(shown)) if os.path.islink(shown) else shown
    try:
        st = os.stat(target)
    except FileNotFoundError:
        folder = target.parent if str(target.parent) else Path(".")
        if not folder.is_dir():
            raise WriteError(f"{shown}: not written (the folder {folder} does not exist)",
                             errno.ENOENT) from None
        return target
    except OSError as error:
        raise WriteError(f"{shown}: not written ({_reason(error)})", error.errno) from None
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(f"{shown}: not written (it is a folder)", errno.EISDIR)
    if not stat.S_ISREG(st.st_mode):
        raise WriteError(f"{shown}: not written (it is not a regular file but a pipe, "
                         f"socket or device)", errno.EINVAL)
    # Mode bits as well as access(): root may write anything, but a file marked
    # read-only is the user's "do not change this".
    if not st.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise TargetReadOnly(f"{shown}: not written (the file is read-only; save under "
                             f"another name or make it writable)", errno.EACCES)
    return target


def _temporary_beside(target: Path) -> tuple[int, Path]:
    folder = target.parent if str(target.parent) else Path(".")
    for _ in range(20):
        temporary = folder / f"{TEMP_PREFIX}{os.getpid()}~{secrets.token_hex(3)}{TEMP_SUFFIX}"
        try:
            fd = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                         0o600)
        except FileExistsError:
            continue
        return fd, temporary
    raise OSError(errno.EEXIST, "no free temporary name")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "the disk accepted no bytes")
        view = view[written:]


def _read_all(fd: int, size: int) -> bytes:
    """The first `size` bytes of the file (lseek + read: os.pread is POSIX only)."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks, offset = [], 0
    while offset < size:
        chunk = os.read(fd, min(1 << 20, size - offset))
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _verify(fd: int, data: bytes) -> None:
    """The file behind `fd` holds exactly `data` (after fsync)."""
    size = os.fstat(fd).st_size
    if size != len(data) or _read_all(fd, size) != data:
        raise OSError(errno.EIO, f"the disk kept {size:,} of {len(data):,} bytes")


def _mode_for(target: Path) -> int:
    try:
        return os.stat(target).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def _check_unchanged(shown: Path, target: Path, expected: FileStamp | None) -> None:
    if expected is None:
        return
    now = stamp_of(target)
    if now is not None and now != expected:
        raise TargetChanged(f"{shown}: changed on disk since it was opened or last saved, "
                            f"by another program", errno.EEXIST)


# The old version of a hard-linked file rewritten in place is kept whole beside it
# (.cdm~keep~DEVICE-INODE.old) until the new version is whole and synced: a kill
# at any byte of the rewrite leaves that copy, and the next save or read of the
# file (finish_interrupted_save) puts back the whole old version.
KEEP_PREFIX = ".cdm~keep~"
KEEP_SUFFIX = ".old"
_KEEP_MAGIC = b"CDM-KEEP 1\n"


def _keep_path(folder: Path, st: os.stat_result) -> Path:
    return folder / f"{KEEP_PREFIX}{st.st_dev}-{st.st_ino}{KEEP_SUFFIX}"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_keep(folder: Path, target: Path, st: os.stat_result, old: bytes, new: bytes) -> Path:
    """The whole old version, with what the new one will be, written and synced
    under its final name by rename (so it is either absent or whole)."""
    header = json.dumps({"target": os.fsdecode(target), "device": st.st_dev, "inode": st.st_ino,
                         "old_sha256": _digest(old), "new_sha256": _digest(new)})
    payload = _KEEP_MAGIC + header.encode("utf-8") + b"\n" + old
    fd, temporary = _temporary_beside(target)
    try:
        try:
            _write_all(fd, payload)
            os.fsync(fd)
            _verify(fd, payload)
        finally:
            os.close(fd)
        keep = _keep_path(folder, st)
        os.replace(temporary, keep)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(folder)
    return keep


def _read_keep(keep: Path) -> tuple[dict, bytes] | None:
    """(header, old bytes) of a kept copy, or None if it is not a whole one."""
    try:
        data = keep.read_bytes()
    except OSError:
        return None
    if not data.startswith(_KEEP_MAGIC):
        return None
    line, newline, old = data[len(_KEEP_MAGIC):].partition(b"\n")
    try:
        header = json.loads(line)
    except ValueError:
        return None
    if not newline or not isinstance(header, dict) or header.get("old_sha256") != _digest(old):
        return None
    return header, old


def _rewrite(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    _write_all(fd, data)
    os.ftruncate(fd, len(data))
    os.fsync(fd)
    _verify(fd, data)


def _finish_keep(keep: Path, target: Path, st: os.stat_result) -> None:
    """Settle one kept copy: the target holds the whole new version (done) or is
    given the whole old one back; then the copy goes.  OSError if it cannot be."""
    kept = _read_keep(keep)
    if kept is not None:
        header, old = kept
        fd = os.open(target, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            now = _digest(_read_all(fd, os.fstat(fd).st_size))
            if now not in (header.get("new_sha256"), header["old_sha256"]):
                _rewrite(fd, old)
        finally:
            os.close(fd)
    os.unlink(keep)
    _fsync_folder(keep.parent)


def finish_interrupted_save(path: str | os.PathLike) -> bool:
    """If a save of this (hard-linked) file in place was killed midway, give the
    file its whole old version back from the copy kept beside it; True if one
    was settled.  Called before a file is read or written; never raises."""
    try:
        target = Path(os.path.realpath(Path(path).expanduser()))
        st = os.stat(target)
        keep = _keep_path(target.parent if str(target.parent) else Path("."), st)
        if not os.path.lexists(keep):
            return False
        _finish_keep(keep, target, st)
        return True
    except OSError:
        return False


def _write_in_place(target: Path, data: bytes) -> None:
    """Overwrite a hard-linked file in its inode (so its links stay shared), with
    its whole old version kept beside it until the new one is whole and synced.
    If that copy cannot be kept, nothing is written (WriteError)."""
    folder = target.parent if str(target.parent) else Path(".")
    fd = os.open(target, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        old = _read_all(fd, st.st_size)
        try:
            keep = _write_keep(folder, target, st, old, data)
        except OSError as error:
            raise WriteError(f"{target}: not written (it has {st.st_nlink} hard links, so it is "
                             f"rewritten in place, and its old version could not be kept "
                             f"beside it first: {_reason(error)}); the previous file is "
                             f"unchanged", error.errno) from None
        try:
            _rewrite(fd, data)
        except OSError:
            # The old bytes fit: their blocks were only overwritten, never freed.
            with contextlib.suppress(OSError):
                _rewrite(fd, old)
            raise
        finally:
            with contextlib.suppress(OSError):
                _finish_keep(keep, target, st)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike, data: bytes, *,
                expected: FileStamp | None = None) -> FileStamp:
    """Write `data` to `path` safely (see the module); returns the new file's stamp."""
    shown = Path(path).expanduser()
    target = real_target(shown)
    temporary = None
    try:
        finish_interrupted_save(target)
        _check_unchanged(shown, target, expected)
        existing = stamp_of(target)
        if existing is not None and os.stat(target).st_nlink > 1:
            _write_in_place(target, data)
            return _stamp_written(target)
        fd, temporary = _temporary_beside(target)
        try:
            _write_all(fd, data)
            os.fsync(fd)
            _verify(fd, data)
        finally:
            os.close(fd)
        os.chmod(temporary, _mode_for(target))
        _check_unchanged(shown, target, expected)   # a long write: look again
        os.replace(temporary, target)
        temporary = None
        _fsync_folder(target.parent if str(target.parent) else Path("."))
        return _stamp_written(target)
    except WriteError:
        raise
    except OSError as error:
        kept = "the previous file is unchanged" if stamp_of(target) else "nothing was written"
        raise WriteError(f"{shown}: not written ({_reason(error)}); {kept}",
                         error.errno) from None
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass


def _os_error_in(error: BaseException | None) -> OSError | None:
    """The OSError behind a library's own exception (xlsxwriter wraps them)."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, OSError):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _library_failure(shown: Path, target: Path, error: BaseException) -> WriteError | None:
    os_error = _os_error_in(error)
    if os_error is None:
        return None
    kept = "the previous file is unchanged" if stamp_of(target) else "nothing was written"
    return WriteError(f"{shown}: not written ({_reason(os_error)}); {kept}", os_error.errno)


@contextlib.contextmanager
def produced_at(path: str | os.PathLike, *, check: Callable[[bytes], str | None] | None = None,
                expected: FileStamp | None = None):
    """A temporary path (short name, beside the target) for a library to write
    to; when the block ends, the bytes are checked (not empty; `check(data)`
    returns a problem or None) and written to `path` as write_bytes does.  An
    OSError in the block (or one a library wrapped) becomes a WriteError."""
    shown = Path(path).expanduser()
    target = real_target(shown)
    fd, temporary = _temporary_beside(target)
    os.close(fd)
    try:
        failure = None
        # A library that failed may leave a file object whose finaliser fails
        # again (xlsxwriter's ZipFile on a full disk): that second error is the
        # same failure, already reported; Python would print it as a traceback.
        previous_hook = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None if isinstance(
            unraisable.exc_value, OSError) else previous_hook(unraisable)
        try:
            try:
                yield temporary
            except WriteError:
                raise
            except Exception as error:
                failure = _library_failure(shown, target, error)
                if failure is None:
                    raise
            gc.collect()
        finally:
            sys.unraisablehook = previous_hook
        if failure is not None:
            raise failure
        try:
            with open(temporary, "rb") as handle:
                data = handle.read()
        except OSError as error:
            raise WriteError(f"{shown}: not written ({_reason(error)})", error.errno) from None
        problem = "the file came out empty: is the disk full?" if not data else (
            check(data) if check is not None else None)
        if problem:
            kept = "the previous file is unchanged" if stamp_of(target) else "nothing was written"
            raise WriteError(f"{shown}: not written ({problem}); {kept}", errno.EIO)
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass
    write_bytes(shown, data, expected=expected)


def write_with(path: str | os.PathLike, produce: Callable[[Path], None], *,
               check: Callable[[bytes], str | None] | None = None,
               expected: FileStamp | None = None) -> FileStamp:
    """`produce(temporary_path)` writes the file (a library that wants a path);
    then as produced_at.  Returns the new file's stamp."""
    with produced_at(path, check=check, expected=expected) as temporary:
        produce(temporary)
    return _stamp_written(Path(path).expanduser())


def _process_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return True   # os.kill(pid, 0) would end the process there: age alone decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True   # someone else's process, or no way to tell: leave it
    return True


def _stamp_written(target: Path) -> FileStamp:
    """The stamp of a file just written; a file gone at once is a failed write."""
    stamp = stamp_of(target)
    if stamp is None:
        raise WriteError(f"{target}: not written (the file vanished after writing)")
    return stamp


def _settle_keep(keep: Path) -> int:
    """A kept old version found in a folder: settle it if its file is still
    there (the same file: device and inode); 1 if settled."""
    kept = _read_keep(keep)
    if kept is None:
        return 0
    try:
        target = Path(kept[0]["target"])
        st = os.stat(target)
        if (st.st_dev, st.st_ino) != (kept[0].get("device"), kept[0].get("inode")):
            return 0
        _finish_keep(keep, target, st)
        return 1
    except (OSError, KeyError, TypeError, ValueError):
        return 0


def clean_stale_temporaries(folder: str | os.PathLike) -> int:
    """Settle old versions kept by an in-place save that was killed (the file gets
    its whole old version back) and remove temporaries of ours whose process is gone (a kill mid-save) or that
    are a day old; returns how many were removed.  Never raises."""
    removed = 0
    try:
        entries = list(os.scandir(os.fspath(folder)))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        name = entry.name
        if name.startswith(KEEP_PREFIX) and name.endswith(KEEP_SUFFIX):
            removed += _settle_keep(Path(entry.path))
            continue
        if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
            continue
        pid_text = name[len(TEMP_PREFIX):].partition("~")[0]
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_SECONDS
            if old or not pid_text.isdigit() or not _process_running(int(pid_text)):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed
