# spotless.sys, the Windows tool and library, and the Windows test programs,
# cross-built with mingw-w64 into build/windows.

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

WIN_TARGETS	:= $(WIN)/spotless.sys $(WIN)/test/spotless.sys $(WIN)/spotless.exe $(WIN)/spotless.dll \
		   $(WIN)/lib/libspotless.a $(WIN)/example_dll.exe $(WIN)/spotless.inf \
		   $(WIN)/test_driver.exe $(WIN)/tutorial_client.exe $(WIN)/tutorial_driver.sys \
		   $(WIN)/spotless_storm.exe $(WIN)/hello.sys $(WIN)/hello_client.exe \
		   $(WIN)/test_hello.exe $(WIN)/client_040.exe $(WIN)/test_driver32.exe

.PHONY: windows
windows: $(WIN_TARGETS)

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
$(WIN)/obj/user_memory.o: windows/driver/user_memory.c
	@mkdir -p $(dir $@)
	$(SEH_CC) -MMD -MP -MF $@.dep -c -o $@ $<

# GNU ld writes the PDB (section map and public symbols: GCC's debug
# information is DWARF, which stays in the image, not CodeView).
# Every driver is marked CET-compatible after the link ($(HOST)/cet_compat:
# GNU ld writes no IMAGE_DEBUG_TYPE_EX_DLLCHARACTERISTICS entry).
$(WIN)/spotless.sys: $(CORE_SRC) $(DRIVER_SRC) $(WIN)/res/spotless_sys.o \
		     $(WIN)/obj/user_memory.o $(HOST)/cet_compat | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(DRIVER_LDFLAGS) -Wl,--pdb=$(WIN)/spotless.pdb -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(WIN)/obj/user_memory.o $(WIN)/res/spotless_sys.o \
		$(DRIVER_LIBS)
	$(HOST)/cet_compat $@
	$(call header_deps,$(MINGW_CC) $(DRIVER_CFLAGS))

# A test build of the driver, never shipped: SPOTLESS_TEST_HOOKS lets a test
# make it touch an unmapped address inside __try (tests/run.sh).
$(WIN)/test/spotless.sys: $(CORE_SRC) $(DRIVER_SRC) $(WIN)/obj/user_memory.o \
			  $(HOST)/cet_compat | $(WIN)
	@mkdir -p $(dir $@)
	$(MINGW_CC) $(DRIVER_CFLAGS) -DSPOTLESS_TEST_HOOKS $(DRIVER_LDFLAGS) -Wl,--build-id -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(WIN)/obj/user_memory.o $(DRIVER_LIBS)
	$(HOST)/cet_compat $@
	$(call header_deps,$(MINGW_CC) $(DRIVER_CFLAGS) -DSPOTLESS_TEST_HOOKS)

# The example driver: the same core and glue, hello's configuration and command.
$(WIN)/hello.sys: $(CORE_SRC) $(DRIVER_SRC) $(HELLO_SRC) $(WIN)/obj/user_memory.o \
		  $(HOST)/cet_compat | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(HELLO_FLAGS) $(DRIVER_LDFLAGS) -Wl,--build-id -o $@ \
		$(CORE_SRC) $(DRIVER_SRC) $(HELLO_SRC) $(WIN)/obj/user_memory.o $(DRIVER_LIBS)
	$(HOST)/cet_compat $@
	$(call header_deps,$(MINGW_CC) $(DRIVER_CFLAGS) $(HELLO_FLAGS))

# The tutorial's driver as its readers would write it: make bench's peer.
$(WIN)/tutorial_driver.sys: tests/compat/tutorial_driver.c | $(WIN)
	$(MINGW_CC) $(DRIVER_CFLAGS) $(DRIVER_LDFLAGS) -o $@ $< $(DRIVER_LIBS)
	$(call header_deps,$(MINGW_CC) $(DRIVER_CFLAGS))

# The INF of the primitive driver, with the version and today's date (UTC).
$(WIN)/spotless.inf: windows/driver/spotless.inf.in include/spotless/version.h
	sed -e 's|@VERSION@|$(VERSION)|' -e "s|@DATE@|$$(date -u +%m/%d/%Y)|" -e 's/$$/\r/' $< >$@

# ---- Userland ------------------------------------------------------------
# winapp COMPILER FLAGS: a console program from the C files among the
# prerequisites (the library's included), and its header dependencies.
winapp = $(1) $(WINAPP_CFLAGS) $(2) $(WINAPP_LDFLAGS) -o $@ $(filter %.c %.o,$^) && \
	 $(call header_deps,$(1) $(WINAPP_CFLAGS) $(2))

$(WIN)/spotless.exe: $(CLI_SRC) cli/os_windows.c $(PLATFORM_WIN) $(LIB_WIN_SRC) $(WIN)/res/spotless_exe.o | $(WIN)
	$(call winapp,$(MINGW_CC),-Icli)

$(WIN)/test_driver.exe: tests/e2e/test_windows_driver.c $(LIB_WIN_SRC) | $(WIN)
	$(call winapp,$(MINGW_CC),-Itests/harness)

# The end-to-end tests as a 32-bit program, against the 64-bit driver.
$(WIN)/test_driver32.exe: tests/e2e/test_windows_driver.c $(LIB_WIN_SRC) | $(WIN)
	$(call winapp,$(MINGW32_CC),-Itests/harness)

$(WIN)/spotless_storm.exe: $(STORM_SRC) tests/storm/os_windows.c $(PLATFORM_WIN) $(LIB_WIN_SRC) | $(WIN)
	$(call winapp,$(MINGW_CC),-Itests/harness)

$(WIN)/hello_client.exe: examples/hello/hello_client.c $(LIB_WIN_SRC) | $(WIN)
	$(call winapp,$(MINGW_CC),-Iexamples/hello)

$(WIN)/test_hello.exe: tests/e2e/test_hello.c $(LIB_WIN_SRC) | $(WIN)
	$(call winapp,$(MINGW_CC),-Iexamples/hello -Itests/harness)

# A program built against 0.4.0's headers, linked with today's library: the
# program alone sees the old headers (their folder searched first).
$(WIN)/client_040.exe: tests/compat/client_040.c $(LIB_WIN_SRC) | $(WIN)
	$(MINGW_CC) -Itests/compat/v0.4.0 $(WINAPP_CFLAGS) -Itests/harness -c -o $@.o $<
	$(MINGW_CC) -Itests/compat/v0.4.0 $(WINAPP_CFLAGS) -Itests/harness -MM -MP -MT $@ $< >$@.dep
	$(MINGW_CC) $(WINAPP_CFLAGS) $(WINAPP_LDFLAGS) -o $@ $@.o $(LIB_WIN_SRC)
	$(MINGW_CC) $(WINAPP_CFLAGS) -MM -MP -MT $@ $(LIB_WIN_SRC) >>$@.dep

# The tutorial's client as its readers build it: C++, <Windows.h> spelled
# with a capital W (tests/compat/include makes that name resolve).
$(WIN)/tutorial_client.exe: tests/compat/tutorial_client.cpp | $(WIN)
	$(MINGW_CXX) -O2 $(WARNINGS) -Itests/compat/include -static-libgcc \
		-static-libstdc++ -o $@ $<

# libspotless for Windows: spotless.dll with its import library, exports
# from the same list as the .so (lib/libspotless.map), and the static
# library, in build/windows/lib.
$(WIN)/lib/spotless.def: lib/libspotless.map
	@mkdir -p $(dir $@)
	{ echo "LIBRARY spotless.dll"; echo "EXPORTS"; \
	  sed -n 's/^\t\t\(spotless_[a-z0-9_]*\);$$/\t\1/p' $<; } >$@

$(WIN)/spotless.dll: $(LIB_WIN_SRC) $(WIN)/lib/spotless.def $(WIN)/res/spotless_dll.o
	$(MINGW_CC) $(WINAPP_CFLAGS) -shared $(WINAPP_LDFLAGS) -o $@ $(LIB_WIN_SRC) \
		$(WIN)/lib/spotless.def $(WIN)/res/spotless_dll.o \
		-Wl,--out-implib,$(WIN)/lib/libspotless.dll.a
	$(call header_deps,$(MINGW_CC) $(WINAPP_CFLAGS))

$(WIN)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(MINGW_CC) $(WINAPP_CFLAGS) -MMD -MP -MF $@.dep -c -o $@ $<

$(WIN)/lib/libspotless.a: $(patsubst %.c,$(WIN)/obj/%.o,$(LIB_WIN_SRC))
	@mkdir -p $(dir $@)
	rm -f $@
	$(MINGW_AR) rcs $@ $^

# A user's program against spotless.dll (its import library): the test of
# the DLL under Wine.
$(WIN)/example_dll.exe: tests/install/example.c $(WIN)/spotless.dll
	$(MINGW_CC) $(WINAPP_CFLAGS) $(WINAPP_LDFLAGS) -o $@ $< $(WIN)/lib/libspotless.dll.a
	$(call header_deps,$(MINGW_CC) $(WINAPP_CFLAGS))
