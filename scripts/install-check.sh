#!/usr/bin/env bash
# Installs a built .deb on a clean Debian 12 (bookworm) made with debootstrap in a chroot, as a
# service's IT team would with `apt install ./throughline_*.deb`, and checks it: apt resolves its
# dependencies from the Debian archive, the program, desktop entry and icon are in place, every
# library the program needs is found, and it starts (without a display it must say so and stop).
# Needs root, debootstrap and the network to the Debian archive; the chroot is reused when
# CHROOT names one already made (a minimal system is ~150 MB, the app's libraries ~250 MB more).
#   scripts/install-check.sh target/release/bundle/deb/Throughline_0.1.0_amd64.deb
set -euo pipefail
deb="$(realpath "$1")"
chroot_dir="${CHROOT:-/tmp/throughline-install-check}"
if [ "$(id -u)" -ne 0 ]; then echo "Run as root (it makes a chroot)." >&2; exit 2; fi
if [ ! -x "$chroot_dir/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || { echo "Install debootstrap first (apt-get install debootstrap)." >&2; exit 2; }
  echo "Making a clean Debian 12 in $chroot_dir"
  debootstrap --variant=minbase bookworm "$chroot_dir" http://deb.debian.org/debian >/dev/null
fi
in_chroot() { chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }

cp "$deb" "$chroot_dir/tmp/"
name="$(basename "$deb")"
echo "apt install ./$name on the clean system"
log="$(mktemp)"
in_chroot apt-get update -qq
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "/tmp/$name" >"$log" 2>&1 ||
  { tail -20 "$log"; echo "PROBLEM: apt could not install the package" >&2; exit 1; }
in_chroot dpkg -s throughline | grep -E '^(Package|Status|Version):'
for f in /usr/bin/throughline /usr/share/applications/Throughline.desktop; do
  [ -e "$chroot_dir$f" ] || { echo "PROBLEM: $f was not installed" >&2; exit 1; }
done
ls "$chroot_dir"/usr/share/icons/hicolor/*/apps/throughline.png >/dev/null
missing=$(in_chroot ldd /usr/bin/throughline | grep 'not found' || true)
[ -z "$missing" ] || { echo "PROBLEM: libraries not found: $missing" >&2; exit 1; }
set +e
said=$(in_chroot /usr/bin/throughline 2>&1)
code=$?
set -e
if [ "$code" -ne 2 ] || ! grep -q "needs a display" <<<"$said"; then
  echo "PROBLEM: the installed program did not start as expected (exit $code): $said" >&2
  exit 1
fi
echo "Installed on a clean Debian 12: every library found; without a display it said: ${said%%$'\n'*}"

# With Xvfb on this machine: start the installed program in the chroot on a virtual display and
# keep a screenshot of its first screen (SHOT, default /tmp/throughline-installed.png).
if command -v Xvfb >/dev/null && command -v xdotool >/dev/null && command -v import >/dev/null; then
  shot="${SHOT:-/tmp/throughline-installed.png}"
  mkdir -p "$chroot_dir/tmp/.X11-unix"
  mounted=()
  cleanup() {
    kill "${app_pid:-}" 2>/dev/null || true
    wait "${app_pid:-}" 2>/dev/null || true
    kill "${x_pid:-}" 2>/dev/null || true
    for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
      # The app's WebKit processes take a moment to follow it.
      for _ in 1 2 3 4 5 6 7 8 9 10; do umount "${mounted[$i]}" 2>/dev/null && break; sleep 0.5; done
    done
  }
  trap cleanup EXIT
  for m in /proc /dev /tmp/.X11-unix; do mount --bind "$m" "$chroot_dir$m" && mounted+=("$chroot_dir$m"); done
  display_file="$(mktemp)"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$display_file" 2>/dev/null &
  x_pid=$!
  while [ ! -s "$display_file" ]; do sleep 0.05; done
  display=":$(cat "$display_file")"
  in_chroot env DISPLAY="$display" THROUGHLINE_DATA_DIR=/root/throughline-check /usr/bin/throughline >/dev/null 2>&1 &
  app_pid=$!
  DISPLAY="$display" timeout 20 xdotool search --sync --onlyvisible --name '^Throughline$' >/dev/null ||
    { echo "PROBLEM: the installed program opened no window" >&2; exit 1; }
  sleep 3
  DISPLAY="$display" import -window root "$shot"
  echo "Started from the package on a virtual display: its first screen is in $shot"
fi
