# KeyBatch: `make demo` and `make test` are all a fresh Debian machine with Swift needs.
SWIFT        ?= swift
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG    := .build/debug/keybatch
DEMO_OUT     := demo-out
VENV_CONF    := .venv-conformance
PYTHON       ?= python3

.PHONY: all deps build test demo bench conformance clean

all: build

# Installs what is missing and does nothing when it is already there.
deps:
	@if [ ! -f /usr/include/csv.h ]; then \
	  echo "Installing libcsv-dev (libcsv headers and library)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libcsv-dev; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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

# Validates every sandbox answer against the vendored Seam spec (Conformance/check_sandbox.py).
conformance: build $(VENV_CONF)/.installed
	$(VENV_CONF)/bin/python Conformance/check_sandbox.py --binary $(BIN_DEBUG) --spec spec/seam-openapi-schemas.json

# The pinned validator, reinstalled whenever Conformance/requirements.txt changes.
$(VENV_CONF)/.installed: Conformance/requirements.txt
	@$(PYTHON) -m venv $(VENV_CONF) 2>/dev/null || { \
	  echo "Installing python3-venv"; $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV_CONF); }
	$(VENV_CONF)/bin/pip install -q --disable-pip-version-check -r Conformance/requirements.txt
	@touch $@

bench: deps
	Benchmarks/run-all.sh

clean:
	rm -rf .build $(DEMO_OUT)
