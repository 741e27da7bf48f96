# The Linux side, into build/linux: spotless.ko and the other modules, built
# by Kbuild in their own staged trees for KVER (Makefile), and the static
# programs the QEMU guests run (no libc in the initramfs).

LINUXAPP_CFLAGS	:= $(CFLAGS_COMMON) -static -pthread

LINUX_TARGETS	:= $(LINUX)/module/spotless.ko $(LINUX)/spotless $(LINUX)/null_misc/spotless_null.ko \
		   $(LINUX)/crc_bench/spotless_crc_bench.ko \
		   $(LINUX)/bench_crc32c \
		   $(LINUX)/test_module $(LINUX)/test_module32 $(LINUX)/spotless_storm \
		   $(LINUX)/fault_injection $(LINUX)/hello/hello.ko $(LINUX)/hello_client \
		   $(LINUX)/test_hello $(LINUX)/client_040

.PHONY: linux
linux: $(LINUX_TARGETS)

# ---- Modules: each staged whole by its tree script, then Kbuild ----------
# The module is built in its own source tree (scripts/module-tree.sh: the
# tree DKMS gets), staged under build/ so that Kbuild's outputs stay there.
$(LINUX)/module/spotless.ko: $(MODULE_TREE)
	$(need_kdir)
	@scripts/module-tree.sh $(LINUX)/module
	$(MAKE) -C $(LINUX)/module KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

# The example driver's module, beside spotless.ko in the guests.
$(LINUX)/hello/hello.ko: $(MODULE_TREE) examples/hello/Kbuild examples/hello/hello_config.h \
			 $(HELLO_SRC)
	$(need_kdir)
	@scripts/example-tree.sh $(LINUX)/hello
	$(MAKE) -C $(LINUX)/hello KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

# The benchmark's floor in the guest: a misc device whose ioctl returns at once.
$(LINUX)/null_misc/spotless_null.ko: bench/peers/null_misc/null_misc.c bench/peers/null_misc/Kbuild
	$(need_kdir)
	@rm -rf $(LINUX)/null_misc && mkdir -p $(LINUX)/null_misc
	@cp $^ $(LINUX)/null_misc/
	$(MAKE) -C $(KDIR) M=$(abspath $(LINUX)/null_misc) W=1 modules

# The core's CRC32C against the kernel's crc32c(), inside the guest's kernel (make bench).
$(LINUX)/crc_bench/spotless_crc_bench.ko: bench/kernel/crc32c_bench.c bench/kernel/Kbuild \
		$(CRC32C_SRC) $(wildcard core/spotless_crc32c*.h include/spotless/*.h)
	$(need_kdir)
	@scripts/crc-bench-tree.sh $(LINUX)/crc_bench
	$(MAKE) -C $(LINUX)/crc_bench KDIR=$(KDIR) W=1 SPOTLESS_WERROR=y

# ---- The guests' programs ------------------------------------------------
# linuxapp FLAGS: a static program from the C files among the prerequisites.
linuxapp = $(CC) $(LINUXAPP_CFLAGS) $(1) -o $@ $(filter %.c,$^) $(LIB_LINUX_LIBS) && \
	   $(call header_deps,$(CC) $(LINUXAPP_CFLAGS) $(1))

$(LINUX)/spotless: $(CLI_SRC) cli/os_linux.c $(PLATFORM_LINUX) $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-Icli)

$(LINUX)/test_module: tests/e2e/test_linux_module.c $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-Itests/harness)

# The same tests as a 32-bit program: its ioctls go through compat_ioctl.
$(LINUX)/test_module32: tests/e2e/test_linux_module.c $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-m32 -Itests/harness)

$(LINUX)/spotless_storm: $(STORM_SRC) tests/storm/os_linux.c $(PLATFORM_LINUX) $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-Itests/harness)

# Systematic fault injection, run in the debug kernel's guest.
$(LINUX)/fault_injection: tests/e2e/fault_injection.c lib/batch.c $(CRC32C_SRC) \
			  core/spotless_status.c | $(LINUX)
	$(call linuxapp,-Itests/harness)

$(LINUX)/hello_client: examples/hello/hello_client.c $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-Iexamples/hello)

$(LINUX)/test_hello: tests/e2e/test_hello.c $(LIB_LINUX_SRC) | $(LINUX)
	$(call linuxapp,-Iexamples/hello -Itests/harness)

# The core's CRC32C bench, static, for the guest too (make bench).
$(LINUX)/bench_crc32c: bench/host/crc32c.c $(CORE_SRC) | $(LINUX)
	$(call linuxapp,)

# A program built against 0.4.0's headers, linked with today's library.
$(LINUX)/client_040: tests/compat/client_040.c $(LIB_LINUX_SRC) | $(LINUX)
	$(CC) -Itests/compat/v0.4.0 $(LINUXAPP_CFLAGS) -Itests/harness -c -o $@.o $<
	$(CC) -Itests/compat/v0.4.0 $(LINUXAPP_CFLAGS) -Itests/harness -MM -MP -MT $@ $< >$@.dep
	$(CC) $(LINUXAPP_CFLAGS) -o $@ $@.o $(LIB_LINUX_SRC) $(LIB_LINUX_LIBS)
	$(CC) $(LINUXAPP_CFLAGS) -MM -MP -MT $@ $(LIB_LINUX_SRC) >>$@.dep
