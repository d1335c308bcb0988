# Recoup — the two commands: `make demo` and `make test`.
SWIFT        ?= swift
DEBS         := libzstd-dev liblz4-dev libedit-dev pkg-config
# Only the tests need these: tmux drives the REPL like a person would.
TEST_DEBS    := tmux curl
RELEASE_BIN  := .build/release/recoup
VENV         := Benchmarks/.venv
BENCH_ACCOUNTS ?= 1000000
BENCH_RUNS   ?= 5
# Set to e.g. 10000000 to repeat the KPI suite on a larger book and print how time grows.
BENCH_LARGE  ?= 0

.PHONY: all deps test-deps install-debs build release demo test bench bench-compare venv clean repl-test fuzz

all: build

## Install the Debian packages the C shims link against (as root), or say exactly what to run.
deps:
	@$(MAKE) --no-print-directory install-debs PKGS="$(DEBS)"

test-deps:
	@$(MAKE) --no-print-directory install-debs PKGS="$(TEST_DEBS)"

install-debs:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
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

## Build and run every test: the Swift test targets, then the REPL driven in tmux.
test: deps test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	Tests/repl/tmux-test.sh
	RECOUP_BIN=.build/debug/recoup Tests/serve/serve-test.sh

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

## Fuzz the query parser with libFuzzer for FUZZ_SECONDS (default 60): no crash, no input over 2 s,
## and every parsed query must format and parse back to the same tree (Fuzz/README.md).
fuzz:
	@mkdir -p .build/fuzz/corpus
	swiftc -O -sanitize=fuzzer -parse-as-library -module-name RecoupStore -emit-module \
	  -emit-module-path .build/fuzz/RecoupStore.swiftmodule -emit-library -static -o .build/fuzz/libRecoupStore.a \
	  Sources/RecoupStore/CivilDate.swift Sources/RecoupStore/Suggest.swift
	swiftc -O -sanitize=fuzzer -parse-as-library -module-name ParserFuzz -I .build/fuzz -L .build/fuzz -lRecoupStore \
	  Sources/RecoupQuery/Syntax/*.swift Fuzz/*.swift -o .build/fuzz/parser-fuzz
	.build/fuzz/parser-fuzz -max_total_time=$(or $(FUZZ_SECONDS),60) -timeout=2 -max_len=4096 -dict=Fuzz/query.dict \
	  -artifact_prefix=.build/fuzz/ -print_final_stats=1 .build/fuzz/corpus Fuzz/corpus

## Drive `recoup repl` in tmux like a person would (builds the debug recoup first).
repl-test: deps
	Tests/repl/tmux-test.sh

clean:
	rm -rf .build Benchmarks/.build

## HTTP load: wrk on loopback against a queue page and single scores of a 1M-account store with scores
## (made when missing; LOAD_STORE=DIR to serve another). Figures: docs/PERFORMANCE.md, "HTTP service".
.PHONY: load
load: deps
	Benchmarks/load/load.sh
