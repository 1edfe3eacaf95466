#!/usr/bin/env bash
# Install the system libraries Qt (PySide6) needs on Debian/Ubuntu.
# Usage: scripts/install-system-deps.sh [--screenshots]
#   --screenshots  also install imagemagick (for ../shared/tools/screenshot.sh)
# Uses sudo only when not root.  Does nothing when everything is installed
# already, and skips with a message where apt-get is absent (non-Debian).
set -euo pipefail

# Headless Qt (tests with QT_QPA_PLATFORM=offscreen).
packages=(libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6
          libglib2.0-0 libxkbcommon0 fonts-dejavu-core)
# The app on a real or virtual (Xvfb) X screen.
packages+=(xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
           libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0)
for arg in "$@"; do
  case "$arg" in
    --screenshots) packages+=(imagemagick) ;;
    *) echo "usage: $0 [--screenshots]" >&2; exit 2 ;;
  esac
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: no apt-get here; skipping. Install the equivalents of: ${packages[*]}" >&2
  exit 0
fi
# Debian's own python3 needs python3-venv for `python3 -m venv`.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
  packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
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
echo "install-system-deps: installing ${missing[*]}"
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
