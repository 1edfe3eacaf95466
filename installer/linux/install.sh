#!/usr/bin/env sh
# Install Compute Deal Modeler from the unpacked tar.gz, for the current user
# (no root, no network): the program folder under ~/.local/opt, a command in
# ~/.local/bin, the menu entry and its icon under ~/.local/share.
#   ./install.sh            install or update
#   ./install.sh --remove   uninstall
set -eu
here=$(cd "$(dirname "$0")" && pwd)
name=compute-deal-modeler
prefix=${PREFIX:-$HOME/.local}
opt="$prefix/opt/$name"
if [ "${1:-}" = "--remove" ]; then
  rm -rf "$opt" "$prefix/bin/$name" "$prefix/share/applications/$name.desktop"
  rm -f "$prefix"/share/icons/hicolor/*/apps/$name.png
  echo "removed $name from $prefix"
  exit 0
fi
[ -x "$here/$name/$name" ] || { echo "install.sh: $here/$name/$name not found; run me from the unpacked archive" >&2; exit 1; }
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications"
rm -rf "$opt"
cp -R "$here/$name" "$opt"
ln -sf "$opt/$name" "$prefix/bin/$name"
for png in "$here"/icons/$name-*.png; do
  size=${png##*-}; size=${size%.png}
  mkdir -p "$prefix/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$prefix/share/icons/hicolor/${size}x${size}/apps/$name.png"
done
sed "s|^Exec=.*|Exec=$opt/$name|; s|^TryExec=.*|TryExec=$opt/$name|" \
  "$here/$name.desktop" > "$prefix/share/applications/$name.desktop"
echo "installed $name in $opt; start it from the applications menu or run $prefix/bin/$name"
