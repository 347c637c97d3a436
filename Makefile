# KeyBatch: `make demo` and `make test` are all a fresh Debian machine with Swift needs.
SWIFT        ?= swift
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG    := .build/debug/keybatch
DEMO_OUT     := demo-out
VENV_CONF    := .venv-conformance
VENV_FUZZ    := .venv-fuzz
# `make fuzz-sandbox`: test cases per operation and phase, a time cap in seconds (0: none), a seed
# to replay a run (empty: a new one each time).
FUZZ_MAX_EXAMPLES ?= 20
FUZZ_SECONDS      ?= 0
FUZZ_SEED         ?=
PYTHON       ?= python3
# `make fuzz SECONDS=N`: libFuzzer over the CSV reader and validation for N seconds, in a build of
# its own (instrumented for coverage and AddressSanitizer); new inputs accumulate in FUZZ_CORPUS.
SECONDS      ?= 60
FUZZ_BUILD   := .build-fuzz
FUZZ_CORPUS  := .fuzz-corpus
# `make soak`: minutes of chaos (then the runs converge and the invariants are checked); rows and a
# seed to replay a soak (empty: 5,000 rows, or 200 for MINUTES=1 or less; a new seed each time).
MINUTES      ?= 20
SOAK_ROWS    ?=
SOAK_SEED    ?=

.PHONY: all deps build test layers test-sanitize demo bench conformance fuzz-sandbox fuzz soak clean

all: build

# Installs what is missing and does nothing when it is already there.
deps:
	@if [ ! -f /usr/include/csv.h ]; then \
	  echo "Installing libcsv-dev (libcsv headers and library)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libcsv-dev; \
	fi

build: deps
	$(SWIFT) build --product keybatch

test: deps layers
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Imports and KeyBatch's folders against the layer order of docs/architecture.md (seconds).
layers:
	python3 scripts/check-layers.py

# The suite under ThreadSanitizer, then AddressSanitizer, each in a build folder of its own; the
# keybatch processes the tests start are the sanitized build's too.
test-sanitize: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan
	KEYBATCH_BINARY=$(CURDIR)/.build-tsan/debug/keybatch KEYBATCH_TEST_TIME_SCALE=4 \
	  TSAN_OPTIONS=halt_on_error=1:suppressions=$(CURDIR)/Tests/Sanitizers/tsan.supp \
	  $(SWIFT) test --skip-build --sanitize=thread --scratch-path .build-tsan
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build-asan
	KEYBATCH_BINARY=$(CURDIR)/.build-asan/debug/keybatch KEYBATCH_TEST_TIME_SCALE=4 ASAN_OPTIONS=detect_leaks=0 \
	  $(SWIFT) test --skip-build --sanitize=address --scratch-path .build-asan

demo: build
	@rm -rf $(DEMO_OUT) && mkdir -p $(DEMO_OUT)
	@echo "== 1. keybatch validate: check the export without calling Seam"
	@$(BIN_DEBUG) validate samples/reservations.csv --listings samples/listings.csv \
	  --out $(DEMO_OUT)/validation.csv; status=$$?; [ $$status -le 1 ] || exit $$status
	@echo; echo "== 2. keybatch provision --sandbox: the mobile-key flow against the embedded Seam sandbox"
	@$(BIN_DEBUG) provision samples/reservations.csv --listings samples/listings.csv --sandbox \
	  --out $(DEMO_OUT)/results.csv; status=$$?; [ $$status -le 1 ] || exit $$status
	@echo; echo "== $(DEMO_OUT)/results.csv (status and Seam ids per row; every input row once)"
	@if command -v column >/dev/null; then cut -d, -f1,2,5,6,7,8,10 $(DEMO_OUT)/results.csv | column -s, -t; \
	 else cut -d, -f1,2,5,6,7,8,10 $(DEMO_OUT)/results.csv; fi
	@echo; echo "== 3. bulk onboarding: 150 guests with --instant-keys, the sandbox answering at a real Seam's pace (progress below)"
	@$(BIN_DEBUG) provision samples/onboarding.csv --listings samples/listings.csv --sandbox --sandbox-latency 150 \
	  --rate 100 --concurrency 32 --instant-keys --progress-interval 3 --out $(DEMO_OUT)/onboarding.csv
	@echo; echo "== $(DEMO_OUT)/onboarding.csv: the first links to send (mode 0600: they open doors)"
	@cut -d, -f2,5,15,16 $(DEMO_OUT)/onboarding.csv | head -4

# Validates every sandbox answer against the vendored Seam spec (Conformance/check_sandbox.py).
conformance: build $(VENV_CONF)/.installed
	$(VENV_CONF)/bin/python Conformance/check_sandbox.py --binary $(BIN_DEBUG) --spec spec/seam-openapi-schemas.json

# The pinned validator, reinstalled whenever Conformance/requirements.txt changes.
$(VENV_CONF)/.installed: Conformance/requirements.txt
	@$(PYTHON) -m venv $(VENV_CONF) 2>/dev/null || { \
	  echo "Installing python3-venv"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV_CONF); }
	$(VENV_CONF)/bin/pip install -q --disable-pip-version-check -r Conformance/requirements.txt
	@touch $@

# Fuzzes the sandbox with a pinned schemathesis against the vendored spec (Conformance/fuzz_sandbox.py):
# every 5xx, schema violation or crash fails it. `make fuzz-sandbox FUZZ_MAX_EXAMPLES=300` for a long run.
fuzz-sandbox: build $(VENV_FUZZ)/.installed
	$(VENV_FUZZ)/bin/python Conformance/fuzz_sandbox.py --binary $(BIN_DEBUG) --spec spec/seam-openapi-schemas.json \
	  --schemathesis $(VENV_FUZZ)/bin/schemathesis --max-examples $(FUZZ_MAX_EXAMPLES) --max-time $(FUZZ_SECONDS) \
	  $(if $(FUZZ_SEED),--seed $(FUZZ_SEED))

$(VENV_FUZZ)/.installed: Conformance/fuzz-requirements.txt
	@$(PYTHON) -m venv $(VENV_FUZZ) 2>/dev/null || { \
	  echo "Installing python3-venv"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV_FUZZ); }
	$(VENV_FUZZ)/bin/pip install -q --disable-pip-version-check -r Conformance/fuzz-requirements.txt
	@touch $@

# A crash is saved as Fuzz/crashes/crash-<sha1>; `.build-fuzz/release/KeyBatchFuzz FILE` replays it
# (fixed, add it to Fuzz/seeds/: `make test` replays every seed).
# lld links it: gold fails on the instrumented objects (an internal error in its DWARF reader).
fuzz: deps
	$(SWIFT) build -c release --product KeyBatchFuzz --scratch-path $(FUZZ_BUILD) \
	  -Xswiftc -DFUZZING -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld
	@mkdir -p $(FUZZ_CORPUS) Fuzz/crashes && { cp -n Fuzz/seeds/* $(FUZZ_CORPUS)/ || true; }
	$(FUZZ_BUILD)/release/KeyBatchFuzz $(FUZZ_CORPUS) -max_total_time=$(SECONDS) -max_len=65536 \
	  -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=Fuzz/crashes/

bench: deps
	Benchmarks/run-all.sh

# Chaos soak (Benchmarks/soak.py, docs/soak.md): `keybatch provision --sync` killed and restarted
# against a faulty sandbox for MINUTES, then the invariants; exits non-zero when one fails.
soak: build
	$(PYTHON) Benchmarks/soak.py --binary $(BIN_DEBUG) --minutes $(MINUTES) $(if $(SOAK_ROWS),--rows $(SOAK_ROWS)) $(if $(SOAK_SEED),--seed $(SOAK_SEED))

clean:
	rm -rf .build .build-tsan .build-asan $(FUZZ_BUILD) $(DEMO_OUT)
