#!/usr/bin/env bash
# Build Compute Deal Modeler as a program that runs offline with nothing else
# installed (Linux and macOS; Windows: installer/build.ps1).
#
#   installer/build.sh                 one-folder build, one-file build, and the
#                                      Linux tar.gz and .deb (or, on macOS, the .app)
#   installer/build.sh --onedir-only   the one-folder build only (the slow test)
#   installer/build.sh --dist DIR      write results to DIR (default installer/dist)
#
# Uses $PYTHON (default .venv/bin/python) with the 'build' extra installed:
#   .venv/bin/pip install -e ".[build]"
# Every build is smoke-tested: the new executable must answer `kpis --json`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
python=${PYTHON:-$root/.venv/bin/python}
dist=$root/installer/dist
onedir_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --onedir-only) onedir_only=1; shift;;
    --dist) dist=$(mkdir -p "$2" && cd "$2" && pwd); shift 2;;
    -h|--help) sed -n '2,13p' "$0"; exit 0;;
    *) echo "build.sh: unknown option $1 (try --help)" >&2; exit 2;;
  esac
done
name=compute-deal-modeler
spec=$root/installer/$name.spec
work=$dist/.work
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')

if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
  echo "build.sh: PyInstaller is not installed for $python; run: $python -m pip install -e '.[build]'" >&2
  exit 1
fi

build() {  # build MODE
  echo "== $1 build"
  CDM_BUILD_MODE=$1 "$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$dist" --workpath "$work/$1" "$spec"
}

smoke() {  # smoke EXECUTABLE
  if ! "$1" kpis --json | "$python" -c 'import json,sys; assert json.load(sys.stdin)["total_contract_value"] > 0'; then
    echo "build.sh: $1 did not answer kpis --json" >&2
    exit 1
  fi
  echo "   $1 answers kpis --json"
}

start=$SECONDS
build onedir
smoke "$dist/$name/$name"
echo "   one-folder build: $(du -sh "$dist/$name" | cut -f1) in $dist/$name"

if [ "$onedir_only" = 0 ]; then
  case "$(uname -s)" in
    Linux) platform=linux-$(uname -m);;
    Darwin) platform=macos-$(uname -m);;
    *) platform=$(uname -s)-$(uname -m);;
  esac
  # The one-file build would take the folder's name: build it aside.
  CDM_BUILD_MODE=onefile "$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$work/onefile-dist" --workpath "$work/onefile" "$spec"
  onefile=$dist/$name-$version-$platform
  mv -f "$work/onefile-dist/$name" "$onefile"
  smoke "$onefile"
  echo "   one-file build: $(du -sh "$onefile" | cut -f1) at $onefile"

  if [ "$(uname -s)" = Linux ]; then
    # The tar.gz: the one-folder build, its menu entry, icons and install.sh.
    stage=$work/$name-$version-$platform
    rm -rf "$stage" && mkdir -p "$stage/icons"
    cp -R "$dist/$name" "$stage/$name"
    cp installer/linux/$name.desktop installer/linux/install.sh "$stage/"
    cp installer/icons/$name-*.png "$stage/icons/"
    cp resources/fonts/LICENSE-DejaVu.txt "$stage/"
    tar -C "$work" -czf "$dist/$name-$version-$platform.tar.gz" "$(basename "$stage")"
    echo "   tar.gz: $(du -sh "$dist/$name-$version-$platform.tar.gz" | cut -f1) at $dist/$name-$version-$platform.tar.gz"
    # The .deb: the same folder in /opt, with its menu entry and icons (Debian, Ubuntu).
    if command -v dpkg-deb >/dev/null 2>&1; then
      installer/linux/build-deb.sh "$dist/$name" "$dist" "$version"
    else
      echo "   .deb: not built (no dpkg-deb here)"
    fi
  elif [ "$(uname -s)" = Darwin ]; then
    echo "   macOS app: $dist/Compute Deal Modeler.app"
  fi
fi
echo "build.sh: done in $((SECONDS - start)) s"
