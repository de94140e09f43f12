# docrules — see README.md. `make` builds build/docrules; `make test` runs
# every suite and ends with "N passed, N failed".

# Packages first, flags second. pkg-config's flags are read when make reads
# this file, so on a machine without the -dev packages they would be empty
# and every object would fail to find lua.h. Make therefore runs in two
# passes: this one installs what the goals need (tools/install-deps.sh,
# which does nothing when all is there), then a second make reads this file
# again, with the packages in place, and builds. tests/test_build.c checks
# it with a pkg-config that fails until the install step has run.
INSTALL_DEPS ?= sh tools/install-deps.sh
ifndef DR_DEPS_READY
GOALS := $(or $(MAKECMDGOALS),all)
# The package groups of tools/install-deps.sh each goal needs.
dr_group = $(if $(filter clean uninstall,$(1)),,$(if $(filter bench bench-serve,$(1)),bench,$(if $(filter valgrind,$(1)),dev,$(if $(filter fuzz,$(1)),fuzz,$(if $(filter test asan,$(1)),test,build)))))
DEP_GROUPS := $(sort $(foreach g,$(GOALS),$(call dr_group,$(g))))
.PHONY: $(GOALS) dr-outer
$(GOALS): dr-outer
	@:
# One second pass for all the goals, so that `make -j2 all test` does not
# run two builds of the same tree at once.
dr-outer:
	@$(if $(DEP_GROUPS),$(INSTALL_DEPS) $(DEP_GROUPS))
	@$(MAKE) --no-print-directory DR_DEPS_READY=1 $(GOALS)
Makefile: ;
else
TOP      := $(abspath .)
SHARED   ?= $(abspath $(TOP)/../shared)
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
PKGS     := libxml-2.0 libpcre2-8 lua5.4 yaml-0.1 libcmark-gfm jansson yajl cmocka
# What only the command's decision service needs (serve/): never the library.
SERVE_PKGS := libmicrohttpd sqlite3
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) $(SERVE_PKGS) 2>/dev/null)
SERVE_LIBS := $(shell pkg-config --libs $(SERVE_PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(filter-out cmocka,$(PKGS)) 2>/dev/null) -lcmark-gfm-extensions
# The command (and what tests and times it) takes the libraries of its hot
# paths from the static archives their Debian -dev packages ship: Lua and
# yajl (a decision makes some two hundred lua_* and yajl calls), cmark-gfm,
# libyaml and PCRE2 (every doc). Each call is then a direct one, within
# cmark-gfm too, rather than one through the PLT, and start-up binds none of
# their symbols: a realistic batch runs 8% faster, extract 3% (README:
# Performance). libxml2 stays shared (its ICU data would add 30 MB) and is
# opened only when needed (XML_LIBS below), and libdocrules.so links the
# shared libraries, as a library should.
SYS_LIBDIR := $(shell pkg-config --variable=libdir lua5.4 2>/dev/null)
HOT_LIBS   := lua5.4 yajl cmark-gfm-extensions cmark-gfm yaml pcre2-8
static_of   = $(or $(firstword $(wildcard $(SYS_LIBDIR)/lib$(1).a $(SYS_LIBDIR)/lib$(1)_s.a)),-l$(1))
# The extensions first: a static archive only gives what is asked of it by
# the ones before.
# libxml2 is not linked at all: common/libxml.c opens it when a doc is
# first parsed (its ICU and libstdc++ cost every start about 3 ms), by the
# soname of the libxml2 whose headers the build uses.
XML_LIBS    := $(shell pkg-config --libs libxml-2.0 2>/dev/null)
XML_SONAME  := $(shell objdump -p $(shell pkg-config --variable=libdir libxml-2.0 2>/dev/null)/libxml2.so 2>/dev/null | sed -n 's/^ *SONAME *//p')
CMD_LIBS   := $(foreach l,$(HOT_LIBS),$(call static_of,$(l))) \
              $(filter-out $(HOT_LIBS:%=-l%) $(XML_LIBS),$(PKG_LIBS)) -ldl
# The first pass installed the packages: a flag missing now is a broken
# install, said here rather than as a compiler error about lua.h.
ifneq ($(filter-out clean uninstall,$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell pkg-config --exists $(PKGS) $(SERVE_PKGS) && echo ok),ok)
$(error pkg-config finds no $(PKGS) $(SERVE_PKGS) (or one of them): run tools/install-deps.sh as root)
endif
endif
# Hidden by default: the shared library exports what include/docrules.h
# marks DOCRULES_EXTERN and nothing else.
CFLAGS_ALL  = -std=gnu11 $(OPT) $(WARN) $(SAN) $(PKG_CFLAGS) -fvisibility=hidden \
              -DDR_DATADIR='"$(PREFIX)/share/docrules"' -DDR_TOP='"$(TOP)"' -DDR_SHARED='"$(SHARED)"' -DDR_BUILD='"$(abspath $(BUILD))"' \
              -DDR_SAN='"$(SAN)"' -DDR_DOCDIR='"$(PREFIX)/share/doc/docrules"' -DDR_LIBEXECDIR='"$(LIBEXECDIR)"' \
              -DDR_LIBXML2_SONAME='"$(or $(XML_SONAME),libxml2.so.2)"'
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

LIB_SRC  := $(wildcard common/*.c parsers/*.c facts/*.c engine/*.c bundle/*.c validate/*.c api/*.c)
TOOL_SRC := $(wildcard tools/*.c)
# The decision service (HTTP, decision log, reload): part of the command,
# not of libdocrules, so embedding the library pulls in no HTTP server.
SERVE_SRC := $(wildcard serve/*.c)
SERVE_OBJ := $(SERVE_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(wildcard tests/test_*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/prelude.o $(BUILD)/obj/gen/build_id.o
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/obj/%.o)
# Two binaries of these: docrules, which most runs are, without the
# service's libraries (libmicrohttpd, GnuTLS under it, SQLite: loading them
# cost every run about 2 ms), and docrules-serve, the whole command, which
# docrules becomes for serve and log (tools/serve_exec.c). Installed in
# PREFIX/libexec/docrules.
SERVE_CMD_OBJ := $(BUILD)/obj/tools/cmd_serve.o $(BUILD)/obj/tools/cmd_log.o
EXEC_OBJ := $(BUILD)/obj/tools/serve_exec.o
CMD_OBJ  := $(filter-out $(SERVE_CMD_OBJ),$(TOOL_OBJ))
HELPER_OBJ := $(filter-out $(EXEC_OBJ),$(TOOL_OBJ))
LIBEXECDIR = $(PREFIX)/libexec/docrules
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

.PHONY: all lib test fidelity asan valgrind tsan fuzz bench bench-serve run clean install uninstall
all: $(BUILD)/docrules $(BUILD)/docrules-serve

$(BUILD)/obj/%.o: %.c $(wildcard */*.h) include/docrules.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

# The rule language (engine/prelude.lua) is compiled into the binary, so an
# installed docrules needs no file of ours but the rules and the corpus: as
# Lua bytecode, made at build time by the Lua the command links, so that no
# engine compiles it again (engine/gen/prelude_dump.c says why), and as text.
# Made again when Lua is (its library, which runs the bytecode, and headers).
LUA_HEADERS := $(wildcard $(patsubst -I%,%/lua.h,$(filter -I%,$(shell pkg-config --cflags lua5.4 2>/dev/null))))
$(BUILD)/gen/prelude_dump: engine/gen/prelude_dump.c $(filter /%,$(call static_of,lua5.4)) $(LUA_HEADERS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 $(WARN) $(PKG_CFLAGS) $< -o $@ $(call static_of,lua5.4) -lm -ldl

$(BUILD)/gen/prelude.c: engine/prelude.lua $(BUILD)/gen/prelude_dump
	$(BUILD)/gen/prelude_dump engine/prelude.lua > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/prelude.o: $(BUILD)/gen/prelude.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) $(SAN) -c $< -o $@

# What this build is beyond its version (bundle/bundle.h): a checksum of
# the library's sources, so that the cache never serves a bundle another
# build of the same version wrote.
$(BUILD)/gen/build_id.c: $(LIB_SRC) $(wildcard */*.h) engine/prelude.lua
	@mkdir -p $(dir $@)
	@printf 'extern const char dr_build_id[];\nconst char dr_build_id[] = "%s";\n' \
	    "$$(cat $(sort $^) | cksum | tr ' ' -)" > $@

$(BUILD)/obj/gen/build_id.o: $(BUILD)/gen/build_id.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) $(SAN) -c $< -o $@

# The version, from the one place it is written.
VERSION  := $(shell sed -n 's/^#define DOCRULES_VERSION "\(.*\)"/\1/p' include/docrules.h)
SOMAJOR  := $(word 1,$(subst ., ,$(VERSION)))
LIB_PIC  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o) $(BUILD)/pic/gen/prelude.o $(BUILD)/pic/gen/build_id.o
LIBDIR   ?= $(PREFIX)/lib

$(BUILD)/pic/%.o: %.c $(wildcard */*.h) include/docrules.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -c $< -o $@

$(BUILD)/pic/gen/prelude.o: $(BUILD)/gen/prelude.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) $(SAN) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/pic/gen/build_id.o: $(BUILD)/gen/build_id.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) $(SAN) -fPIC -fvisibility=hidden -c $< -o $@

# libdocrules.so.MAJOR is what programs load; the soname changes with
# the major version.
$(BUILD)/libdocrules.so.$(VERSION): $(LIB_PIC)
	$(CC) -shared -Wl,-soname,libdocrules.so.$(SOMAJOR) -o $@ $(LIB_PIC) $(filter-out $(XML_LIBS),$(PKG_LIBS)) $(LDFLAGS_ALL) -ldl -lm -lpthread
	ln -sf libdocrules.so.$(VERSION) $(BUILD)/libdocrules.so.$(SOMAJOR)
	ln -sf libdocrules.so.$(SOMAJOR) $(BUILD)/libdocrules.so

# docrules.pc names the prefix it is installed under, so install writes it.
define DOCRULES_PC
prefix=$(PREFIX)
libdir=$(LIBDIR)
includedir=$${prefix}/include

Name: docrules
Description: decisions from documentation: facts from docs in every language, sandboxed Lua rules
Version: $(VERSION)
Requires.private: $(filter-out cmocka libxml-2.0,$(PKGS))
Cflags: -I$${includedir}
Libs: -L$${libdir} -ldocrules
Libs.private: -lcmark-gfm-extensions -ldl -lm -lpthread
endef
export DOCRULES_PC

# man 3 docrules is the header's own comments (tools/man3.sh).
$(BUILD)/docrules.3: include/docrules.h tools/man3.sh
	@mkdir -p $(dir $@)
	sh tools/man3.sh $(VERSION) < include/docrules.h > $@

lib: $(BUILD)/libdocrules.a $(BUILD)/libdocrules.so.$(VERSION) $(BUILD)/docrules.3

$(BUILD)/libdocrules.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libdrserve.a: $(SERVE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/docrules: $(CMD_OBJ) $(BUILD)/libdocrules.a
	$(CC) -o $@ $(CMD_OBJ) $(BUILD)/libdocrules.a $(CMD_LIBS) $(LDFLAGS_ALL) -lm -lpthread

$(BUILD)/docrules-serve: $(HELPER_OBJ) $(BUILD)/libdrserve.a $(BUILD)/libdocrules.a
	$(CC) -o $@ $(HELPER_OBJ) $(BUILD)/libdrserve.a $(BUILD)/libdocrules.a $(CMD_LIBS) $(SERVE_LIBS) $(LDFLAGS_ALL) -lm -lpthread

$(BUILD)/tests/%: tests/%.c $(wildcard tests/*.h) $(BUILD)/libdrserve.a $(BUILD)/libdocrules.a $(BUILD)/docrules $(BUILD)/docrules-serve
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libdrserve.a $(BUILD)/libdocrules.a $(CMD_LIBS) $(SERVE_LIBS) -lcmocka $(LDFLAGS_ALL) -lm -lpthread

# docrules as on a machine without libxml2, for tests/test_cli.c: the
# command with its libxml2 named by a soname no machine has (its own copy
# of common/libxml.c, linked before the library's).
$(BUILD)/obj/tests/libxml-missing.o: common/libxml.c common/libxml.h
	@mkdir -p $(dir $@)
	$(CC) $(filter-out -DDR_LIBXML2_SONAME=%,$(CFLAGS_ALL)) -DDR_LIBXML2_SONAME='"libdocrules-no-such-libxml2.so.0"' -c $< -o $@

$(BUILD)/tests/docrules-nolibxml: $(CMD_OBJ) $(BUILD)/obj/tests/libxml-missing.o $(BUILD)/libdocrules.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $(CMD_OBJ) $(BUILD)/obj/tests/libxml-missing.o $(BUILD)/libdocrules.a $(CMD_LIBS) $(LDFLAGS_ALL) -lm -lpthread

# Every suite runs even when one fails; tests/run.sh sums their counts.
test: $(BUILD)/docrules $(BUILD)/docrules-serve $(BUILD)/tests/docrules-nolibxml $(TESTS)
	@sh tests/run.sh $(BUILD)

# How many of the facts the real docs state are read, per locale and per
# fact, against expectations written by reading the docs
# (tests/fidelity/expected.tsv); it is also one of the suites of make test.
fidelity: $(BUILD)/tests/test_fidelity
	@DOCRULES_FIDELITY_VERBOSE=1 $(BUILD)/tests/test_fidelity

# The same suites under AddressSanitizer and UndefinedBehaviorSanitizer, in
# a build tree of their own.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" test

# extract, check, batch and validate under valgrind: zero errors, zero leaks.
# The commands' cache in the build tree, not the user's: the first check
# builds an entry, the ones after it read it, under the tool.
VALGRIND = XDG_CACHE_HOME='$(abspath $(BUILD))/xdg-cache' DOCRULES_PCRE2_JIT=0 valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible
valgrind: $(BUILD)/docrules
	$(VALGRIND) $(BUILD)/docrules extract corpus/*/*.md > /dev/null
	$(VALGRIND) $(BUILD)/docrules extract --stats corpus tests/fixtures/bad > /dev/null
	$(VALGRIND) $(BUILD)/docrules extract -j 2 corpus/*/*.md tests/fixtures/bad/*.md > /dev/null
	for f in examples/*.json; do $(VALGRIND) $(BUILD)/docrules check $$f --format json > /dev/null || exit 1; done
	{ cat examples/*.json | tr -d '\n' | sed 's/}{/}\n{/g'; echo; cat tests/fixtures/accounts-bad.ndjson; } | \
	    $(VALGRIND) $(BUILD)/docrules batch -j 2 > /dev/null
	@# decide.c's traced walk (--explain), on the same accounts
	{ cat examples/*.json | tr -d '\n' | sed 's/}{/}\n{/g'; echo; cat tests/fixtures/accounts-bad.ndjson; } | \
	    $(VALGRIND) $(BUILD)/docrules batch --explain > /dev/null
	@# validate exits 1 for the findings it reports; valgrind's 9 is a failure
	for f in text json sarif junit github; do \
	    $(VALGRIND) $(BUILD)/docrules validate -j 2 --format $$f corpus tests/fixtures/validate > /dev/null; \
	    rc=$$?; [ $$rc -le 1 ] || exit 1; done
	@echo "valgrind: no errors, no leaks"

# The service's suite and the decision log's under ThreadSanitizer too: the
# servers they start are build/tsan/docrules (become build/tsan/docrules-serve,
# built with it), which exits 66 on a race, and
# the suites check every server's exit status (HTTP threads sharing engines
# from a pool, reloads swapping rule sets, the log's writer thread).
# batch -j 3, validate -j 2 and extract -j 3 under ThreadSanitizer: workers
# share the corpus's facts read-only and, under their locks, validate's
# string tables (anchors, dates, locales; paths, findings' files and codes)
# and cmark-gfm's table of special characters (parsers/parser.c). 2,000
# lines span several chunks per worker; so do the 26 docs.
TSAN_RUN = XDG_CACHE_HOME='$(abspath $(BUILD))/xdg-cache' TSAN_OPTIONS="halt_on_error=1 exitcode=66"
tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" SAN="-fsanitize=thread" build/tsan/docrules
	for i in $$(seq 100); do cat tests/fixtures/accounts-bad.ndjson; cat examples/*.json | tr -d '\n' | sed 's/}{/}\n{/g'; echo; done | \
	    $(TSAN_RUN) build/tsan/docrules batch -j 3 > /dev/null
	$(TSAN_RUN) build/tsan/docrules validate -j 2 corpus tests/fixtures/validate > /dev/null; [ $$? -ne 66 ]
	$(TSAN_RUN) build/tsan/docrules extract -j 3 corpus/*/*.md tests/fixtures/bad/*.md > /dev/null
	$(TSAN_RUN) build/tsan/docrules extract --stats -j 3 corpus tests/fixtures/bad > /dev/null
	# The cache's check of a corpus big enough for its second thread (over
	# 256 files and folders): built, then read.
	d=$$(mktemp -d) && for i in $$(seq 10 29); do cp -Rp corpus "$$d/c$$i"; done && \
	    $(TSAN_RUN) build/tsan/docrules check examples/office365-30-licenses.json --corpus "$$d" > /dev/null && \
	    $(TSAN_RUN) build/tsan/docrules check examples/office365-30-licenses.json --corpus "$$d" > /dev/null; \
	    rc=$$?; rm -rf "$$d"; exit $$rc
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g" SAN="-fsanitize=thread" build/tsan/tests/test_serve build/tsan/tests/test_log
	$(TSAN_RUN) build/tsan/tests/test_serve > /dev/null
	$(TSAN_RUN) build/tsan/tests/test_log > /dev/null
	@echo "tsan: no data races"

# libFuzzer targets (fuzz/fuzz_*.c) with ASan+UBSan, each run FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(filter-out fuzz/fuzz_engine.h,$(wildcard fuzz/fuzz_*.c)))
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT="-O1 -g" \
	    SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" build/fuzz/libdocrules.a
	@for t in $(FUZZ_TARGETS); do \
	    clang -std=gnu11 -O1 -g $(PKG_CFLAGS) -DDR_TOP='"$(TOP)"' -fsanitize=fuzzer,address,undefined \
	        -fno-sanitize-recover=all -o build/fuzz/fuzz_$$t fuzz/fuzz_$$t.c build/fuzz/libdocrules.a \
	        $(PKG_LIBS) -lm -lpthread || exit 1; \
	done
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: $(BUILD)/docrules
	@sh bench/run.sh $(BUILD)/docrules $(SHARED)

# docrules serve beside json-rules-engine on node:http, under wrk and a
# rate-limited client of our own (bench/serve_load.c; Debian has no wrk2).
bench-serve: $(BUILD)/docrules $(BUILD)/docrules-serve $(BUILD)/bench/serve_load
	@sh bench/serve.sh $(BUILD)/docrules $(SHARED) $(BUILD)/bench/serve_load

$(BUILD)/bench/serve_load: bench/serve_load.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(OPT) $(WARN) -pthread -o $@ $<

# What the machine charges a syscall, a stat and a fresh page (README, Performance).
$(BUILD)/bench/vm_costs: bench/vm_costs.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 $(WARN) -o $@ $< -lpthread

$(BUILD)/bench/latency: bench/latency.c $(BUILD)/libdocrules.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libdocrules.a $(CMD_LIBS) $(LDFLAGS_ALL) -lm -lpthread

# The main job on the bundled corpus (see README).
run: all
	@sh tools/demo.sh $(BUILD)/docrules

# The command, its rules and corpus, the library (shared and static), its
# header, pkg-config file and manual pages, and bash completion.
install: all lib
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/docrules $(DESTDIR)$(LIBDIR)/pkgconfig \
	    $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(BUILD)/docrules $(DESTDIR)$(PREFIX)/bin/docrules
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(BUILD)/docrules-serve $(DESTDIR)$(LIBEXECDIR)/docrules-serve
	cp -R corpus rules $(DESTDIR)$(PREFIX)/share/docrules/
	install -m 644 $(BUILD)/libdocrules.a $(DESTDIR)$(LIBDIR)/libdocrules.a
	install -m 755 $(BUILD)/libdocrules.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdocrules.so.$(VERSION)
	ln -sf libdocrules.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libdocrules.so.$(SOMAJOR)
	ln -sf libdocrules.so.$(SOMAJOR) $(DESTDIR)$(LIBDIR)/libdocrules.so
	install -m 644 include/docrules.h $(DESTDIR)$(PREFIX)/include/docrules.h
	install -d $(DESTDIR)$(PREFIX)/share/doc/docrules
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/docrules/README.md
	printf '%s\n' "$$DOCRULES_PC" > $(DESTDIR)$(LIBDIR)/pkgconfig/docrules.pc
	install -m 644 docs/docrules.1 $(DESTDIR)$(PREFIX)/share/man/man1/docrules.1
	install -m 644 $(BUILD)/docrules.3 $(DESTDIR)$(PREFIX)/share/man/man3/docrules.3
	install -m 644 tools/docrules.bash-completion $(DESTDIR)$(PREFIX)/share/bash-completion/completions/docrules

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/docrules $(DESTDIR)$(LIBDIR)/libdocrules.a \
	    $(DESTDIR)$(LIBDIR)/libdocrules.so $(DESTDIR)$(LIBDIR)/libdocrules.so.$(SOMAJOR) \
	    $(DESTDIR)$(LIBDIR)/libdocrules.so.$(VERSION) $(DESTDIR)$(PREFIX)/include/docrules.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/docrules.pc $(DESTDIR)$(PREFIX)/share/man/man1/docrules.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man3/docrules.3 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/docrules
	rm -rf $(DESTDIR)$(PREFIX)/share/docrules $(DESTDIR)$(PREFIX)/share/doc/docrules $(DESTDIR)$(LIBEXECDIR)

clean:
	rm -rf build
endif
