# libspotless and the CLI for this machine (make userland: the library-only
# build, seconds), and what 'make install' installs (Linux), which the
# Debian packages are made of.
#
# libspotless.so.0 (exports: lib/libspotless.map only) and libspotless.a,
# the CLI linked to the shared library; spotless.pc is written at install
# time, for the PREFIX and LIBDIR given then. CPPFLAGS, CFLAGS and
# LDFLAGS from the environment are added (dpkg-buildflags' hardening).
USERLAND	:= $(LINUX)/userland
LIB_SONAME	:= libspotless.so.0
LIB_OBJ		:= $(patsubst %.c,$(USERLAND)/obj/%.o,$(LIB_LINUX_SRC))
USERLAND_CFLAGS	:= $(CFLAGS_COMMON) $(CPPFLAGS) $(CFLAGS)
USERLAND_TARGETS := $(USERLAND)/libspotless.so.$(VERSION) $(USERLAND)/libspotless.a \
		    $(USERLAND)/spotless

.PHONY: userland install uninstall install-lib install-dev install-cli install-dkms
userland: $(USERLAND_TARGETS)

$(USERLAND)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(USERLAND_CFLAGS) -fPIC -MMD -MP -MF $@.dep -c -o $@ $<

$(USERLAND)/libspotless.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(USERLAND)/libspotless.so.$(VERSION): $(LIB_OBJ) lib/libspotless.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) -Wl,-z,defs \
		-Wl,--version-script=lib/libspotless.map -o $@ $(LIB_OBJ) $(LIB_LINUX_LIBS) -pthread
	ln -sf libspotless.so.$(VERSION) $(USERLAND)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(USERLAND)/libspotless.so

$(USERLAND)/spotless: $(CLI_SRC) cli/os_linux.c $(PLATFORM_LINUX) $(USERLAND)/libspotless.so.$(VERSION)
	$(CC) $(USERLAND_CFLAGS) -Icli $(LDFLAGS) -o $@ $(CLI_SRC) cli/os_linux.c $(PLATFORM_LINUX) \
		-L$(USERLAND) -lspotless
	$(call header_deps,$(CC) $(USERLAND_CFLAGS) -Icli)

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
DATADIR		?= $(PREFIX)/share
MANDIR		?= $(DATADIR)/man
DOCDIR		?= $(DATADIR)/doc/spotless
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
BASHCOMPDIR	?= $(DATADIR)/bash-completion/completions
# Outside PREFIX: udev and DKMS read only these places.
UDEVRULESDIR	?= /usr/lib/udev/rules.d
DKMSSRCDIR	?= /usr/src/spotless-$(VERSION)

# The shared library and its soname link (package libspotless0).
install-lib: $(USERLAND)/libspotless.so.$(VERSION)
	install -d $(DESTDIR)$(LIBDIR)
	install -m 0644 $(USERLAND)/libspotless.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libspotless.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)

# Every function the library exports (lib/libspotless.map), for man's sake:
# 'man spotless_open' opens libspotless(3), one link per function.
EXPORTED	:= $(shell sed -n 's/^\t\t\(spotless_[a-z0-9_]*\);$$/\1/p' lib/libspotless.map)

# Headers, the static library, the link name, spotless.pc, libspotless(3)
# (package libspotless-dev).
install-dev: $(USERLAND)/libspotless.a
	install -d $(DESTDIR)$(INCLUDEDIR)/spotless $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3
	install -m 0644 lib/spotless.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 0644 include/spotless/*.h $(DESTDIR)$(INCLUDEDIR)/spotless/
	install -m 0644 $(USERLAND)/libspotless.a $(DESTDIR)$(LIBDIR)/
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libspotless.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    lib/spotless.pc.in >$(DESTDIR)$(PKGCONFIGDIR)/spotless.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/spotless.pc
	install -m 0644 docs/man/libspotless.3 $(DESTDIR)$(MANDIR)/man3/
	for f in $(EXPORTED); do ln -sf libspotless.3 $(DESTDIR)$(MANDIR)/man3/$$f.3; done

# The CLI, spotless(1), bash completion (package spotless).
install-cli: $(USERLAND)/spotless
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 $(USERLAND)/spotless $(DESTDIR)$(BINDIR)/
	install -m 0644 docs/man/spotless.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 cli/completion.bash $(DESTDIR)$(BASHCOMPDIR)/spotless

# The module's source tree for DKMS, the udev rule, the modprobe.d and
# modules-load.d examples (package spotless-dkms). Then, as root:
# groupadd --system spotless; dkms install spotless/$(VERSION).
install-dkms:
	install -d $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(DOCDIR)/examples
	scripts/module-tree.sh $(DESTDIR)$(DKMSSRCDIR)
	install -m 0644 linux/config/60-spotless.rules $(DESTDIR)$(UDEVRULESDIR)/
	install -m 0644 linux/config/spotless-modprobe.conf \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-spotless.conf
	install -m 0644 linux/config/spotless-modules-load.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d-spotless.conf

install: install-lib install-dev install-cli install-dkms

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libspotless.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME) \
		$(DESTDIR)$(LIBDIR)/libspotless.so $(DESTDIR)$(LIBDIR)/libspotless.a \
		$(DESTDIR)$(PKGCONFIGDIR)/spotless.pc $(DESTDIR)$(INCLUDEDIR)/spotless.h \
		$(DESTDIR)$(MANDIR)/man3/libspotless.3 $(DESTDIR)$(BINDIR)/spotless \
		$(addprefix $(DESTDIR)$(MANDIR)/man3/,$(addsuffix .3,$(EXPORTED))) \
		$(DESTDIR)$(MANDIR)/man1/spotless.1 $(DESTDIR)$(BASHCOMPDIR)/spotless \
		$(DESTDIR)$(UDEVRULESDIR)/60-spotless.rules \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-spotless.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d-spotless.conf
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/spotless/,$(notdir $(wildcard include/spotless/*.h)))
	rm -rf $(DESTDIR)$(DKMSSRCDIR)
	rmdir $(DESTDIR)$(INCLUDEDIR)/spotless $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) \
		2>/dev/null || true

