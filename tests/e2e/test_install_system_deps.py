"""scripts/install-system-deps.sh, run against a fake system: a PATH holding
only a fake python3 (of a chosen version, or none), fake apt-get, dpkg-query
and sudo that log what they are asked, and the few real tools the script
uses.  Nothing is installed on this machine."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install-system-deps.sh"
BASH = shutil.which("bash")

FAKE_PYTHON = """#!/bin/sh
# A python3 that answers the script's two questions.
case "$*" in
  *version_info*) echo {version};;
  *ensurepip*) [ -n "{has_venv}" ] || exit 1;;
esac
"""
# apt-get install of python3 puts a Python 3.11 in place, as on Debian 12.
FAKE_APT = """#!/bin/sh
echo "apt-get $*" >> "{log}"
case "$*" in *" python3"*)
  cp "{python}" "{bin}/python3"; chmod +x "{bin}/python3";;
esac
"""
FAKE_DPKG_QUERY = """#!/bin/sh
# Installed: everything but the packages listed in $MISSING (and Ubuntu's t64 names).
case "$3" in *t64) [ "$3" = "$T64" ] && printf 'install ok installed' && exit 0; exit 1;; esac
for pkg in $MISSING; do [ "$pkg" = "$3" ] && exit 1; done
printf 'install ok installed'
"""


# apt-cache show of python3, as on a system whose packaged python3 is {version}.
FAKE_APT_CACHE = """#!/bin/sh
printf 'Package: python3\\nVersion: {version}\\nArchitecture: amd64\\n'
"""


def fake_system(tmp_path: Path, python: str | None, apt: bool = True,
                has_venv: bool = True, packaged_python: str | None = None) -> tuple[Path, Path]:
    """`packaged_python`: the Debian version string apt-cache gives for python3
    (no apt-cache when None)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for tool in ("grep", "env", "id", "cp", "chmod", "sed", "head"):
        os.symlink(shutil.which(tool), bin_dir / tool)

    def script(name: str, text: str) -> None:
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)

    if python is not None:
        script("python3", FAKE_PYTHON.format(version=python, has_venv="y" if has_venv else ""))
    if apt:
        packaged = tmp_path / "python3-from-the-package"
        packaged.write_text(FAKE_PYTHON.format(version="3.11", has_venv="y"))
        script("apt-get", FAKE_APT.format(log=log, bin=bin_dir, python=packaged))
        script("dpkg-query", FAKE_DPKG_QUERY)
        if packaged_python is not None:
            script("apt-cache", FAKE_APT_CACHE.format(version=packaged_python))
    script("sudo", '#!/bin/sh\nexec "$@"\n')
    return bin_dir, log


def run(bin_dir: Path, missing: str = "", t64: str = "") -> subprocess.CompletedProcess:
    env = {"PATH": str(bin_dir), "MISSING": missing, "T64": t64, "HOME": str(bin_dir.parent)}
    return subprocess.run([BASH, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("version", ["3.10", "3.8", "2.7"])
def test_an_old_python_stops_at_once_with_one_line(tmp_path, version):
    bin_dir, log = fake_system(tmp_path, version)
    result = run(bin_dir, missing="binutils")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"Python 3.11 or newer is needed, but python3 here is {version}" in lines[0]
    assert "python3.11" in lines[0]          # how to get one
    assert not log.exists()                  # stopped before installing anything


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_a_new_enough_python_installs_binutils_when_absent(tmp_path, version):
    bin_dir, log = fake_system(tmp_path, version)
    result = run(bin_dir, missing="binutils libxcb-cursor0")
    assert result.returncode == 0, result.stderr
    installs = [line for line in log.read_text().splitlines() if " install " in line]
    assert installs == ["apt-get install -y --no-install-recommends libxcb-cursor0 binutils"]


def test_without_python3_it_installs_python3_and_venv(tmp_path):
    bin_dir, log = fake_system(tmp_path, None)
    result = run(bin_dir, missing="python3 python3-venv")
    assert result.returncode == 0, result.stderr
    assert (bin_dir / "python3").exists()    # and the script checked its version after
    assert log.read_text().splitlines()[-1] == \
        "apt-get install -y --no-install-recommends python3 python3-venv"


def test_without_python3_where_the_packaged_one_is_too_old_nothing_is_installed(tmp_path):
    # Ubuntu 22.04: no python3 yet, and the one its packages offer is 3.10.
    bin_dir, log = fake_system(tmp_path, None, packaged_python="3.10.6-1~22.04")
    result = run(bin_dir, missing="python3 python3-venv binutils")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "Python 3.11 or newer is needed, but the python3 this system's packages offer " \
        "is 3.10" in lines[0]
    assert "python3.11 python3.11-venv" in lines[0]
    assert log.read_text().splitlines() == ["apt-get update"]   # nothing installed
    assert not (bin_dir / "python3").exists()


def test_without_python3_where_the_packaged_one_is_new_enough_it_installs(tmp_path):
    # Debian 12: apt offers 3.11.2.
    bin_dir, log = fake_system(tmp_path, None, packaged_python="3.11.2-1+b1")
    result = run(bin_dir, missing="python3 python3-venv")
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines()[-1] == \
        "apt-get install -y --no-install-recommends python3 python3-venv"


def test_python_without_venv_gets_python3_venv(tmp_path):
    bin_dir, log = fake_system(tmp_path, "3.11", has_venv=False)
    result = run(bin_dir, missing="python3-venv")
    assert result.returncode == 0, result.stderr
    assert log.read_text().splitlines()[-1].endswith("--no-install-recommends python3-venv")


def test_everything_present_installs_nothing(tmp_path):
    bin_dir, log = fake_system(tmp_path, "3.12")
    result = run(bin_dir)
    assert result.returncode == 0 and "already installed" in result.stdout
    assert not log.exists()


def test_no_apt_and_no_python_says_what_to_install(tmp_path):
    bin_dir, _ = fake_system(tmp_path, None, apt=False)
    result = run(bin_dir)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "install Python 3.11 or newer" in result.stderr


def test_ubuntu_24_04s_renamed_glib_counts_as_installed(tmp_path):
    bin_dir, log = fake_system(tmp_path, "3.12")
    result = run(bin_dir, missing="libglib2.0-0", t64="libglib2.0-0t64")
    assert result.returncode == 0 and "already installed" in result.stdout, result.stderr
    assert not log.exists()
