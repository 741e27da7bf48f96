# spotless: build, demo and tests. 'make help' lists the targets.
#
# The rules are in mk/, one file per concern:
#   mk/windows.mk   spotless.sys, the Windows tool and library (mingw-w64)
#   mk/host.mk      unit tests, the NT model, the fuzzer, the image checker
#   mk/linux.mk     the modules, and the static programs the QEMU guests run
#   mk/install.mk   libspotless.so and what 'make install' and the packages install
#   mk/tasks.mk     demo, test, check, lint, packages, fuzzing, verify, bench, help
# Here: where things go, the compilers and flags, and every source list, once.

BUILD	:= build
WIN	:= $(BUILD)/windows
HOST	:= $(BUILD)/host
LINUX	:= $(BUILD)/linux

VERSION	:= $(shell scripts/version.sh)

# The kernel the module is built for: Debian's linux-headers-amd64 unless
# KVER names another. Its build tree is where Kbuild and DKMS look,
# /lib/modules/KVER/build, else the headers package's own folder.
KVER	:= $(shell scripts/kernel-version.sh)
KDIR	:= $(firstword $(wildcard /lib/modules/$(KVER)/build/Makefile) \
		       /usr/src/linux-headers-$(KVER)/Makefile)
KDIR	:= $(patsubst %/Makefile,%,$(KDIR))
need_kdir = @test -f $(KDIR)/Makefile || { echo "no kernel headers for $(KVER): \
neither /lib/modules/$(KVER)/build nor /usr/src/linux-headers-$(KVER); \
install linux-headers-$(KVER) (make deps installs Debian's)"; exit 1; }

CC		?= cc
MINGW_CC	:= x86_64-w64-mingw32-gcc
MINGW_CXX	:= x86_64-w64-mingw32-g++
MINGW_DDK	:= /usr/x86_64-w64-mingw32/include/ddk
MINGW_AR	:= x86_64-w64-mingw32-ar
# 32-bit Windows callers (run under WoW64: wine32).
MINGW32_CC	:= i686-w64-mingw32-gcc
WINDRES		:= x86_64-w64-mingw32-windres

WARNINGS	:= -Wall -Wextra -Werror
CFLAGS_COMMON	:= -std=gnu11 -O2 -g $(WARNINGS) -Iinclude -Icore -Ilib -Iplatform

# ---- Sources, each listed once ------------------------------------------
CORE_SRC	:= $(wildcard core/*.c)
CRC32C_SRC	:= core/spotless_crc32c.c core/spotless_crc32c_hw.c
# The library's portable part, then each OS's backend.
LIB_SRC		:= lib/spotless.c lib/batch.c lib/crc32c.c lib/queue.c $(CRC32C_SRC) \
		   core/spotless_status.c
LIB_WIN_SRC	:= $(LIB_SRC) lib/os_windows.c lib/os_windows_driver.c lib/queue_windows.c
LIB_LINUX_SRC	:= $(LIB_SRC) lib/os_linux.c lib/os_linux_driver.c lib/queue_linux.c
# The queue's ring on Linux (liburing-dev; make deps installs it).
LIB_LINUX_LIBS	:= -luring
CLI_SRC		:= $(filter-out cli/os_%.c,$(wildcard cli/*.c))
# What the userland programs (the CLI, the storm) need from each OS.
PLATFORM_LINUX	:= platform/platform_linux.c
PLATFORM_WIN	:= platform/platform_windows.c
# user_memory.c is built by clang for the MSVC target: it needs __try.
DRIVER_SRC	:= $(filter-out windows/driver/user_memory.c,$(wildcard windows/driver/*.c))
# What scripts/module-tree.sh copies: the module's source tree, whole.
MODULE_TREE	:= $(wildcard linux/module/*.c linux/module/*.h) linux/module/Kbuild \
		   linux/module/Makefile linux/module/dkms.conf \
		   $(CORE_SRC) $(wildcard core/*.h include/spotless/*.h) LICENSE
# The example driver built on spotless (examples/hello): its command, and
# its configuration header force-included into every file of its builds.
HELLO_SRC	:= examples/hello/hello_greet.c
HELLO_FLAGS	:= -include examples/hello/hello_config.h -Iexamples/hello
# The IOCTL storm (tests/storm): the portable part; each OS's backend beside it.
STORM_SRC	:= tests/storm/storm.c

# ---- Header dependencies, from the compiler ------------------------------
# A program's recipe ends with $(call header_deps,COMPILER FLAGS): it writes
# $@.dep, the headers the program's C sources include (-MM), and make reads
# every .dep on its next run, so a changed header rebuilds exactly what
# includes it. Objects get theirs from -MMD.
header_deps = $(1) -MM -MP -MT $@ $(filter %.c,$^) >$@.dep
-include $(shell find $(BUILD) -path $(BUILD)/wineprefix -prune -o -name '*.dep' -print 2>/dev/null)

.PHONY: all
all: windows host linux userland

$(WIN) $(HOST) $(LINUX):
	@mkdir -p $@

include mk/windows.mk mk/host.mk mk/linux.mk mk/install.mk mk/tasks.mk
