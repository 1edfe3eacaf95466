#!/usr/bin/env bash
# Install what the README's commands need on Debian/Ubuntu: Python 3.11 or
# newer with venv, binutils (PyInstaller's objdump, for the packaging test),
# and the system libraries Qt (PySide6) loads.
# Usage: scripts/install-system-deps.sh [--screenshots]
#   --screenshots  also install imagemagick (for ../shared/tools/screenshot.sh)
# Uses sudo only when not root.  Does nothing when everything is installed
# already, and skips with a message where apt-get is absent (non-Debian).
# Stops at once, with one line saying what to do, when the system's python3
# is older than 3.11 (Ubuntu 22.04 has 3.10).
set -euo pipefail

MIN_PYTHON=3.11

# Headless Qt (tests with QT_QPA_PLATFORM=offscreen).
packages=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
          libglib2.0-0 libxkbcommon0 fonts-dejavu-core)
# The app on a real or virtual (Xvfb) X screen.
packages+=(xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
           libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
# PyInstaller (the packaging test) needs objdump on Linux.
packages+=(binutils)
for arg in "$@"; do
  case "$arg" in
    --screenshots) packages+=(imagemagick) ;;
    *) echo "usage: $0 [--screenshots]" >&2; exit 2 ;;
  esac
done

# Exits 1 with one line if `version` (major.minor) is older than MIN_PYTHON;
# `whose` says which python3 it is.
stop_if_old() {
  local version=$1 whose=$2
  local major=${version%%.*} minor=${version#*.}
  minor=${minor%%[!0-9]*}
  if [ "$version" = unknown ] || [ -z "$minor" ] || [ "$major" -lt 3 ] \
     || { [ "$major" -eq 3 ] && [ "$minor" -lt 11 ]; }; then
    echo "install-system-deps: Python $MIN_PYTHON or newer is needed, but $whose is $version;" \
         "install one (Ubuntu 22.04: sudo apt-get install python3.11 python3.11-venv, then type python3.11" \
         "where the README says python3; elsewhere: https://www.python.org/downloads/)" >&2
    exit 1
  fi
}

check_python_version() {
  local version
  version=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || version=unknown
  stop_if_old "$version" "python3 here"
}

have_python=0
if command -v python3 >/dev/null 2>&1; then
  have_python=1
  check_python_version
fi

if ! command -v apt-get >/dev/null 2>&1; then
  if [ "$have_python" = 0 ]; then
    echo "install-system-deps: no python3 and no apt-get here; install Python $MIN_PYTHON or newer" \
         "(https://www.python.org/downloads/), then the equivalents of: ${packages[*]}" >&2
    exit 1
  fi
  echo "install-system-deps: no apt-get here; skipping. Install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
if [ "$have_python" = 0 ]; then
  packages+=(python3 python3-venv)
# Debian's own python3 needs python3-venv for `python3 -m venv` (it brings ensurepip).
elif ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
installed() {  # Ubuntu 24.04 renamed some libraries (libglib2.0-0 -> libglib2.0-0t64)
  local name
  for name in "$1" "${1}t64"; do
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' && return 0
  done
  return 1
}
for pkg in "${packages[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps: all ${#packages[@]} packages already installed."
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=(env)
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo env)
else
  echo "install-system-deps: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
  exit 1
fi
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update
# With no python3 yet, ask apt which one it would install before installing
# anything: a distribution whose python3 is too old (Ubuntu 22.04: 3.10)
# stops here, with nothing installed.
if [ "$have_python" = 0 ] && command -v apt-cache >/dev/null 2>&1; then
  candidate=$(apt-cache show --no-all-versions python3 2>/dev/null \
              | sed -n 's/^Version: *\([0-9]*\.[0-9]*\).*/\1/p' | head -n 1)
  [ -n "$candidate" ] && stop_if_old "$candidate" "the python3 this system's packages offer"
fi
echo "install-system-deps: installing ${missing[*]}"
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
if [ "$have_python" = 0 ]; then
  hash -r
  check_python_version   # the distribution's python3 may itself be too old
fi
