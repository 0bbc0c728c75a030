#!/usr/bin/env bash
# Installs what Throughline needs on a Debian/Ubuntu machine, and only what is missing:
# the WebKitGTK build packages for Tauri, Xvfb and the WebDriver for the end-to-end tests,
# the UI's npm packages, PostgreSQL for the partnership hub (with --test or --hub) and (with
# --test) tauri-driver.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libwebkit2gtk-4.1-dev build-essential pkg-config file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver imagemagick xdotool
)
# The partnership hub's tests and demo start a PostgreSQL of their own (hub/src/cluster.rs).
case "${1:-}" in --test | --hub) packages+=(postgresql) ;; esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "Node.js 20 and npm are needed: install the nodejs and npm packages, then run this again." >&2
  exit 1
fi

# npm ci only when the lock file changed since the last install.
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "Installing the UI's npm packages"
  (cd ui && npm ci --no-audit --no-fund)
fi

if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "Installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked --version 2.1.0
fi
