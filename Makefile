# Throughline: `make run` sets up and opens the app on a demo installation; `make test` runs
# every test. Both install what is missing first (see scripts/install-deps.sh).
SHELL := /bin/bash
DEMO_DIR ?= $(CURDIR)/demo-data
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP := $(TARGET_DIR)/debug/throughline
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test lint setup setup-test ui app demo types bench screens memory scale-installation clean-demo check-display package install-check measure-start hub-demo

run: setup check-display ui app demo
	THROUGHLINE_DATA_DIR="$(DEMO_DIR)" $(APP)

check-display:
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "No display found (DISPLAY is not set). Throughline is a desktop app: on a machine"; \
	  echo "without a screen, run it in a virtual one:  xvfb-run -a make run"; \
	  exit 2; fi

setup:
	@scripts/install-deps.sh

setup-test:
	@scripts/install-deps.sh --test

ui:
	cd ui && npm run build

app: ui
	cargo build -p throughline

demo:
	cargo run -q -p throughline-core --bin throughline-demo -- "$(DEMO_DIR)" 300

# The partnership hub: five districts' demo teams send their bundles to a hub on a PostgreSQL
# started in HUB_DEMO_DIR, which writes the partnership's report there (report/).
HUB_DEMO_DIR ?= $(CURDIR)/hub-demo
hub-demo:
	@scripts/install-deps.sh --hub
	cargo run -q -p throughline-hub --bin throughline-hub-demo -- "$(HUB_DEMO_DIR)"

clean-demo:
	rm -rf "$(DEMO_DIR)"

types:
	UPDATE_TYPES=1 cargo test -q -p throughline-core boundary

# The shell embeds ui/dist, so the UI is built before any Rust that includes it.
test: setup-test ui
	cargo test
	cd ui && npm run check && npm test
	cargo build -p throughline -p throughline-hub
	xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p throughline-tests -- --test-threads=1

# The lint gates: formatting (rustfmt.toml), clippy with every warning an error, and the UI's
# type check. .ci/run runs them before the tests.
lint: setup ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cd ui && npm run check

# Benchmarks at bench scale (performance.md), release build: prints a table against budgets.
bench:
	cargo bench -p throughline-core --bench register
	cargo bench -p throughline-core --bench pathway
	cargo bench -p throughline-core --bench sync
	cargo bench -p throughline-hub --bench hub

# The release app on a bench-scale installation (made once in SCALE_DIR, about 4 GB).
# screens: every screen for every role timed; prints a table and fails if one takes over a second.
# memory: more than an hour of a team lead's use, compressed (MEMORY_ROUNDS rounds of every
# screen and ~50 records); prints memory after each round and fails over budget or growing.
SCALE_DIR ?= $(CURDIR)/bench-data
MEMORY_ROUNDS ?= 24
AT_SCALE = THROUGHLINE_APP="$(TARGET_DIR)/release/throughline" THROUGHLINE_SCALE_DIR="$(SCALE_DIR)" \
	  xvfb-run -a -s "-screen 0 1280x800x24" cargo test -p throughline-tests --test screens_at_scale
scale-installation: setup-test ui
	cargo build --release -p throughline
	[ -f "$(SCALE_DIR)/throughline.db" ] || cargo run --release -q -p throughline-core --bin throughline-demo -- "$(SCALE_DIR)" 100000
screens: scale-installation
	$(AT_SCALE) -- --ignored --nocapture every_screen
memory: scale-installation
	THROUGHLINE_MEMORY_ROUNDS=$(MEMORY_ROUNDS) $(AT_SCALE) -- --ignored --nocapture memory_stays

# The release .deb (not part of `make test`: a release build takes several minutes). Prints
# its path, size against the 15 MB budget, metadata and contents.
package: setup
	scripts/package.sh

# Installs the .deb in a clean Debian 12 chroot (root, debootstrap, the Debian archive).
install-check:
	scripts/install-check.sh "$(TARGET_DIR)/release/bundle/deb/Throughline_$$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)_amd64.deb"

# Cold start to the sign-in screen and memory, on the release build from `make package`.
measure-start: setup-test
	scripts/measure-start.sh "$(TARGET_DIR)/release/throughline"
