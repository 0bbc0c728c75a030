#!/usr/bin/env bash
# `make package`: builds the release .deb with the Tauri CLI's bundler (pinned in ui/package.json)
# and says what it holds: its path and size against the 15 MB budget (performance.md), its
# metadata, and that the program, the desktop entry and the icon are in it.
# A release build takes several minutes; CARGO_BUILD_JOBS limits the cores it uses.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

(cd ui && npm run build)
ui/node_modules/.bin/tauri build --ci --bundles deb

deb="$target_dir/release/bundle/deb/Throughline_${version}_amd64.deb"
[ -f "$deb" ] || { echo "The .deb was not made: expected $deb" >&2; exit 1; }
scripts/check-deb.sh "$deb"
