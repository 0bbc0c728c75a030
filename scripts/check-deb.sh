#!/usr/bin/env bash
# Checks a built .deb without installing it: size within budget, metadata (name, the workspace's
# version, dependencies), and the program, desktop entry and icon in place.
set -euo pipefail
cd "$(dirname "$0")/.."
deb="$1"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
budget=$((15 * 1000 * 1000))
size=$(stat -c %s "$deb")
problems=0
fail() { echo "PROBLEM: $*"; problems=$((problems + 1)); }

echo "Package:  $deb"
awk -v s="$size" -v b="$budget" 'BEGIN { printf "Size:     %d bytes (%.1f MiB), budget %.0f MB: %s\n", s, s / 1048576, b / 1e6, (s <= b ? "within" : "OVER") }'
[ "$size" -le "$budget" ] || fail "the package is over the 15 MB budget"
dpkg-deb -f "$deb" Package Version Architecture Installed-Size Depends Section Description | sed 's/^/  /'
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the package's version is not the workspace's ($version)"

contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||')
for want in usr/bin/throughline usr/share/applications/Throughline.desktop; do
  grep -qx "$want" <<<"$contents" || fail "$want is missing"
done
grep -q '^usr/share/icons/hicolor/.*/apps/throughline.png$' <<<"$contents" || fail "the icon is missing"
echo "Files:"
dpkg-deb -c "$deb" | awk '$1 ~ /^-/ { printf "  %s  %s bytes\n", $6, $3 }' | sed 's|  \./|  |'
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*usr/share/applications/Throughline.desktop')
echo "Desktop entry:"
sed 's/^/  /' <<<"$desktop"
grep -qx 'Exec=throughline' <<<"$desktop" || fail "the desktop entry does not start throughline"

if [ "$problems" -gt 0 ]; then
  echo "$problems problem(s) with the package." >&2
  exit 1
fi
echo "The package is complete."
