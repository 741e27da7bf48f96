# spotless: build, demo and tests. 'make help' lists the targets.

BUILD	:= build
WIN	:= $(BUILD)/windows
HOST	:= $(BUILD)/host
LINUX	:= $(BUILD)/linux

VERSION	:= $(shell scripts/version.sh)

# The kernel the module is built for: Debian's linux-headers-amd64.
KVER	:= $(shell scripts/kernel-version.sh)
KDIR	:= /usr/src/linux-headers-$(KVER)

CC		?= cc
MINGW_CC	:= x86_64-w64-mingw32-gcc
MINGW_CXX	:= x86_64-w64-mingw32-g++
MINGW_DDK	:= /usr/x86_64-w64-mingw32/include/ddk
MINGW_AR	:= x86_64-w64-mingw32-ar
# 32-bit Windows callers (run under WoW64: wine32).
MINGW32_CC	:= i686-w64-mingw32-gcc
WINDRES		:= x86_64-w64-mingw32-windres

WARNINGS	:= -Wall -Wextra -Werror
CFLAGS_COMMON	:= -std=gnu11 -O2 -g $(WARNINGS) -Iinclude -Icore -Ilib

# The Windows driver: freestanding, native subsystem, imports from ntoskrnl
# and hal only, NX-compatible and relocatable, nothing exported.
DRIVER_CFLAGS	:= $(CFLAGS_COMMON) -I$(MINGW_DDK) -ffreestanding \
		   -fno-stack-protector -mno-red-zone
DRIVER_LDFLAGS	:= -shared -nostdlib -Wl,--subsystem,native \
		   -Wl,--entry,DriverEntry -Wl,--nxcompat -Wl,--dynamicbase \
		   -Wl,--exclude-all-symbols
DRIVER_LIBS	:= -lntoskrnl -lhal

# Windows userland: console programs, NX-compatible; the programs link
# libspotless statically, spotless.dll is for other programs.
WINAPP_CFLAGS	:= $(CFLAGS_COMMON)
WINAPP_LDFLAGS	:= -Wl,--nxcompat -Wl,--dynamicbase -static-libgcc

# Host unit tests of the core run under the sanitizers.
HOST_CFLAGS	:= $(CFLAGS_COMMON) -fsanitize=address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer

HEADERS		:= $(wildcard include/spotless/*.h core/*.h lib/*.h cli/*.h \
		     windows/driver/*.h tests/harness/*.h tests/e2e/*.h)
CORE_SRC	:= $(wildcard core/*.c)
# user_memory.c is built by clang for the MSVC target: it needs __try.
DRIVER_SRC	:= $(filter-out windows/driver/user_memory.c,$(wildcard windows/driver/*.c))
LIB_WIN_SRC	:= lib/spotless.c lib/batch.c core/spotless_crc32c.c core/spotless_crc32c_hw.c core/spotless_status.c \
		   lib/os_windows.c lib/os_windows_driver.c
LIB_LINUX_SRC	:= lib/spotless.c lib/batch.c core/spotless_crc32c.c core/spotless_crc32c_hw.c core/spotless_status.c \
		   lib/os_linux.c lib/os_linux_driver.c
CLI_SRC		:= $(filter-out cli/os_%.c,$(wildcard cli/*.c))
MODULE_SRC	:= $(wildcard linux/module/*.c linux/module/*.h) linux/module/Kbuild \
		   linux/module/Makefile linux/module/dkms.conf

# Linux userland for the QEMU guest: static, so the initramfs needs no libc.
LINUXAPP_CFLAGS	:= $(CFLAGS_COMMON) -static -pthread

WIN_TARGETS	:= $(WIN)/spotless.sys $(WIN)/test/spotless.sys $(WIN)/spotless.exe $(WIN)/spotless.dll \
		   $(WIN)/lib/libspotless.a $(WIN)/example_dll.exe $(WIN)/spotless.inf \
		   $(WIN)/test_driver.exe $(WIN)/tutorial_client.exe $(WIN)/tutorial_driver.sys \
		   $(WIN)/spotless_storm.exe $(WIN)/hello.sys $(WIN)/hello_client.exe \
		   $(WIN)/test_hello.exe $(WIN)/client_040.exe $(WIN)/test_driver32.exe
HOST_TARGETS	:= $(HOST)/test_core $(HOST)/test_table $(HOST)/test_echo_batch $(HOST)/test_events \
		   $(HOST)/test_crc32c $(HOST)/bench_crc32c \
		   $(HOST)/check_pe \
		   $(HOST)/fuzz_core \
		   $(HOST)/test_ntmodel $(HOST)/test_ntmodel_tsan
LINUX_TARGETS	:= $(LINUX)/module/spotless.ko $(LINUX)/spotless $(LINUX)/null_misc/spotless_null.ko \
		   $(LINUX)/crc_bench/spotless_crc_bench.ko \
		   $(LINUX)/bench_crc32c \
		   $(LINUX)/test_module $(LINUX)/test_module32 $(LINUX)/spotless_storm \
		   $(LINUX)/fault_injection $(LINUX)/hello/hello.ko $(LINUX)/hello_client \
		   $(LINUX)/test_hello $(LINUX)/client_040

.PHONY: all windows host linux userland deps demo test lint debs package-test dist sign fuzz fuzz-storm bench clean help \
	verify-windows verify-linux install uninstall install-lib install-dev install-cli \
	install-dkms

all: windows host linux userland

linux: $(LINUX_TARGETS)

windows: $(WIN_TARGETS)
host: $(HOST_TARGETS)

$(WIN) $(HOST) $(LINUX):
	@mkdir -p $@

# VERSIONINFO resources (windows/resources), one per image.
$(WIN)/res/%.o: windows/resources/%.rc windows/resources/version.rc include/spotless/version.h
	@mkdir -p $(dir $@)
	$(WINDRES) -Iinclude -Iwindows/resources -o $@ $<

# The driver's one file with structured exception handling (METHOD_NEITHER's
# access to the caller's memory): clang for x86_64-pc-windows-msvc against
# mingw-w64's headers, calls kept calls (-fno-builtin) so that __try covers
# them; GNU ld links it with the rest, its scope table served by ntoskrnl's
# __C_specific_handler.
SEH_CC		:= clang --target=x86_64-pc-windows-msvc -fms-extensions -fno-ms-compatibility \
		   -ffreestanding -fno-builtin -std=gnu11 -O2 $(WARNINGS) \
		   -isystem $(MINGW_DDK) -isystem /usr/x86_64-w64-mingw32/include
$(WIN)/obj/user_memory.o: windows/driver/user_memory.c windows/driver/user_memory.h
	@mkdir -p $(dir $@)
	$(SEH_CC) -c -o $@ $<

# GNU ld writes the PDB (section map and public symbols: GCC's debug
# information is DWARF, which stays in the image, not CodeView).
$(WIN)/spotless.sys: $(CORE_SRC) $(DRIVER_SRC) $(HEADERS) $(WIN)/res/spotless_sys.o \
		     $(WIN)/obj/user_memory.o | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(DRIVER_LDFLAGS) -Wl,--pdb=$(WIN)/spotless.pdb -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(WIN)/obj/user_memory.o $(WIN)/res/spotless_sys.o \
		$(DRIVER_LIBS)

# The example driver built on spotless (examples/hello): the same core and
# glue with hello's configuration header force-included and its command.
HELLO_SRC	:= examples/hello/hello_greet.c
HELLO_FLAGS	:= -include examples/hello/hello_config.h -Iexamples/hello
$(WIN)/hello.sys: $(CORE_SRC) $(DRIVER_SRC) $(HELLO_SRC) $(HEADERS) examples/hello/hello_config.h \
		  $(WIN)/obj/user_memory.o | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(HELLO_FLAGS) $(DRIVER_LDFLAGS) -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(HELLO_SRC) $(WIN)/obj/user_memory.o $(DRIVER_LIBS)

$(WIN)/hello_client.exe: examples/hello/hello_client.c examples/hello/hello_config.h $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW_CC) $(WINAPP_CFLAGS) -Iexamples/hello $(WINAPP_LDFLAGS) -o $@ $< $(LIB_WIN_SRC)

# A program built against 0.4.0's headers, linked with today's library.
# The end-to-end tests as a 32-bit program, against the 64-bit driver.
$(WIN)/test_driver32.exe: tests/e2e/test_windows_driver.c $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW32_CC) $(WINAPP_CFLAGS) -Itests/harness $(WINAPP_LDFLAGS) -o $@ $< $(LIB_WIN_SRC)

# The program alone sees the old headers (their folder searched first).
$(WIN)/client_040.exe: tests/compat/client_040.c $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW_CC) -Itests/compat/v0.4.0 $(WINAPP_CFLAGS) -Itests/harness -c -o $@.o $<
	$(MINGW_CC) $(WINAPP_CFLAGS) $(WINAPP_LDFLAGS) -o $@ $@.o $(LIB_WIN_SRC)

$(WIN)/test_hello.exe: tests/e2e/test_hello.c examples/hello/hello_config.h $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW_CC) $(WINAPP_CFLAGS) -Iexamples/hello -Itests/harness $(WINAPP_LDFLAGS) -o $@ $< \
		$(LIB_WIN_SRC)

# A test build of the driver, never shipped: SPOTLESS_TEST_HOOKS lets a test
# make it touch an unmapped address inside __try (tests/run.sh).
$(WIN)/test/spotless.sys: $(CORE_SRC) $(DRIVER_SRC) $(HEADERS) $(WIN)/obj/user_memory.o | $(WIN)
	@mkdir -p $(dir $@)
	$(MINGW_CC) $(DRIVER_CFLAGS) -DSPOTLESS_TEST_HOOKS $(DRIVER_LDFLAGS) -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(WIN)/obj/user_memory.o $(DRIVER_LIBS)

$(WIN)/spotless.exe: $(CLI_SRC) cli/os_windows.c $(LIB_WIN_SRC) $(HEADERS) $(WIN)/res/spotless_exe.o | $(WIN)
	$(MINGW_CC) $(WINAPP_CFLAGS) -Icli $(WINAPP_LDFLAGS) -o $@ \
		$(CLI_SRC) cli/os_windows.c $(LIB_WIN_SRC) $(WIN)/res/spotless_exe.o

# libspotless for Windows: spotless.dll with its import library, exports
# from the same list as the .so (lib/libspotless.map), and the static
# library, in build/windows/lib.
$(WIN)/lib/spotless.def: lib/libspotless.map
	@mkdir -p $(dir $@)
	{ echo "LIBRARY spotless.dll"; echo "EXPORTS"; \
	  sed -n 's/^\t\t\(spotless_[a-z0-9_]*\);$$/\t\1/p' $<; } >$@

$(WIN)/spotless.dll: $(LIB_WIN_SRC) $(HEADERS) $(WIN)/lib/spotless.def $(WIN)/res/spotless_dll.o
	$(MINGW_CC) $(WINAPP_CFLAGS) -shared $(WINAPP_LDFLAGS) -o $@ $(LIB_WIN_SRC) \
		$(WIN)/lib/spotless.def $(WIN)/res/spotless_dll.o \
		-Wl,--out-implib,$(WIN)/lib/libspotless.dll.a

$(WIN)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(MINGW_CC) $(WINAPP_CFLAGS) -c -o $@ $<

$(WIN)/lib/libspotless.a: $(patsubst %.c,$(WIN)/obj/%.o,$(LIB_WIN_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	$(MINGW_AR) rcs $@ $^

# The INF of the primitive driver, with the version and today's date (UTC).
$(WIN)/spotless.inf: windows/driver/spotless.inf.in include/spotless/version.h
	sed -e 's|@VERSION@|$(VERSION)|' -e "s|@DATE@|$$(date -u +%m/%d/%Y)|" -e 's/$$/\r/' $< >$@

# A user's program against spotless.dll (its import library): the test of
# the DLL under Wine.
$(WIN)/example_dll.exe: tests/install/example.c $(WIN)/spotless.dll
	$(MINGW_CC) $(WINAPP_CFLAGS) $(WINAPP_LDFLAGS) -o $@ $< $(WIN)/lib/libspotless.dll.a

$(WIN)/test_driver.exe: tests/e2e/test_windows_driver.c tests/e2e/protocol_cases.h $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW_CC) $(WINAPP_CFLAGS) -Itests/harness $(WINAPP_LDFLAGS) -o $@ \
		tests/e2e/test_windows_driver.c $(LIB_WIN_SRC)

# The IOCTL storm (tests/storm): the portable part and this OS's backend.
STORM_SRC	:= tests/storm/storm.c tests/storm/storm.h

$(WIN)/spotless_storm.exe: $(STORM_SRC) tests/storm/os_windows.c $(LIB_WIN_SRC) $(HEADERS) | $(WIN)
	$(MINGW_CC) $(WINAPP_CFLAGS) -Itests/harness $(WINAPP_LDFLAGS) -o $@ \
		tests/storm/storm.c tests/storm/os_windows.c $(LIB_WIN_SRC)

# The tutorial's driver as its readers would write it: make bench's peer.
$(WIN)/tutorial_driver.sys: tests/compat/tutorial_driver.c | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(DRIVER_LDFLAGS) -o $@ $< $(DRIVER_LIBS)

# The tutorial's client as its readers build it: C++, <Windows.h> spelled
# with a capital W (tests/compat/include makes that name resolve).
$(WIN)/tutorial_client.exe: tests/compat/tutorial_client.cpp | $(WIN)
	$(MINGW_CXX) -O2 $(WARNINGS) -Itests/compat/include -static-libgcc \
		-static-libstdc++ -o $@ $<

# The command table, with the example driver's row in it (its config
# force-included, as in hello.sys and hello.ko).
$(HOST)/test_table: tests/unit/test_table.c $(CORE_SRC) $(HELLO_SRC) $(HEADERS) \
		    examples/hello/hello_config.h | $(HOST)
	$(CC) $(HOST_CFLAGS) $(HELLO_FLAGS) -Itests/harness -o $@ tests/unit/test_table.c \
		$(CORE_SRC) $(HELLO_SRC)

$(HOST)/test_core: tests/unit/test_core.c $(CORE_SRC) $(HEADERS) | $(HOST)
	$(CC) $(HOST_CFLAGS) -Itests/harness -o $@ tests/unit/test_core.c $(CORE_SRC)

$(HOST)/test_echo_batch: tests/unit/test_echo_batch.c $(CORE_SRC) lib/batch.c $(HEADERS) | $(HOST)
	$(CC) $(HOST_CFLAGS) -Itests/harness -o $@ tests/unit/test_echo_batch.c \
		$(CORE_SRC) lib/batch.c

$(HOST)/test_crc32c: tests/unit/test_crc32c.c $(CORE_SRC) $(HEADERS) | $(HOST)
	$(CC) $(HOST_CFLAGS) -Itests/harness -o $@ tests/unit/test_crc32c.c $(CORE_SRC)

# The core's CRC32C against memcpy, natively (make bench runs it).
$(HOST)/bench_crc32c: bench/host/crc32c.c $(CORE_SRC) $(HEADERS) | $(HOST)
	$(CC) $(CFLAGS_COMMON) -Itests/harness -o $@ bench/host/crc32c.c $(CORE_SRC)

$(HOST)/test_events: tests/unit/test_events.c $(CORE_SRC) $(HEADERS) | $(HOST)
	$(CC) $(HOST_CFLAGS) -Itests/harness -o $@ tests/unit/test_events.c $(CORE_SRC)

# The Windows driver's own sources on the host, under the NT model's I/O
# manager and Verifier checks (tests/ntmodel): once with ASan + UBSan, once
# with TSan. -fshort-wchar makes L"" UTF-16, as the driver expects.
NTMODEL_SRC	:= $(wildcard tests/ntmodel/*.c) $(DRIVER_SRC) $(CORE_SRC) \
		   lib/spotless.c lib/batch.c
NTMODEL_DEPS	:= $(NTMODEL_SRC) $(wildcard tests/ntmodel/*.h tests/ntmodel/include/*.h) \
		   tests/e2e/protocol_cases.h tests/e2e/event_cases.h $(HEADERS)
NTMODEL_CFLAGS	:= -std=gnu11 -O1 -g $(WARNINGS) -fshort-wchar -pthread \
		   -Itests/ntmodel/include -Itests/ntmodel -Iinclude -Icore -Ilib \
		   -Itests/harness -Itests/e2e -Iwindows/driver -fno-omit-frame-pointer

$(HOST)/test_ntmodel: $(NTMODEL_DEPS) | $(HOST)
	$(CC) $(NTMODEL_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-o $@ $(NTMODEL_SRC)

$(HOST)/test_ntmodel_tsan: $(NTMODEL_DEPS) | $(HOST)
	$(CC) $(NTMODEL_CFLAGS) -fsanitize=thread -o $@ $(NTMODEL_SRC)

# libFuzzer target of the core (clang); see 'make fuzz'.
$(HOST)/fuzz_core: tests/fuzz/fuzz_core.c $(CORE_SRC) lib/batch.c $(HEADERS) | $(HOST)
	clang -std=gnu11 -O1 -g $(WARNINGS) -Iinclude -Icore -Ilib -Itests/harness \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_core.c $(CORE_SRC) lib/batch.c

$(HOST)/check_pe: tests/image/check_pe.c $(HEADERS) | $(HOST)
	$(CC) $(CFLAGS_COMMON) -Itests/harness -o $@ tests/image/check_pe.c

# The module is built in its own source tree (scripts/module-tree.sh: the
# tree DKMS gets), staged under build/ so that Kbuild's outputs stay there.
$(LINUX)/module/spotless.ko: $(MODULE_SRC) $(CORE_SRC) $(HEADERS)
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): run make deps"; exit 1; }
	@scripts/module-tree.sh $(LINUX)/module
	$(MAKE) -C $(LINUX)/module KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

# The core's CRC32C bench, static, for the guest too (make bench).
$(LINUX)/bench_crc32c: bench/host/crc32c.c $(CORE_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -o $@ bench/host/crc32c.c $(CORE_SRC)

# The example driver's module, beside spotless.ko in the guests.
$(LINUX)/hello/hello.ko: $(MODULE_SRC) $(CORE_SRC) $(HEADERS) examples/hello/Kbuild \
			 examples/hello/hello_config.h $(HELLO_SRC)
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): run make deps"; exit 1; }
	@scripts/example-tree.sh $(LINUX)/hello
	$(MAKE) -C $(LINUX)/hello KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

$(LINUX)/hello_client: examples/hello/hello_client.c examples/hello/hello_config.h $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Iexamples/hello -o $@ $< $(LIB_LINUX_SRC)

$(LINUX)/client_040: tests/compat/client_040.c $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) -Itests/compat/v0.4.0 $(LINUXAPP_CFLAGS) -Itests/harness -c -o $@.o $<
	$(CC) $(LINUXAPP_CFLAGS) -o $@ $@.o $(LIB_LINUX_SRC)

$(LINUX)/test_hello: tests/e2e/test_hello.c examples/hello/hello_config.h $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Iexamples/hello -Itests/harness -o $@ $< $(LIB_LINUX_SRC)

# The benchmark's floor in the guest: a misc device whose ioctl returns at once.
$(LINUX)/null_misc/spotless_null.ko: bench/peers/null_misc/null_misc.c bench/peers/null_misc/Kbuild
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): run make deps"; exit 1; }
	@rm -rf $(LINUX)/null_misc && mkdir -p $(LINUX)/null_misc
	@cp $^ $(LINUX)/null_misc/
	$(MAKE) -C $(KDIR) M=$(abspath $(LINUX)/null_misc) W=1 modules

# The core's CRC32C against the kernel's crc32c(), inside the guest's kernel (make bench).
$(LINUX)/crc_bench/spotless_crc_bench.ko: bench/kernel/crc32c_bench.c bench/kernel/Kbuild \
		core/spotless_crc32c.c core/spotless_crc32c_hw.c $(HEADERS)
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): run make deps"; exit 1; }
	@scripts/crc-bench-tree.sh $(LINUX)/crc_bench
	$(MAKE) -C $(LINUX)/crc_bench KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

$(LINUX)/spotless: $(CLI_SRC) cli/os_linux.c $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Icli -o $@ $(CLI_SRC) cli/os_linux.c $(LIB_LINUX_SRC)

$(LINUX)/test_module: tests/e2e/test_linux_module.c tests/e2e/protocol_cases.h $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Itests/harness -o $@ tests/e2e/test_linux_module.c $(LIB_LINUX_SRC)

$(LINUX)/spotless_storm: $(STORM_SRC) tests/storm/os_linux.c $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Itests/harness -o $@ tests/storm/storm.c \
		tests/storm/os_linux.c $(LIB_LINUX_SRC)

# Systematic fault injection, run in the debug kernel's guest.
$(LINUX)/fault_injection: tests/e2e/fault_injection.c lib/batch.c $(HEADERS) | $(LINUX)
	$(CC) $(LINUXAPP_CFLAGS) -Itests/harness -o $@ tests/e2e/fault_injection.c \
		lib/batch.c core/spotless_crc32c.c core/spotless_crc32c_hw.c core/spotless_status.c

# The same tests as a 32-bit program: its ioctls go through compat_ioctl.
$(LINUX)/test_module32: tests/e2e/test_linux_module.c tests/e2e/protocol_cases.h $(LIB_LINUX_SRC) $(HEADERS) | $(LINUX)
	$(CC) -m32 $(LINUXAPP_CFLAGS) -Itests/harness -o $@ tests/e2e/test_linux_module.c $(LIB_LINUX_SRC)

# ---- What 'make install' installs (Linux) -------------------------------
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

userland: $(USERLAND_TARGETS)

$(USERLAND)/obj/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(USERLAND_CFLAGS) -fPIC -c -o $@ $<

$(USERLAND)/libspotless.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(USERLAND)/libspotless.so.$(VERSION): $(LIB_OBJ) lib/libspotless.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(LIB_SONAME) -Wl,-z,defs \
		-Wl,--version-script=lib/libspotless.map -o $@ $(LIB_OBJ) -pthread
	ln -sf libspotless.so.$(VERSION) $(USERLAND)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(USERLAND)/libspotless.so

$(USERLAND)/spotless: $(CLI_SRC) cli/os_linux.c $(USERLAND)/libspotless.so.$(VERSION) $(HEADERS)
	$(CC) $(USERLAND_CFLAGS) -Icli $(LDFLAGS) -o $@ $(CLI_SRC) cli/os_linux.c \
		-L$(USERLAND) -lspotless

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
		$(DESTDIR)$(MANDIR)/man1/spotless.1 $(DESTDIR)$(BASHCOMPDIR)/spotless \
		$(DESTDIR)$(UDEVRULESDIR)/60-spotless.rules \
		$(DESTDIR)$(DOCDIR)/examples/modprobe.d-spotless.conf \
		$(DESTDIR)$(DOCDIR)/examples/modules-load.d-spotless.conf
	rm -f $(addprefix $(DESTDIR)$(INCLUDEDIR)/spotless/,$(notdir $(wildcard include/spotless/*.h)))
	rm -rf $(DESTDIR)$(DKMSSRCDIR)
	rmdir $(DESTDIR)$(INCLUDEDIR)/spotless $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) \
		2>/dev/null || true

# Installs what the build and the tests need (Debian packages), once.
deps:
	@scripts/install-deps.sh

demo: deps
	@echo "[build] make all (mingw-w64 for Windows, Kbuild for the module, cc for the rest)"
	@$(MAKE) --no-print-directory -s all
	@scripts/demo.sh

test: deps
	@echo "[build] make all (mingw-w64 for Windows, Kbuild for the module, cc for the rest)"
	@$(MAKE) --no-print-directory -s all
	@tests/run.sh

lint: deps
	@scripts/lint.sh

# The Debian packages (spotless-dkms, libspotless0, libspotless-dev,
# spotless) into build/package/, with lintian's report.
debs: deps
	@scripts/package/debs.sh

# The .debs installed with apt into a debootstrap'd Debian 12 (cached in
# ~/.cache/spotless/rootfs) booted in QEMU: DKMS, udev, a user in group
# spotless and one outside it, then a purge that must leave nothing.
package-test: deps
	@scripts/package/test.sh

# Authenticode (SHA-256) signatures for a Windows test machine, into
# build/windows/signed; SIGN_CERT/SIGN_KEY or SIGN_PFX/SIGN_PASS for your own.
sign: deps
	@$(MAKE) --no-print-directory -s windows
	@scripts/sign.sh

# The Windows package: build/dist/spotless-VERSION-windows-x64.zip (signed
# .sys, .exe, .dll, INF, PDB, import and static libraries, headers, docs).
dist: deps
	@$(MAKE) --no-print-directory -s windows
	@scripts/dist-windows.sh

# Fuzz the core for FUZZ_SECONDS (default 600) on both cores, keeping the
# corpus in build/fuzz/corpus; a finding is written to build/fuzz/.
FUZZ_SECONDS ?= 600
fuzz: deps
	@$(MAKE) --no-print-directory -s $(HOST)/fuzz_core
	@mkdir -p $(BUILD)/fuzz/corpus
	cd $(BUILD)/fuzz && ../host/fuzz_core -max_total_time=$(FUZZ_SECONDS) \
		-jobs=2 -workers=2 -print_final_stats=1 corpus

# The NT model's suite (ASan + UBSan, then TSan), its random run repeated
# with new seeds for VERIFY_SECONDS each (default 0: the short pass of make
# test); non-zero on any broken rule.
VERIFY_SECONDS ?= 0
verify-windows: deps
	@$(MAKE) --no-print-directory -s $(HOST)/test_ntmodel $(HOST)/test_ntmodel_tsan
	@scripts/verify-windows.sh $(VERIFY_SECONDS)

# The module's suite on one kernel: KERNEL=debug (default; KASAN, lockdep,
# kmemleak, UBSAN, fault injection), kcsan (KCSAN), 6.1, 6.12, 6.12-rt or newest (Debian
# unstable's kernel, the module built in an unstable root).
KERNEL ?= debug
verify-linux: deps
	@$(MAKE) --no-print-directory -s linux
	@scripts/verify-linux.sh $(KERNEL) $(STORM_REQUESTS_VERIFY)

# The IOCTL storm at length: STORM_REQUESTS (default 10^6) at each driver,
# seeded by STORM_SEED (default: the time, printed), with progress lines.
STORM_REQUESTS ?= 1000000
fuzz-storm: deps
	@$(MAKE) --no-print-directory -s all
	@scripts/storm.sh $(STORM_REQUESTS) "$(STORM_SEED)" $(STORM_ON)

# Benchmarks on both kernels, and their report in BENCH_OUT (default
# bench/results/DATE-HOST); BENCH_ARGS go to 'spotless bench'.
bench: deps
	@$(MAKE) --no-print-directory -s all
	@scripts/bench.sh $(BENCH_OUT) -- $(BENCH_ARGS)

clean:
	rm -rf $(BUILD)/windows $(BUILD)/host $(BUILD)/dist $(BUILD)/package \
		$(BUILD)/package-guest $(BUILD)/install-test $(BUILD)/logs $(BUILD)/linux/module \
		$(LINUX)/spotless $(LINUX)/test_module $(LINUX)/test_module32 \
		$(LINUX)/spotless_storm $(LINUX)/fault_injection $(LINUX)/kernels \
		$(LINUX)/*.cpio.gz $(USERLAND)

help:
	@echo "make demo   install what is missing, build, show the tutorial's exchange and"
	@echo "            the driver's log: spotless.sys under Wine, spotless.ko in QEMU"
	@echo "make test   install what is missing, build, run every test"
	@echo "make lint   static analysis (cppcheck, clang --analyze); also part of make test"
	@echo "make install  libspotless.so.0 and .a, headers, spotless.pc, the CLI, man pages,"
	@echo "            bash completion, the module's DKMS tree in /usr/src, the udev rule;"
	@echo "            DESTDIR, PREFIX (default /usr/local), LIBDIR, ...; make uninstall"
	@echo "make debs   the Debian packages, with lintian, into build/package/"
	@echo "make package-test  the .debs installed with apt in a Debian 12 guest (QEMU):"
	@echo "            DKMS, udev rule, group access, purge; also part of make test"
	@echo "make sign   sign spotless.sys, .exe and .dll (test certificate, or yours)"
	@echo "make dist   the Windows zip: signed .sys/.exe/.dll, INF, PDB, libraries, headers"
	@echo "make fuzz   fuzz the core for FUZZ_SECONDS (default 600)"
	@echo "make verify-linux KERNEL=debug|kcsan|6.1|6.12|6.12-rt|newest  the module's suite in QEMU on"
	@echo "            that kernel (debug: KASAN, lockdep, kmemleak, UBSAN, fault injection)"
	@echo "make verify-windows  the driver's sources under the NT model (Windows' I/O"
	@echo "            rules, Verifier's checks) with ASan+UBSan and TSan; random run"
	@echo "            repeated for VERIFY_SECONDS (default: the short pass)"
	@echo "make fuzz-storm  STORM_REQUESTS (default 10^6) random requests at each loaded"
	@echo "            driver, seed STORM_SEED (default: the time), the module on STORM_KERNEL"
	@echo "            (default debug); crashes, hangs, leaks and kernel reports fail"
	@echo "make bench  benchmarks on both kernels, report and plots in bench/results/"
	@echo "make all    build only (build/windows, build/host)"
	@echo "make clean  remove build outputs (keeps the Wine prefix and the kernels in"
	@echo "            build/linux/kernel and ~/.cache/spotless)"
