#!/bin/sh
# Put Live Call Copilot in this user's application menu: run it from the unpacked folder.
#   ./install.sh            add the menu entry and icon (nothing outside your home folder)
#   ./install.sh --remove   take them out again (the unpacked folder stays; delete it yourself)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
apps="$data/applications"
icons="$data/icons/hicolor"
entry="$apps/live-call-copilot.desktop"

if [ "${1:-}" = "--remove" ]; then
  rm -f "$entry"
  for f in "$icons"/*/apps/live-call-copilot.png "$icons"/scalable/apps/live-call-copilot.svg; do rm -f "$f"; done
  echo "Removed the menu entry and icon."
  exit 0
fi

if [ ! -x "$here/copilot" ]; then
  echo "install.sh: run me from the unpacked Live Call Copilot folder (no copilot program next to me)." >&2
  exit 1
fi
mkdir -p "$apps"
for png in "$here"/_internal/copilot/assets/icons/live-call-copilot-*.png; do
  size=$(basename "$png" .png | sed 's/.*-//')
  mkdir -p "$icons/${size}x${size}/apps"
  cp "$png" "$icons/${size}x${size}/apps/live-call-copilot.png"
done
mkdir -p "$icons/scalable/apps"
cp "$here/_internal/copilot/assets/icons/live-call-copilot.svg" "$icons/scalable/apps/live-call-copilot.svg"
# The path goes in quotes: a folder name with spaces still starts the app.
sed "s|@EXEC@|\"$here/copilot\"|" "$here/live-call-copilot.desktop" > "$entry"
chmod 644 "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t "$icons" || true
echo "Live Call Copilot is in your application menu (entry: $entry)."
