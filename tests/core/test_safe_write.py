"""core.safe_write: the one write path of saves, autosaves and exports."""
from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

import core.safe_write as sw
from core.safe_write import (TargetChanged, TargetReadOnly, WriteError, clean_stale_temporaries,
                             produced_at, stamp_of, write_bytes, write_with)


def only(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def small_disk(tmp_path):
    """A real 64 KiB tmpfs: a full disk as the kernel reports it."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("CANNOT MOUNT A TMPFS HERE (needs root and mount rights): the real full "
                    f"disk is not tested, only the injected ENOSPC ({result.stderr.strip()})")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=False)


def test_writes_and_replaces_leaving_only_the_target(tmp_path):
    target = tmp_path / "deal.cdm.json"
    write_bytes(target, b"first")
    write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert only(tmp_path) == ["deal.cdm.json"]


def test_new_files_get_the_users_normal_permissions(tmp_path, monkeypatch):
    monkeypatch.setattr(sw, "_UMASK", 0o022)
    write_bytes(tmp_path / "report.pdf", b"%PDF-1.4 ... %%EOF")
    # 0666 less a umask of 022: readable by others, as any file the user makes (not 0600).
    assert (tmp_path / "report.pdf").stat().st_mode & 0o777 == 0o644


def test_a_symbolic_link_is_written_through(tmp_path):
    shared = tmp_path / "shared" / "deal.cdm.json"
    shared.parent.mkdir()
    shared.write_bytes(b"old")
    link = tmp_path / "link.cdm.json"
    link.symlink_to(shared)
    write_bytes(link, b"new")
    assert link.is_symlink()
    assert shared.read_bytes() == b"new"
    assert only(shared.parent) == ["deal.cdm.json"]


def test_a_hard_link_stays_shared(tmp_path):
    first = tmp_path / "a.cdm.json"
    first.write_bytes(b"old contents")
    second = tmp_path / "b.cdm.json"
    os.link(first, second)
    write_bytes(first, b"new")
    assert second.read_bytes() == b"new"
    assert first.stat().st_ino == second.stat().st_ino


def test_a_hard_linked_file_gets_its_old_bytes_back_on_a_full_disk(tmp_path, monkeypatch):
    first = tmp_path / "a.cdm.json"
    first.write_bytes(b"old contents")
    os.link(first, tmp_path / "b.cdm.json")
    real_write = os.write
    calls = []

    def full_on_first(fd, data):
        calls.append(len(data))
        if len(calls) == 1:
            real_write(fd, bytes(data[:2]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)
    monkeypatch.setattr(sw.os, "write", full_on_first)
    with pytest.raises(WriteError, match="the disk is full"):
        write_bytes(first, b"new contents, longer than before")
    assert first.read_bytes() == b"old contents"


def test_a_read_only_file_is_refused(tmp_path):
    target = tmp_path / "locked.cdm.json"
    target.write_bytes(b"keep")
    target.chmod(0o444)
    with pytest.raises(TargetReadOnly, match="read-only"):
        write_bytes(target, b"new")
    assert target.read_bytes() == b"keep"
    assert only(tmp_path) == ["locked.cdm.json"]


@pytest.mark.parametrize("make", ["folder", "fifo"])
def test_a_folder_or_pipe_is_refused(tmp_path, make):
    target = tmp_path / "thing.pdf"
    target.mkdir() if make == "folder" else os.mkfifo(target)
    with pytest.raises(WriteError, match="folder" if make == "folder" else "pipe"):
        write_bytes(target, b"data")
    assert only(tmp_path) == ["thing.pdf"]


def test_a_file_changed_on_disk_is_refused_until_asked(tmp_path):
    target = tmp_path / "deal.cdm.json"
    opened = write_bytes(target, b"as opened")
    target.write_bytes(b"another program's edit, a different size")
    with pytest.raises(TargetChanged, match="changed on disk"):
        write_bytes(target, b"mine", expected=opened)
    assert target.read_bytes() == b"another program's edit, a different size"
    write_bytes(target, b"mine")   # the user said to overwrite
    assert target.read_bytes() == b"mine"


def test_an_unchanged_file_is_replaced_with_its_stamp(tmp_path):
    target = tmp_path / "deal.cdm.json"
    opened = write_bytes(target, b"v1")
    saved = write_bytes(target, b"v2", expected=opened)
    assert saved == stamp_of(target)
    assert target.read_bytes() == b"v2"


def test_an_injected_full_disk_keeps_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "deal.xlsx"
    target.write_bytes(b"old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(sw.os, "write", full)
    with pytest.raises(WriteError) as caught:
        write_bytes(target, b"new bytes")
    assert str(caught.value) == f"{target}: not written (the disk is full); " \
                                "the previous file is unchanged"
    assert target.read_bytes() == b"old"
    assert only(tmp_path) == ["deal.xlsx"]


def test_a_short_write_is_caught_by_reading_back(tmp_path, monkeypatch):
    """A disk that silently kept fewer bytes (what QPdfWriter saw on a full disk)."""
    target = tmp_path / "deal.pdf"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def truncating_fsync(fd):
        os.ftruncate(fd, 3)
        real_fsync(fd)
    monkeypatch.setattr(sw.os, "fsync", truncating_fsync)
    with pytest.raises(WriteError, match="kept 3 of 9 bytes"):
        write_bytes(target, b"123456789")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert only(tmp_path) == ["deal.pdf"]


def test_a_real_full_disk_keeps_the_old_file(small_disk):
    target = small_disk / "report.pdf"
    target.write_bytes(b"the previous report")
    with pytest.raises(WriteError, match="the disk is full"):
        write_bytes(target, b"x" * 200_000)   # three times the disk
    assert target.read_bytes() == b"the previous report"
    assert only(small_disk) == ["report.pdf"]


def test_a_library_output_is_checked_before_it_replaces_anything(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old report")

    def truncated_pdf(path):
        path.write_bytes(b"%PDF-1.4 half a report")
    with pytest.raises(WriteError, match="incomplete"):
        write_with(target, truncated_pdf,
                   check=lambda data: None if data.endswith(b"%%EOF") else "incomplete")
    with pytest.raises(WriteError, match="empty"):
        write_with(target, lambda path: path.write_bytes(b""))
    assert target.read_bytes() == b"old report"
    assert only(tmp_path) == ["report.pdf"]


def test_a_library_error_wrapping_a_full_disk_is_one_message(tmp_path):
    class LibraryError(Exception):
        pass

    def wrapped(path):
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as error:
            raise LibraryError("could not close file") from error
    with pytest.raises(WriteError, match="the disk is full"):
        with produced_at(tmp_path / "deal.xlsx") as temporary:
            wrapped(temporary)
    assert only(tmp_path) == []


def test_a_long_legal_file_name_works(tmp_path):
    name = "q" * 246 + ".cdm.json"    # 255 bytes: the longest name the file system allows
    write_bytes(tmp_path / name, b"data")
    write_bytes(tmp_path / name, b"again")
    assert (tmp_path / name).read_bytes() == b"again"
    assert only(tmp_path) == [name]


def test_stale_temporaries_of_dead_processes_are_cleaned(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    stale = tmp_path / f"{sw.TEMP_PREFIX}{gone.pid}~abcdef{sw.TEMP_SUFFIX}"
    live = tmp_path / f"{sw.TEMP_PREFIX}{os.getpid()}~abcdef{sw.TEMP_SUFFIX}"
    someone_elses = tmp_path / ".report.pdf.tmp"
    for path in (stale, live, someone_elses):
        path.write_bytes(b"x")
    assert clean_stale_temporaries(tmp_path) == 1
    assert only(tmp_path) == sorted([live.name, someone_elses.name])
    assert clean_stale_temporaries(tmp_path / "missing") == 0
