# What runs on this machine itself, into build/host: the core's unit tests
# (ASan + UBSan), the Windows driver's sources under the NT model, the
# core's fuzzer, the PE image checker and the core's CRC32C bench.

# Host unit tests of the core run under the sanitizers.
HOST_CFLAGS	:= $(CFLAGS_COMMON) -fsanitize=address,undefined \
		   -fno-sanitize-recover=all -fno-omit-frame-pointer

HOST_TARGETS	:= $(HOST)/test_core $(HOST)/test_table $(HOST)/test_echo_batch $(HOST)/test_events \
		   $(HOST)/test_crc32c $(HOST)/bench_crc32c $(HOST)/core_cost \
		   $(HOST)/check_pe $(HOST)/cet_compat \
		   $(HOST)/fuzz_core \
		   $(HOST)/test_ntmodel $(HOST)/test_ntmodel_tsan

.PHONY: host
host: $(HOST_TARGETS)

# host_program COMPILER FLAGS: a program from the C files among the
# prerequisites, and its header dependencies.
host_program = $(1) -o $@ $(filter %.c,$^) && $(call header_deps,$(1))

$(HOST)/test_core: tests/unit/test_core.c $(CORE_SRC) | $(HOST)
	$(call host_program,$(CC) $(HOST_CFLAGS) -Itests/harness)

$(HOST)/test_events: tests/unit/test_events.c $(CORE_SRC) | $(HOST)
	$(call host_program,$(CC) $(HOST_CFLAGS) -Itests/harness)

$(HOST)/test_crc32c: tests/unit/test_crc32c.c $(CORE_SRC) | $(HOST)
	$(call host_program,$(CC) $(HOST_CFLAGS) -Itests/harness)

$(HOST)/test_echo_batch: tests/unit/test_echo_batch.c $(CORE_SRC) lib/batch.c | $(HOST)
	$(call host_program,$(CC) $(HOST_CFLAGS) -Itests/harness)

# The command table, with the example driver's row in it (its config
# force-included, as in hello.sys and hello.ko).
$(HOST)/test_table: tests/unit/test_table.c $(CORE_SRC) $(HELLO_SRC) | $(HOST)
	$(call host_program,$(CC) $(HOST_CFLAGS) $(HELLO_FLAGS) -Itests/harness)

# The core's CRC32C against memcpy, natively (make bench runs it).
$(HOST)/bench_crc32c: bench/host/crc32c.c $(CORE_SRC) | $(HOST)
	$(call host_program,$(CC) $(CFLAGS_COMMON) -Itests/harness)

# The core's work per request of each kind, for an instruction counter
# (scripts/bench_core_cost.sh; make bench runs it), at -O2 as the drivers are.
$(HOST)/core_cost: bench/host/core_cost.c $(CORE_SRC) lib/batch.c lib/crc32c.c | $(HOST)
	$(call host_program,$(CC) $(CFLAGS_COMMON))

# Marks a linked driver CET-compatible (GNU ld cannot): mk/windows.mk runs it.
$(HOST)/cet_compat: windows/tools/cet_compat.c | $(HOST)
	$(call host_program,$(CC) $(CFLAGS_COMMON))

$(HOST)/check_pe: tests/image/check_pe.c | $(HOST)
	$(call host_program,$(CC) $(CFLAGS_COMMON) -Iinclude -Itests/harness)

# libFuzzer target of the core (clang); see 'make fuzz'.
$(HOST)/fuzz_core: tests/fuzz/fuzz_core.c $(CORE_SRC) lib/batch.c | $(HOST)
	$(call host_program,clang -std=gnu11 -O1 -g $(WARNINGS) -Iinclude -Icore -Ilib \
		-Itests/harness -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all)

# The Windows driver's own sources on the host, under the NT model's I/O
# manager and Verifier checks (tests/ntmodel): once with ASan + UBSan, once
# with TSan. -fshort-wchar makes L"" UTF-16, as the driver expects.
NTMODEL_SRC	:= $(wildcard tests/ntmodel/*.c) $(DRIVER_SRC) $(CORE_SRC) \
		   lib/spotless.c lib/batch.c lib/crc32c.c
NTMODEL_CFLAGS	:= -std=gnu11 -O1 -g $(WARNINGS) -fshort-wchar -pthread \
		   -Itests/ntmodel/include -Itests/ntmodel -Iinclude -Icore -Ilib \
		   -Itests/harness -Itests/e2e -Iwindows/driver -fno-omit-frame-pointer

$(HOST)/test_ntmodel: $(NTMODEL_SRC) | $(HOST)
	$(call host_program,$(CC) $(NTMODEL_CFLAGS) -fsanitize=address,undefined \
		-fno-sanitize-recover=all)

$(HOST)/test_ntmodel_tsan: $(NTMODEL_SRC) | $(HOST)
	$(call host_program,$(CC) $(NTMODEL_CFLAGS) -fsanitize=thread)

# The model's suite over a changed copy of the driver's sources in
# MUTANT_DRIVER (tests/ntmodel/mutants.sh): no sanitizer, only its verdicts
# matter. Always rebuilt: the copy changes under the same name.
.PHONY: ntmodel-mutant
ntmodel-mutant:
	@test -n "$(MUTANT_DRIVER)" || { echo "MUTANT_DRIVER=DIR is required" >&2; exit 2; }
	$(CC) $(subst -Iwindows/driver,-I$(MUTANT_DRIVER),$(NTMODEL_CFLAGS)) \
		-o $(MUTANT_DRIVER)/test_ntmodel $(wildcard tests/ntmodel/*.c) \
		$(filter-out %/user_memory.c,$(wildcard $(MUTANT_DRIVER)/*.c)) $(CORE_SRC) \
		lib/spotless.c lib/batch.c lib/crc32c.c
