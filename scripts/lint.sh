#!/usr/bin/env bash
# Static analysis of all C: cppcheck, clang's analyzer for the host and for
# the Windows target (mingw-w64 headers), sparse and W=1 for the module. Prints "ok - " / "not ok - "
# lines like the tests; any finding fails.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

MINGW_INC=/usr/x86_64-w64-mingw32/include
failed=0

# run_checker NAME COMMAND...: ok when the command succeeds and prints nothing.
run_checker() {
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		printf '%s\n' "$out" | sed 's/^/#   /'
		failed=1
	fi
}

analyze_host() {
	local f
	for f in core/*.c lib/spotless.c lib/batch.c lib/crc32c.c lib/os_linux.c lib/os_linux_driver.c cli/cmd_*.c cli/main.c \
		cli/os_linux.c platform/platform_linux.c tests/unit/test_[ce]*.c \
		tests/fuzz/*.c tests/image/*.c windows/tools/*.c tests/e2e/test_linux_module.c \
		tests/storm/storm.c tests/storm/os_linux.c; do
		clang --analyze -std=gnu11 -Iinclude -Icore -Ilib -Icli -Iplatform -Itests/harness \
			-o /dev/null "$f" || return 1
	done
	# The example driver's files, as its builds compile them: its
	# configuration force-included (the core again, with its row).
	for f in core/*.c examples/hello/*.c tests/unit/test_table.c tests/e2e/test_hello.c; do
		clang --analyze -std=gnu11 -include examples/hello/hello_config.h -Iexamples/hello \
			-Iinclude -Icore -Ilib -Itests/harness -o /dev/null "$f" || return 1
	done
}

analyze_windows_driver() {
	local f
	for f in windows/driver/*.c core/*.c; do
		[ "$f" = windows/driver/user_memory.c ] && continue
		clang --analyze --target=x86_64-w64-mingw32 -std=gnu11 -ffreestanding \
			-Iinclude -Icore -I"$MINGW_INC" -I"$MINGW_INC/ddk" \
			-o /dev/null "$f" || return 1
	done
	# The one file with __try, as the build compiles it (MSVC target).
	clang --analyze --target=x86_64-pc-windows-msvc -fms-extensions -fno-ms-compatibility \
		-ffreestanding -fno-builtin -std=gnu11 -isystem "$MINGW_INC/ddk" -isystem "$MINGW_INC" \
		-o /dev/null windows/driver/user_memory.c
}

analyze_windows_userland() {
	local f
	for f in lib/spotless.c lib/batch.c lib/crc32c.c lib/os_windows.c lib/os_windows_driver.c cli/cmd_*.c cli/main.c \
		cli/os_windows.c platform/platform_windows.c \
		tests/e2e/test_windows_driver.c tests/storm/storm.c tests/storm/os_windows.c; do
		clang --analyze --target=x86_64-w64-mingw32 -std=gnu11 \
			-Iinclude -Icore -Ilib -Icli -Iplatform -Itests/harness -I"$MINGW_INC" \
			-o /dev/null "$f" || return 1
	done
}

# The NT model and the driver's sources as the model builds them (host,
# UTF-16 literals, the model's <ntifs.h> first).
analyze_ntmodel() {
	local f
	for f in tests/ntmodel/*.c windows/driver/*.c; do
		# The model has its own user_memory.c; the driver's needs __try.
		[ "$f" = windows/driver/user_memory.c ] && continue
		clang --analyze -std=gnu11 -fshort-wchar -Itests/ntmodel/include -Itests/ntmodel \
			-Iinclude -Icore -Ilib -Itests/harness -Itests/e2e -Iwindows/driver \
			-o /dev/null "$f" || return 1
	done
}

# sparse (C=2) and W=1 over the module, in a build folder of its own.
sparse_module() {
	local kver dir
	kver=$(scripts/kernel-version.sh)
	dir="$PWD/build/linux/module-sparse"
	scripts/module-tree.sh "$dir"
	make -s -C "$dir" KDIR="/usr/src/linux-headers-$kver" W=1 C=2 SPOTLESS_WERROR=y 2>&1 | grep -vE '^ *CHECK |^Skipping BTF|^make.*directory'
	return "${PIPESTATUS[0]}"
}

# checkpatch.pl --strict from Debian's 6.1 source, over the module and the
# portable core it is built from.
checkpatch_module() {
	local src err
	# The first run fetches the source: its progress is shown only on failure.
	err=$(mktemp)
	src=$(scripts/debug-kernel.sh --source 2>"$err") || { cat "$err"; rm -f "$err"; return 1; }
	rm -f "$err"
	perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
		-f linux/module/*.c linux/module/*.h | grep -v '^total: 0 errors, 0 warnings, 0 checks'
	[ "${PIPESTATUS[0]}" -eq 0 ] || return 1
	# The portable core is most of spotless.ko, in kernel style, but it is
	# C11 for every side: stdint types and _Static_assert, no kernel
	# macros (ARRAY_SIZE), and X-macros that expand the command and status
	# tables into declarations, initialisers and case labels, not into
	# statements used like functions.
	perl "$src/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
		--ignore PREFER_KERNEL_TYPES,CAMELCASE,ARRAY_SIZE,MACRO_ARG_REUSE \
		--ignore MULTISTATEMENT_MACRO_USE_DO_WHILE,TRAILING_SEMICOLON,COMPLEX_MACRO \
		-f core/*.c core/*.h | grep -v '^total: 0 errors, 0 warnings, 0 checks'
	[ "${PIPESTATUS[0]}" -eq 0 ]
}

run_checker "cppcheck" cppcheck -q --enable=warning,style,performance,portability \
	--error-exitcode=1 --inline-suppr --suppress=missingIncludeSystem \
	-Iinclude -Icore -Ilib -Icli -Iplatform -Itests/harness -Itests/ntmodel -Iexamples/hello core lib cli platform windows/tools \
	tests/unit tests/image tests/e2e tests/fuzz tests/storm tests/ntmodel examples/hello
run_checker "clang_analyzer_host" analyze_host
run_checker "clang_analyzer_windows_driver" analyze_windows_driver
run_checker "clang_analyzer_windows_userland" analyze_windows_userland
run_checker "clang_analyzer_ntmodel" analyze_ntmodel
run_checker "sparse_and_w1_module" sparse_module
run_checker "checkpatch_strict_module_and_core" checkpatch_module
exit "$failed"
