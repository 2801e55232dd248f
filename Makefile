# fathom: plain Makefile over pkg-config.
#   make            build ./fathom
#   make deps       install the Debian packages the build and tests need (as root)
#   make demo       deps, build, run on a bundled sample image
#   make check      deps, build, every test; ends with "N passed, N failed"
#   make check SUITES="registry.bats test_stack"   only those suites
#   make SAN=1 ...  the same with AddressSanitizer + UndefinedBehaviorSanitizer
#   make SAN=thread race-check   the threaded reading under ThreadSanitizer
#   make fuzz       the libFuzzer harnesses, each for FUZZ_TIME seconds (default 60)
#   make WERROR=1   warnings are errors (CI)
#   make install    the binary, man page and completions under $(DESTDIR)$(PREFIX)
#   make uninstall  removes them again

PKGS      = libarchive libxxhash jansson yaml-0.1 libisal ncursesw libpcre2-8 libcurl libcrypto libdpkg
CC       ?= cc
CFLAGS   ?= -O2 -g
# the release (VERSION), and the commit when built from a git tree
FATHOM_VERSION := $(shell cat VERSION)$(shell git describe --always --dirty 2>/dev/null | sed 's/^/+g/')
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/vendor-completions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-sign-compare
ifeq ($(WERROR),1)
WARN     += -Werror
endif
ifeq ($(SAN),1)
BUILD     = build/san
SANFLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),fuzz)
BUILD     = build/fuzz
CC        = clang
SANFLAGS  = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SAN),thread)
BUILD     = build/tsan
SANFLAGS  = -fsanitize=thread -fno-omit-frame-pointer
else
BUILD     = build/release
SANFLAGS  =
endif
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -Isrc $(WARN) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) \
             -DFATHOM_VERSION='"$(FATHOM_VERSION)"' -MMD -MP
LDLIBS     = $(PKG_LIBS) -lm -lpthread

LIB_SRC  = $(wildcard src/util/*.c src/image/*.c src/source/*.c src/analysis/*.c src/config/*.c src/output/*.c src/write/*.c src/tui/*.c)
CMD_SRC  = $(wildcard src/cmd/*.c) src/main.c
# The HTML report's style and script, real files made C arrays (xxd -i)
ASSETS   = src/output/report_html.css src/output/report_html.js
GEN_SRC  = $(ASSETS:src/output/%=$(BUILD)/gen/%.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:.c=.o)
CMD_OBJ  = $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
BIN      = $(BUILD)/fathom
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/fuzzers/%)
FUZZ_TIME ?= 60
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/replay_%)

.PHONY: all deps demo check test unit cli fixtures clean bench race-check fuzz fuzzers man \
	install uninstall deb deb-check

all: $(BIN)
ifeq ($(SAN),)
	@ln -sf $(BIN) fathom
endif

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# report_html.css -> const unsigned char report_html_css[], report_html_css_len
$(BUILD)/gen/%.c: src/output/%
	@mkdir -p $(dir $@)
	xxd -i -n $(subst .,_,$*) $< | sed 's/^unsigned/const unsigned/' >$@.tmp && mv $@.tmp $@

.SECONDARY: $(GEN_SRC)
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libfathom.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

$(BIN): $(CMD_OBJ) $(BUILD)/libfathom.a
	$(CC) $(CFLAGS) $(SANFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libfathom.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libfathom.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -Itests/unit -o $@ $< \
		$(BUILD)/libfathom.a $(LDLIBS) $(shell pkg-config --libs cmocka)

# The harnesses without libFuzzer, for the regression inputs in make check.
$(BUILD)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libfathom.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libfathom.a $(LDLIBS)

build/fuzz/fuzzers/%: tests/fuzz/%.c build/fuzz/libfathom.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libfathom.a $(LDLIBS)

fuzzers: $(FUZZ_BIN)

# Each harness for FUZZ_TIME seconds, on a corpus kept in build/fuzz/corpus
# and seeded from the fixtures; a crash leaves its input in build/fuzz/crashes.
fuzz: deps
	$(MAKE) SAN=fuzz fuzzers
	$(MAKE) fixtures
	@sh tests/fuzz/run.sh $(FUZZ_TIME)

deps:
	@sh tests/deps.sh

# The sample image of `make demo`, made by the fixture generator.
build/sample.tar: examples/sample.desc tests/fixtures/mkimage.py
	@mkdir -p build
	python3 tests/fixtures/mkimage.py examples/sample.desc --format docker-legacy -o $@

demo: deps
	$(MAKE) all
	$(MAKE) build/sample.tar
	./fathom history build/sample.tar
	@echo
	./fathom files build/sample.tar
	@echo
	./fathom files build/sample.tar --layer 2 --changes
	@echo
	./fathom files build/sample.tar --layer 4 --changes
	@echo
	@echo "In a terminal, explore it with: ./fathom build/sample.tar   (? for the keys, q to quit)"

fixtures: $(BIN)
	@sh tests/fixtures/build.sh build/fixtures

unit: $(UNIT_BIN) $(REPLAY_BIN)

check: deps
	$(MAKE) all unit
	$(MAKE) fixtures
	@sh tests/run.sh $(BUILD) $(SUITES)

test: check

# The tests of what runs on several threads (layers read in parallel, the
# explorer's regex scan, HTTP bodies streamed by a thread, registry
# layers downloaded in parallel, images scanned in parallel), under
# ThreadSanitizer.
race-check: deps
	$(MAKE) SAN=thread all build/tsan/tests/test_treeview
	$(MAKE) fixtures
	@env FATHOM=$(CURDIR)/build/tsan/fathom TSAN_OPTIONS=halt_on_error=1 \
		bats --tap tests/cli/parallel.bats tests/cli/registry.bats tests/cli/engine.bats \
		tests/cli/scan.bats \
		| tee build/race.tap; \
	if TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/test_treeview >build/race-treeview.log 2>&1; \
	then echo "ok treeview under ThreadSanitizer" | tee -a build/race.tap; \
	else cat build/race-treeview.log; echo "not ok treeview under ThreadSanitizer" | tee -a build/race.tap; fi; \
	p=$$(grep -c '^ok' build/race.tap); f=$$(grep -c '^not ok' build/race.tap); \
	echo "$$p passed, $$f failed"; [ "$$f" -eq 0 ]

bench: deps all
	python3 bench/mkbench.py build/bench
	@python3 bench/run.py build/bench $(BIN); a=$$?; echo; \
	python3 bench/tui_latency.py build/bench/million.tar $(BIN); b=$$?; echo; \
	python3 bench/report.py build/bench/million.tar $(BIN); c=$$?; echo; \
	python3 bench/squash.py build/bench $(BIN); d=$$?; echo; \
	python3 bench/scan.py build/bench $(BIN); e=$$?; echo; \
	python3 bench/goals.py build/bench $(BIN); f=$$?; \
	[ $$a -eq 0 ] && [ $$b -eq 0 ] && [ $$c -eq 0 ] && [ $$d -eq 0 ] && [ $$e -eq 0 ] && \
	[ $$f -eq 0 ]

man: build/fathom.1

build/fathom.1: docs/fathom.1.scd
	@mkdir -p build
	scdoc <$< >$@.tmp && mv $@.tmp $@

install: $(BIN) build/fathom.1
	install -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/fathom
	install -D -m 0644 build/fathom.1 $(DESTDIR)$(MANDIR)/man1/fathom.1
	install -D -m 0644 completions/fathom.bash $(DESTDIR)$(BASHCOMPDIR)/fathom
	install -D -m 0644 completions/_fathom $(DESTDIR)$(ZSHCOMPDIR)/_fathom
	install -D -m 0644 completions/fathom.fish $(DESTDIR)$(FISHCOMPDIR)/fathom.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fathom $(DESTDIR)$(MANDIR)/man1/fathom.1 \
		$(DESTDIR)$(BASHCOMPDIR)/fathom $(DESTDIR)$(ZSHCOMPDIR)/_fathom \
		$(DESTDIR)$(FISHCOMPDIR)/fathom.fish

# The Debian package, built from this tree into build/deb (debian/);
# deb-check also installs it with apt-get and runs it (.ci/run).
deb:
	sh tests/deb.sh build/deb

deb-check: deps fixtures
	sh tests/deb-check.sh

clean:
	rm -rf build fathom

-include $(LIB_OBJ:.o=.d) $(CMD_OBJ:.o=.d)
