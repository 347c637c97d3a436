# KeyBatch: `make demo` and `make test` are all a fresh Debian machine with Swift needs.
SWIFT        ?= swift
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN_DEBUG    := .build/debug/keybatch
DEMO_OUT     := demo-out

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
	@mkdir -p $(DEMO_OUT)
	@echo "== keybatch validate samples/reservations.csv"
	@$(BIN_DEBUG) validate samples/reservations.csv --listings samples/listings.csv \
	  --out $(DEMO_OUT)/validation.csv; status=$$?; [ $$status -le 1 ] || exit $$status
	@echo; echo "== $(DEMO_OUT)/validation.csv"; column -s, -t < $(DEMO_OUT)/validation.csv 2>/dev/null || cat $(DEMO_OUT)/validation.csv

bench: deps
	Benchmarks/run-all.sh

clean:
	rm -rf .build $(DEMO_OUT)
