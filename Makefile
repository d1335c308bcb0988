# Recoup — the two commands: `make demo` and `make test`.
SWIFT        ?= swift
DEBS         := libzstd-dev liblz4-dev libedit-dev pkg-config
# Only the tests need these: tmux drives the REPL like a person would.
TEST_DEBS    := tmux curl
# Only `make report-shot` needs a browser: headless Chromium renders the reports to PNG.
SHOT_DEBS    := chromium
SHOT_DIR     := out/report-shot
SHOT_ACCOUNTS ?= 20000
# Tall enough for a whole report; Chromium pads the rest with white.
SHOT_HEIGHT  ?= 9000
RELEASE_BIN  := .build/release/recoup
VENV         := Benchmarks/.venv
BENCH_ACCOUNTS ?= 1000000
BENCH_RUNS   ?= 5
# Set to e.g. 10000000 to repeat the KPI suite on a larger book and print how time grows.
BENCH_LARGE  ?= 0

.PHONY: all deps test-deps install-debs build release demo test bench bench-compare bench-models venv clean repl-test fuzz format lint

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
	RECOUP_BIN=.build/debug/recoup Tests/determinism/determinism-test.sh

## Format the Swift sources in place with the toolchain's swift-format (.swift-format: line length 120).
## Files written by an earlier session keep their line breaks (respectsExistingLineBreaks); run it on
## what you touch before committing.
FORMAT_PATHS ?= Sources Tests Benchmarks/Benchmarks
format:
	$(SWIFT) format format --in-place --parallel --recursive $(FORMAT_PATHS)

## Report what `make format` would change, without changing it.
lint:
	$(SWIFT) format lint --parallel --recursive $(FORMAT_PATHS)

## Micro-benchmarks (ordo-one/benchmark): encodings and the CSV parser.
bench: deps
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

venv: $(VENV)/bin/python
$(VENV)/bin/python: Benchmarks/compare/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -r Benchmarks/compare/requirements.txt
	touch $@

## Recoup against DuckDB, Parquet (zstd) and Polars on the same generated book, then the models
## against LightGBM and scikit-learn on Recoup's exported feature matrix of that book.
bench-compare: release venv
	$(VENV)/bin/python Benchmarks/compare/compare.py --recoup $(RELEASE_BIN) --accounts $(BENCH_ACCOUNTS) \
	  --runs $(BENCH_RUNS) --suite all --accounts-large $(BENCH_LARGE)
	@$(MAKE) --no-print-directory bench-models

BENCH_STORE  := Benchmarks/data/book-$(BENCH_ACCOUNTS)/recoup-store
## The propensity model against LightGBM and scikit-learn on the same rows (docs/MODELS.md), and the
## time to score every account of the book.
bench-models: release venv
	@test -d $(BENCH_STORE) || $(VENV)/bin/python Benchmarks/compare/compare.py --recoup $(RELEASE_BIN) \
	  --accounts $(BENCH_ACCOUNTS) --runs 1 --suite import
	$(VENV)/bin/python Benchmarks/compare/models_compare.py --recoup $(RELEASE_BIN) --store $(BENCH_STORE) \
	  --dir Benchmarks/data/models-$(BENCH_ACCOUNTS) --json Benchmarks/data/models-$(BENCH_ACCOUNTS)/results.json
	@test -n "$$(ls $(BENCH_STORE)/models 2>/dev/null)" || $(RELEASE_BIN) train --store $(BENCH_STORE)
	/usr/bin/time -f "recoup score: %e s, peak RSS %M KiB" env RECOUP_TRACE=1 $(RELEASE_BIN) score --store $(BENCH_STORE) \
	  --out Benchmarks/data/models-$(BENCH_ACCOUNTS)/scores.csv

## Fuzz the query parser with libFuzzer for FUZZ_SECONDS (default 60): no crash, no input over 2 s,
## and every parsed query must format and parse back to the same tree (Fuzz/README.md).
fuzz:
	@mkdir -p .build/fuzz/corpus
	swiftc -O -sanitize=fuzzer -parse-as-library -module-name RecoupStore -emit-module \
	  -emit-module-path .build/fuzz/RecoupStore.swiftmodule -emit-library -static -o .build/fuzz/libRecoupStore.a \
	  Sources/RecoupSupport/Time/CivilDate.swift Sources/RecoupSupport/Suggest.swift
	swiftc -O -sanitize=fuzzer -parse-as-library -module-name ParserFuzz -I .build/fuzz -L .build/fuzz -lRecoupStore \
	  Sources/RecoupQuery/Syntax/*.swift Fuzz/*.swift -o .build/fuzz/parser-fuzz
	.build/fuzz/parser-fuzz -max_total_time=$(or $(FUZZ_SECONDS),60) -timeout=2 -max_len=4096 -dict=Fuzz/query.dict \
	  -artifact_prefix=.build/fuzz/ -print_final_stats=1 .build/fuzz/corpus Fuzz/corpus

## Drive `recoup repl` in tmux like a person would (builds the debug recoup first).
repl-test: deps
	Tests/repl/tmux-test.sh

.PHONY: report-shot
## Render the four shipped reports on a generated book and screenshot them with headless Chromium
## (out/report-shot/NAME.png): the monthly KPI pack first, then the others.
report-shot: deps
	@$(MAKE) --no-print-directory install-debs PKGS="$(SHOT_DEBS)"
	$(SWIFT) build --product recoup
	rm -rf $(SHOT_DIR) && mkdir -p $(SHOT_DIR)
	.build/debug/recoup generate --accounts $(SHOT_ACCOUNTS) --seed 7 --out $(SHOT_DIR)/book
	.build/debug/recoup import --store $(SHOT_DIR)/store $(SHOT_DIR)/book
	.build/debug/recoup train --store $(SHOT_DIR)/store
	.build/debug/recoup score --store $(SHOT_DIR)/store --out $(SHOT_DIR)/scores.json
	for r in monthly-kpi-pack collector-scorecard compliance model-monitoring; do \
	  .build/debug/recoup report run $$r --store $(SHOT_DIR)/store --as-of latest --out $(SHOT_DIR)/$$r || exit 1; \
	  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot=$(CURDIR)/$(SHOT_DIR)/$$r.png \
	    --window-size=1280,$(SHOT_HEIGHT) file://$(CURDIR)/$(SHOT_DIR)/$$r/report.html 2>/dev/null || exit 1; \
	done
	@echo "screenshots: $(SHOT_DIR)/*.png (monthly pack: $(SHOT_DIR)/monthly-kpi-pack.png)"

clean:
	rm -rf .build Benchmarks/.build

## HTTP load: wrk on loopback against a queue page and single scores of a 1M-account store with scores
## (made when missing; LOAD_STORE=DIR to serve another). Figures: docs/PERFORMANCE.md, "HTTP service".
.PHONY: load
load: deps
	Benchmarks/load/load.sh
