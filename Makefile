# Recoup — the two commands: `make demo` and `make test`.
SWIFT        ?= swift
DEBS         := libzstd-dev liblz4-dev libedit-dev pkg-config
RELEASE_BIN  := .build/release/recoup
VENV         := Benchmarks/.venv
BENCH_ACCOUNTS ?= 1000000
BENCH_RUNS   ?= 5
# Set to e.g. 10000000 to repeat the KPI suite on a larger book and print how time grows.
BENCH_LARGE  ?= 0

.PHONY: all deps build release demo test bench bench-compare venv clean

all: build

## Install the Debian packages the C shims link against (as root), or say exactly what to run.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing"; \
	    echo "run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release --product recoup

## Generate a sample book, import it, and show what is there.
demo: release
	$(RELEASE_BIN) demo

## Build and run every test.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Micro-benchmarks (ordo-one/benchmark): encodings and the CSV parser.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

venv: $(VENV)/bin/python
$(VENV)/bin/python: Benchmarks/compare/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r Benchmarks/compare/requirements.txt
	touch $@

## Recoup against DuckDB, Parquet (zstd) and Polars on the same generated book.
bench-compare: release venv
	$(VENV)/bin/python Benchmarks/compare/compare.py --recoup $(RELEASE_BIN) --accounts $(BENCH_ACCOUNTS) \
	  --runs $(BENCH_RUNS) --suite all --accounts-large $(BENCH_LARGE)

clean:
	rm -rf .build Benchmarks/.build
