# hark - customer care on social media, as small composable Unix tools.
# Non-recursive; every cmd/<name>/ is a binary, every lib/*.c goes into
# libhark.a, every tests/unit/test-*.c is a unit test.  O=DIR builds out of
# tree (the sanitizer pass of 'make check' uses build/asan).

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
HARKDATADIR ?= $(DATADIR)/hark
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
SYSCONFDIR  ?= /etc

CC         ?= cc
CFLAGS     ?= -O2 -g
PKG_CONFIG ?= pkg-config
INSTALL    ?= install
O          ?= build

# Debian 12 package names live in tools/deps (one place; .ci/run and
# tools/install-deps.sh install from it).
DEPS_BUILD    = $(shell sed -n 's/^build: //p' tools/deps)
DEPS_CHECK    = $(shell sed -n 's/^check: //p' tools/deps)

VERSION := $(shell git describe --tags --dirty 2>/dev/null | sed 's/^v//' | grep '^[0-9]' || cat VERSION)

PKGS      = libcurl jansson zlib libutf8proc libpcre2-8 libxml-2.0
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lcurl -ljansson -lz -lutf8proc -lpcre2-8 -lxml2) -lcsv -lm

WARNINGS = -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wmissing-prototypes \
           -Wold-style-definition -Wpointer-arith -Wwrite-strings -Wvla \
           -Wformat=2 -Wformat-security -Wno-format-nonliteral
ifeq ($(DEVELOPER),1)
WARNINGS += -Werror
endif
HARDEN = -fstack-protector-strong
ifeq ($(SANITIZE),)
HARDEN += -D_FORTIFY_SOURCE=2
else
HARDEN += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_LDFLAGS = -fsanitize=$(SANITIZE)
endif

HARK_CPPFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -Ilib \
                -DHARK_VERSION='"$(VERSION)"' -DHARK_DATADIR='"$(HARKDATADIR)"' \
                -DHARK_SYSCONFDIR='"$(SYSCONFDIR)"' $(DEP_CFLAGS)
ALL_CFLAGS  = $(HARK_CPPFLAGS) $(CPPFLAGS) $(WARNINGS) $(HARDEN) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN_LDFLAGS) -Wl,--as-needed $(LDFLAGS)

ifeq ($(V),1)
Q =
else
Q = @
endif

CMDS      := $(notdir $(patsubst %/,%,$(wildcard cmd/*/)))
LIB_SRC   := $(wildcard lib/*.c lib/source/*.c)
EMBED     := $(sort $(shell find data -type f ! -name '.*' 2>/dev/null))
LIB_OBJ   := $(LIB_SRC:%.c=$(O)/%.o) $(O)/gen/embed.o
LIBHARK   := $(O)/libhark.a
BINS      := $(CMDS:%=$(O)/bin/%)
UNIT_SRC  := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRC:%.c=$(O)/%)
FUZZ_SRC  := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_REPLAY := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/tests/fuzz/replay-%)
HELPER_SRC := $(wildcard tests/helpers/*.c)
HELPER_BINS := $(HELPER_SRC:tests/helpers/%.c=$(O)/tests/helpers/%)
MAN1      := $(wildcard man/*.1)
MAN5      := $(wildcard man/*.5)
MAN7      := $(wildcard man/*.7)

.DELETE_ON_ERROR:
.PHONY: all check test check-unit check-cli check-plain check-asan lint print-cflags print-libs \
        bench eval fuzz install install-strip uninstall clean distclean dist \
        sample deps tests-build $(CMDS)

all: $(BINS)

$(CMDS): %: $(O)/bin/%

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/gen/embed.c: tools/embed.sh $(EMBED)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  EMBED   $@")
	$(Q)tools/embed.sh $(EMBED) > $@

$(O)/gen/embed.o: $(O)/gen/embed.c
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(LIBHARK): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# A command that needs a library no other one links names it here:
# <cmd>_PKG (pkg-config names, for its compile and link flags) and
# <cmd>_LIBS (the fallback without pkg-config).
mention-listen_PKG  = libmicrohttpd
mention-listen_LIBS = -lmicrohttpd

define cmd_template
$(1)_OBJ := $$(patsubst %.c,$$(O)/%.o,$$(wildcard cmd/$(1)/*.c))
$(1)_XCFLAGS := $$(if $$($(1)_PKG),$$(shell $$(PKG_CONFIG) --cflags $$($(1)_PKG) 2>/dev/null))
$(1)_XLIBS := $$(if $$($(1)_PKG),$$(shell $$(PKG_CONFIG) --libs $$($(1)_PKG) 2>/dev/null || echo $$($(1)_LIBS)))
$$($(1)_OBJ): ALL_CFLAGS += $$($(1)_XCFLAGS)
$$(O)/bin/$(1): $$($(1)_OBJ) $$(LIBHARK)
	@mkdir -p $$(dir $$@)
	@$$(if $$(Q),echo "  LD      $$@")
	$$(Q)$$(CC) $$(ALL_CFLAGS) $$(ALL_LDFLAGS) -o $$@ $$($(1)_OBJ) $$(LIBHARK) $$($(1)_XLIBS) $$(DEP_LIBS) $$(LDLIBS)
endef
$(foreach c,$(CMDS),$(eval $(call cmd_template,$(c))))

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBHARK)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBHARK) $(DEP_LIBS) $(LDLIBS)

$(O)/tests/helpers/%: $(O)/tests/helpers/%.o $(LIBHARK)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIBHARK) $(DEP_LIBS) $(LDLIBS)

# A fuzz target of code that lives in a command, not in libhark, names the
# command in a line of its own, "/* fuzz-cmd: NAME */": its replay binary
# then also links cmd/NAME's objects except main.o (and NAME's libraries).
# tests/fuzz/run.sh reads the same line to build the fuzzer.
fuzz_cmd = $(shell sed -n 's,^/\* fuzz-cmd: \([a-z0-9-]*\) \*/$$,\1,p' $(1))
define fuzz_cmd_template
$(O)/tests/fuzz/replay-$(basename $(notdir $(1))): $$(filter-out %/main.o,$$($(2)_OBJ))
$(O)/tests/fuzz/replay-$(basename $(notdir $(1))): FUZZ_XLIBS = $$($(2)_XLIBS)
endef
$(foreach s,$(FUZZ_SRC),$(foreach c,$(call fuzz_cmd,$(s)),$(eval $(call fuzz_cmd_template,$(s),$(c)))))

$(O)/tests/fuzz/replay-%: $(O)/tests/fuzz/%.o $(O)/tests/fuzz/replay-main.o $(LIBHARK)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $(filter-out %.a,$^) $(LIBHARK) $(FUZZ_XLIBS) $(DEP_LIBS) $(LDLIBS)

$(O)/tests/fuzz/replay-main.o: tests/fuzz/replay-main.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

tests-build: $(BINS) $(UNIT_BINS) $(HELPER_BINS) $(FUZZ_REPLAY)

# make check: the whole suite once as built, then again under ASan+UBSan
# in build/asan; the last line is the total "N passed, N failed".
check test:
	$(Q)tests/check.sh "$(MAKE)" "$(O)"

# One pass over one build directory (used by tests/check.sh).
check-plain: tests-build
	$(Q)tests/suite.sh "$(O)"

check-unit: tests-build
	$(Q)HARK_SUITE_ONLY=unit tests/suite.sh "$(O)"

check-cli: tests-build
	$(Q)HARK_SUITE_ONLY=cli tests/suite.sh "$(O)"

lint: tests-build
	$(Q)HARK_SUITE_ONLY=lint tests/suite.sh "$(O)"

bench: all
	$(Q)bench/run.sh "$(O)"

eval: all
	$(Q)tests/eval/run.sh "$(O)"

# The quick start's sample pipeline: bundled sample data, no network.
sample: all
	$(Q)sample/run.sh "$(O)"

deps:
	@echo $(DEPS_BUILD) $(DEPS_CHECK)

fuzz:
	$(Q)tests/fuzz/run.sh

install: all
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) \
	    $(DESTDIR)$(FISHCOMPDIR) $(DESTDIR)$(HARKDATADIR)
	$(INSTALL) $(INSTALL_STRIP) -m 0755 $(BINS) $(DESTDIR)$(BINDIR)
	$(if $(MAN1),$(INSTALL) -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1)
	$(if $(MAN5),$(INSTALL) -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5)
	$(if $(MAN7),$(INSTALL) -m 0644 $(MAN7) $(DESTDIR)$(MANDIR)/man7)
	$(INSTALL) -m 0644 completions/bash/hark $(DESTDIR)$(BASHCOMPDIR)/hark
	for c in $(CMDS); do ln -sf hark $(DESTDIR)$(BASHCOMPDIR)/$$c; done
	$(INSTALL) -m 0644 completions/zsh/_hark $(DESTDIR)$(ZSHCOMPDIR)/_hark
	$(INSTALL) -m 0644 completions/fish/*.fish $(DESTDIR)$(FISHCOMPDIR)
	if [ -d data ]; then cp -R data/. $(DESTDIR)$(HARKDATADIR)/; fi

install-strip:
	$(MAKE) INSTALL_STRIP=-s install

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c \
	    $(DESTDIR)$(MANDIR)/man1/$$c.1 $(DESTDIR)$(BASHCOMPDIR)/$$c \
	    $(DESTDIR)$(FISHCOMPDIR)/$$c.fish; done
	rm -f $(DESTDIR)$(BASHCOMPDIR)/hark $(DESTDIR)$(ZSHCOMPDIR)/_hark
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man7/,$(notdir $(MAN7)))
	rm -rf $(DESTDIR)$(HARKDATADIR)

clean:
	rm -rf $(O) build

distclean: clean

dist:
	git archive --format=tar.gz --prefix=hark-$(VERSION)/ -o hark-$(VERSION).tar.gz HEAD

-include $(LIB_OBJ:.o=.d) $(foreach c,$(CMDS),$($(c)_OBJ:.o=.d)) $(UNIT_BINS:=.d)
-include $(FUZZ_SRC:%.c=$(O)/%.d)

# Used by tests/fuzz/run.sh to compile fuzz targets with the same flags.
# FUZZ_CMD=NAME adds the flags and libraries of command NAME (a fuzz-cmd
# target's).
print-cflags:
	@echo $(HARK_CPPFLAGS) $(CPPFLAGS) $(WARNINGS) $(CFLAGS) $(if $(FUZZ_CMD),$($(FUZZ_CMD)_XCFLAGS))
print-libs:
	@echo $(if $(FUZZ_CMD),$($(FUZZ_CMD)_XLIBS)) $(DEP_LIBS) $(LDLIBS)
