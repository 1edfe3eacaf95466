#!/usr/bin/env bash
# Wrap the one-folder build as a Debian package: the folder in
# /opt/compute-deal-modeler, the command /usr/bin/compute-deal-modeler, the
# menu entry and its icons under /usr/share.  Installs on Debian 12 and
# Ubuntu 24.04 (glibc 2.36 or newer, if built on Debian 12):
#   sudo apt install ./compute-deal-modeler_VERSION_amd64.deb
# and `sudo apt remove compute-deal-modeler` removes every file it brought.
#
#   installer/linux/build-deb.sh FOLDER OUT_DIR [VERSION]
#     FOLDER   the one-folder build (installer/dist/compute-deal-modeler)
#     OUT_DIR  where the .deb goes
#     VERSION  default: pyproject.toml's
# Needs dpkg-deb (Debian, Ubuntu); no root (--root-owner-group).
set -euo pipefail
name=compute-deal-modeler
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -lt 2 ]; then sed -n '2,13p' "$0"; exit 2; fi
[ -x "$1/$name" ] || { echo "build-deb.sh: $1/$name is not a one-folder build" >&2; exit 1; }
command -v dpkg-deb >/dev/null 2>&1 || { echo "build-deb.sh: dpkg-deb not found (Debian/Ubuntu only)" >&2; exit 1; }
folder=$(cd "$1" && pwd)
out=$(mkdir -p "$2" && cd "$2" && pwd)
version=${3:-$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/pyproject.toml" | head -1)}
arch=$(dpkg --print-architecture)
# The build needs the glibc it was built against, or newer.
glibc=$(dpkg-query -W -f='${Version}' libc6 2>/dev/null | sed 's/-.*//') || glibc=
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
pkg=$stage/$name
mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" \
         "$pkg/usr/share/doc/$name" "$pkg/usr/share/icons/hicolor/scalable/apps"
cp -R "$folder" "$pkg/opt/$name"
ln -s "/opt/$name/$name" "$pkg/usr/bin/$name"
sed "s|^Exec=.*|Exec=/usr/bin/$name|; s|^TryExec=.*|TryExec=/usr/bin/$name|" \
  "$root/installer/linux/$name.desktop" > "$pkg/usr/share/applications/$name.desktop"
for png in "$root"/installer/icons/$name-*.png; do
  size=${png##*-}; size=${size%.png}
  mkdir -p "$pkg/usr/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$pkg/usr/share/icons/hicolor/${size}x${size}/apps/$name.png"
done
cp "$root/resources/icon.svg" "$pkg/usr/share/icons/hicolor/scalable/apps/$name.svg"
{
  echo "Compute Deal Modeler $version, packaged from its one-folder build."
  echo "It bundles Python, Qt (PySide6, LGPL-3.0), pyqtgraph, numpy, pandas and the DejaVu fonts:"
  echo
  cat "$root/resources/fonts/LICENSE-DejaVu.txt"
} > "$pkg/usr/share/doc/$name/copyright"
chmod -R u+rwX,go+rX,go-w "$pkg"

size_kb=$(du -sk --exclude=DEBIAN "$pkg" | cut -f1)
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: $arch
Maintainer: Compute Deal Modeler maintainers <compute-deal-modeler@users.noreply.github.com>
Installed-Size: $size_kb
Section: misc
Priority: optional
Depends: libc6${glibc:+ (>= $glibc)}, libegl1, libgl1, libfontconfig1, libfreetype6, libglib2.0-0t64 | libglib2.0-0, libx11-6, libx11-xcb1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-render-util0, libxcb-shape0, libxcb-xkb1, libdbus-1-3
Description: desktop modeler for GPU compute lease deals
 Models what a GPU compute lease costs over its term, what capacity it buys
 and how much is at stake if either party walks away; works offline.
 The command compute-deal-modeler starts the app; compute-deal-modeler kpis
 --json prints the default scenario's key figures.
CONTROL
deb="$out/${name}_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz -z6 --build "$pkg" "$deb" >/dev/null
echo "   .deb: $(du -sh "$deb" | cut -f1) at $deb"
