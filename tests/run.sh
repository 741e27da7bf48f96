#!/usr/bin/env bash
# Runs every test suite and ends with the total: "N passed, N failed".
#
#   1. what make check runs (tests/check.sh: the core's unit tests, the NT
#      model with ASan + UBSan and with TSan, a short fuzzing pass), static
#      analysis, make install's layout
#   2. compile-time checks of the wire header
#   3. image checks of spotless.sys and the Windows programs
#   4. under Wine, against the loaded spotless.sys: the CLI and the tutorial's
#      client, the end-to-end suite, the client's failure modes, and the
#      driver's log lines; then the docs (tests/docs): the CLI's usage and
#      man pages against the program, links, licences, the README's demo
#      output against a real run
#   5. in QEMU, spotless.ko on Debian's 6.1, a debug 6.1 (KASAN, lockdep,
#      kmemleak, UBSAN, fault injection), a KCSAN 6.1, backports' 6.12 and
#      6.12-rt, and Debian unstable's newest: the
#      same end-to-end cases (64-bit and 32-bit), bad pointers, a non-root
#      user, the CLI, rmmod with handles open, load / unload churn, and the
#      module's kernel log
#   6. the Debian packages installed with apt in a debootstrap'd Debian 12
#      guest (DKMS, udev, group access, purge); make install's layout and the
#      Windows zip are checked in 1 and 3
#
# Each test prints "ok - NAME" or "not ok - NAME"; this script counts them.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/harness.sh
source scripts/lib/harness.sh

RESULTS="$ROOT/build/logs/test-results.txt"
mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
START=$(date +%s)
VERSION=$(scripts/version.sh)

# shellcheck source=tests/lib/tap.sh
source tests/lib/tap.sh

# run_cli VAR_PREFIX ARGS...: runs spotless.exe, keeps stdout, stderr, status.
run_cli() {
	local out err
	out=$(mktemp) err=$(mktemp)
	CLI_RC=0
	wine "$WIN_BUILD/spotless.exe" "$@" >"$out" 2>"$err" </dev/null || CLI_RC=$?
	CLI_OUT=$(tr -d '\r' <"$out")
	CLI_ERR=$(tr -d '\r' <"$err")
	rm -f "$out" "$err"
	RC=$CLI_RC OUT=$CLI_OUT ERR=$CLI_ERR
}
# The cases shared with the guest (tests/cli_cases.sh) call it cli.
cli() { run_cli "$@"; }
# shellcheck source=tests/cli_cases.sh
source tests/cli_cases.sh

has() { [[ $1 == *"$2"* ]]; }

EXPECTED_EXCHANGE='> Issuing IOCTL_SPOTLESS 0x228124
> IOCTL_SPOTLESS 0x228124 issued
> Received from the kernel land: ohai from them kernelz. Received buffer size: 22'
DEMO_MESSAGE="spotless saying ola from userland"

# ---- 1. The fast suites (make check), static analysis, installation -------
fast_suites
suite "static analysis" scripts/lint.sh
# The core's instruction counter (make bench) works here: a figure for every case.
check "core_cost_counts_every_case" eval 'scripts/bench_core_cost.sh build/logs 500 >/dev/null &&
	[ "$(awk -F, "NR > 1 && \$2 > 0" build/logs/core-instructions.csv | wc -l)" -eq \
	  "$(build/host/core_cost --list | wc -l)" ]'
suite "installation: make install, the library, pkg-config, DKMS tree" tests/install/check_install.sh
suite "the machine's Debian mirror (scripts/lib/mirror.sh)" tests/scripts/check_mirror.sh

# ---- 2. Wire header: new codes outside 0x800-0xFFF do not compile ---------
printf '# == wire header compile checks\n'
compile_code() {
	printf '#include "spotless/wire.h"\nunsigned int code = SPOTLESS_NEW_CODE(%s, 0u, 0u);\n' "$1" |
		cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -fsyntax-only -x c - 2>/dev/null
}
check "defect1_new_code_function_0x800_compiles" compile_code 0x800u
check "defect1_new_code_function_0xFFF_compiles" compile_code 0xFFFu
check "defect1_new_code_function_0x7FF_refused" eval '! compile_code 0x7FFu'
check "defect1_new_code_function_0x1000_refused" eval '! compile_code 0x1000u'
check "defect1_new_code_tutorial_function_0x2049_refused" eval '! compile_code 0x2049u'

# Every value 0.4.0 published keeps it (tests/compat/abi_pins.c), for 64-
# and 32-bit callers and the Windows compiler alike.
check "abi_pins_hold_64_bit" cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -fsyntax-only \
	tests/compat/abi_pins.c
check "abi_pins_hold_32_bit" cc -m32 -std=gnu11 -Wall -Wextra -Werror -Iinclude -fsyntax-only \
	tests/compat/abi_pins.c
# A driver's own row outside its ranges, or two rows with one code, do not
# compile (commands.h, wire_windows.h; the core's switch on every code).
compile_driver_row() {
	printf '#define SPOTLESS_DRIVER_COMMANDS(X) %s\n#include "spotless_core.h"\n' "$1" |
		cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -Icore -fsyntax-only -x c - 2>/dev/null
}
compile_two_rows() {
	{ printf '#define SPOTLESS_DRIVER_COMMANDS(X) %s\n' "$1"; cat core/spotless_commands.c; } |
		cc -std=gnu11 -Wall -Wextra -Werror -Iinclude -Icore -fsyntax-only -x c - 2>/dev/null
}
row() { printf 'X(%s, "c", %s, BUFFERED, ANY_ACCESS, %s, LX_NONE, 0, 0, 0, 8, 8, %s, %s, 0, h_%s)' "$@"; }
check "table_driver_row_in_its_ranges_compiles" compile_driver_row "$(row MINE 0xC00 0 8 32 a)"
check "table_driver_row_protocol_function_refused" eval '! compile_driver_row "$(row MINE 0x900 0 8 32 a)"'
check "table_driver_row_protocol_capability_refused" eval '! compile_driver_row "$(row MINE 0xC00 0 8 7 a)"'
check "table_driver_row_protocol_slot_refused" eval '! compile_driver_row "$(row MINE 0xC00 0 3 32 a)"'
check "table_driver_row_linux_number_refused" eval '! compile_driver_row "$(row MINE 0xC00 9 8 32 a)"'
check "table_two_rows_one_code_refused" eval \
	'! compile_two_rows "$(row ONE 0xC01 0 8 32 a) $(row TWO 0xC01 0 9 33 b)"'
check "table_two_rows_two_codes_compile" \
	compile_two_rows "$(row ONE 0xC01 0 8 32 a) $(row TWO 0xC02 0 9 33 b)"
# docs/architecture.md's worked example names the example driver's real
# code, function, capability bit and counter slot.
example_facts=$(build/host/test_table --print-example)
check "architecture_doc_names_the_example_row" grep -qF "$example_facts" docs/architecture.md

# ---- 3. Image checks -------------------------------------------------------
ALLOWED="$ROOT/build/logs/mingw-kernel-imports.txt"
for lib in ntoskrnl:ntoskrnl.exe hal:hal.dll; do
	x86_64-w64-mingw32-nm "/usr/x86_64-w64-mingw32/lib/lib${lib%%:*}.a" 2>/dev/null |
		sed -n "s/^.* I __imp_\(.*\)$/${lib#*:} \1/p"
done | sort -u >"$ALLOWED"
entry_va=$(x86_64-w64-mingw32-nm "$WIN_BUILD/spotless.sys" | awk '$3 == "DriverEntry" { print $1 }')
image_base=$(x86_64-w64-mingw32-objdump -p "$WIN_BUILD/spotless.sys" | awk '/^ImageBase/ { print $2 }')
entry_rva=$(printf '%x' $((0x${entry_va:-0} - 0x${image_base:-0})))
suite "image checks: spotless.sys" build/host/check_pe --driver "$WIN_BUILD/spotless.sys" "$entry_rva" "$ALLOWED"
suite "image checks: spotless.exe" build/host/check_pe --console "$WIN_BUILD/spotless.exe"
suite "image checks: test_driver.exe" build/host/check_pe --console "$WIN_BUILD/test_driver.exe"
# The checker itself must notice a damaged image.
cp "$WIN_BUILD/spotless.sys" "$ROOT/build/logs/damaged.sys"
printf '\x01' | dd of="$ROOT/build/logs/damaged.sys" bs=1 seek=2000 conv=notrunc status=none
check "image_check_notices_a_wrong_checksum" eval \
	'! build/host/check_pe --driver build/logs/damaged.sys "$entry_rva" "$ALLOWED" >/dev/null'
# GNU ld alone writes no CET-compatibility mark: the tutorial's driver,
# linked as its readers would, lacks it, and the check must say so.
build/host/check_pe --driver "$WIN_BUILD/tutorial_driver.sys" 0 "$ALLOWED" \
	>"$ROOT/build/logs/tutorial_driver_pe.txt"
check "image_check_notices_a_driver_without_the_cet_mark" \
	grep -qx "not ok - test_cet_compatible" "$ROOT/build/logs/tutorial_driver_pe.txt"

# Each code's access field against what its command needs: the check must
# refuse ECHO_NEITHER as FILE_ANY_ACCESS (its value before 0.5.0's change)
# and a BATCH that asks for read only; the tutorial's driver holds none of
# our other codes.
check "image_check_refuses_echo_neither_with_any_access" eval \
	'! build/host/check_pe --code-access ECHO_NEITHER 0x00222023'
check "image_check_refuses_batch_with_read_only" eval \
	'! build/host/check_pe --code-access BATCH 0x00226016'
check "image_check_accepts_echo_neither_with_read_and_write" \
	build/host/check_pe --code-access ECHO_NEITHER 0x0022e023
check "image_check_notices_codes_missing_from_a_driver" \
	grep -qx "not ok - test_codes_ask_for_the_access_they_need" "$ROOT/build/logs/tutorial_driver_pe.txt"

# Signed images (scripts/sign.sh, a throwaway certificate) pass the same checks.
printf '# == signing\n'
SIGNED="$ROOT/build/logs/signed"
rm -rf "$SIGNED"
if scripts/sign.sh "$SIGNED" >/dev/null; then ok "sign_and_verify_sys_and_exe"; else not_ok "sign_and_verify_sys_and_exe"; fi
suite "image checks: signed spotless.sys" build/host/check_pe --driver "$SIGNED/spotless.sys" \
	"$entry_rva" "$ALLOWED" --signed
suite "image checks: signed spotless.exe" build/host/check_pe --console "$SIGNED/spotless.exe" --signed
check "image_check_notices_a_missing_signature" eval \
	'! build/host/check_pe --console "$WIN_BUILD/spotless.exe" --signed >/dev/null'
# A byte changed after signing breaks the signature.
cp "$SIGNED/spotless.sys" "$SIGNED/tampered.sys"
printf '\x01' | dd of="$SIGNED/tampered.sys" bs=1 seek=1100 conv=notrunc status=none
check "signature_verification_notices_tampering" eval \
	'! osslsigncode verify -in "$SIGNED/tampered.sys" -CAfile build/signing/spotless-test.pem 2>/dev/null | grep -q "^Signature verification: ok"'

suite "Windows package: make dist" tests/install/check_dist.sh

# ---- 4. Under Wine, against the loaded driver -------------------------------
trap wine_down EXIT
wine_up
# The signed image is the one loaded: signing must not break it.
DRIVER_IMAGE="$SIGNED/spotless.sys" driver_load

printf '# == the tutorial exchange\n'
run_cli send "$DEMO_MESSAGE"
check "cli_send_prints_the_tutorial_lines" [ "$CLI_OUT" = "$EXPECTED_EXCHANGE" ]
check "cli_send_exits_0" [ "$CLI_RC" -eq 0 ]
tut_rc=0
tut_out=$(wine "$WIN_BUILD/tutorial_client.exe" "$DEMO_MESSAGE" 2>/dev/null | tr -d '\r') || tut_rc=$?
check "tutorial_client_unchanged_prints_the_tutorial_lines" [ "$tut_out" = "$EXPECTED_EXCHANGE" ]
check "tutorial_client_exits_0" [ "$tut_rc" -eq 0 ]

suite "driver end-to-end tests" wine "$WIN_BUILD/test_driver.exe"
# The tests that assert Wine's behaviour know they run under Wine (ntdll's
# wine_get_version; Windows skips them) and say so, with why.
check "test_driver_names_its_wine_only_tests" eval \
	'[ "$(grep -c "^# wine-only: test_\(wine_stop_with_waits_pending\|defect4\)" "$RESULTS")" -ge 2 ]'
# The same tests from a 32-bit program (WoW64: wine32), against the 64-bit
# driver: old- and new-size structures, the general call, every protocol case.
suite "driver end-to-end tests, 32-bit caller" wine "$WIN_BUILD/test_driver32.exe"
suite "a program built against 0.4.0's headers" wine "$WIN_BUILD/client_040.exe"
# A short IOCTL storm with a fixed seed ('make fuzz-storm' runs long ones).
suite "IOCTL storm (Windows)" wine "$WIN_BUILD/spotless_storm.exe" --requests 10000 --seed 1

# The zip's test\validate.cmd (for a real Windows machine under Driver
# Verifier): its usage, its refusals, and its "tests" part, which needs no
# administrator step, run by Wine's cmd against the loaded driver. Its
# setup and run parts (certutil, bcdedit, verifier) have no Wine
# counterpart: not run here.
printf '# == the zip'"'"'s validate.cmd, under Wine'"'"'s cmd\n'
VALIDATE_DIR="$ROOT/build/dist-test/unpacked/spotless-$VERSION-windows-x64/test"
validate() {
	local out
	out=$(mktemp)
	VALIDATE_RC=0
	(cd "${VALIDATE_IN:-$VALIDATE_DIR}" && "$WINE64" cmd /c validate.cmd "$@") >"$out" 2>&1 </dev/null ||
		VALIDATE_RC=$?
	VALIDATE_OUT=$(tr -d '\r' <"$out")
	rm -f "$out"
}
validate /?
check "validate_cmd_help" eval '[ "$VALIDATE_RC" -eq 0 ] && has "$VALIDATE_OUT" "usage: validate.cmd setup | run | tests | undo"'
validate bogus
check "validate_cmd_unknown_command_exits_2" eval '[ "$VALIDATE_RC" -eq 2 ] && has "$VALIDATE_OUT" "unknown command \"bogus\""'
validate
check "validate_cmd_without_a_command_exits_2" eval '[ "$VALIDATE_RC" -eq 2 ] && has "$VALIDATE_OUT" "usage:"'
mkdir -p "$ROOT/build/logs/validate-alone"
cp "$VALIDATE_DIR/validate.cmd" "$ROOT/build/logs/validate-alone/"
VALIDATE_IN="$ROOT/build/logs/validate-alone" validate tests
check "validate_cmd_outside_the_zip_names_what_is_missing" eval \
	'[ "$VALIDATE_RC" -eq 1 ] && has "$VALIDATE_OUT" "missing" && has "$VALIDATE_OUT" "test_driver.exe"'
rm -rf "$VALIDATE_DIR/results"
STORM_REQUESTS=10000 validate tests
printf '%s\n' "$VALIDATE_OUT" | sed 's/^/#   /'
check "validate_cmd_tests_under_wine_all_pass" eval '[ "$VALIDATE_RC" -eq 0 ] && \
	has "$VALIDATE_OUT" "validate: 4 passed, 0 failed"'
check "validate_cmd_keeps_each_output" eval \
	'grep -q "Received from the kernel land" "$VALIDATE_DIR/results/tutorial_client_after.txt" && \
	 grep -q "storm: 4 passed, 0 failed" "$VALIDATE_DIR/results/storm.txt" && \
	 grep -q "passed, 0 failed" "$VALIDATE_DIR/results/test_driver.txt"'
# A step that fails is counted and named (a storm length the storm refuses).
STORM_REQUESTS=many validate tests
check "validate_cmd_counts_a_failed_step" eval '[ "$VALIDATE_RC" -eq 1 ] && \
	has "$VALIDATE_OUT" "storm FAILED: see results\\storm.txt" && has "$VALIDATE_OUT" "validate: 3 passed, 1 failed"'

# The example driver built on spotless (examples/hello), a second kernel
# service beside it: each answers its own commands (tests/e2e/test_hello.c).
printf '# == the example driver (examples/hello) beside spotless under Wine\n'
hello_sc() { "$WINE64" sc "$@" >/dev/null 2>&1; }
hello_sc stop hello; hello_sc delete hello
check "hello_service_created" hello_sc create hello type= kernel \
	binPath= "$(wine_path "$WIN_BUILD/hello.sys")"
check "hello_service_started" hello_sc start hello
suite "hello beside spotless" wine "$WIN_BUILD/test_hello.exe"
hello_out=$(wine "$WIN_BUILD/hello_client.exe" world 2>/dev/null | tr -d '\r')
check "hello_client_greets" [ "$hello_out" = "hello, world" ]
run_cli --device HelloDeviceLink call 0x00223000 world
check "cli_call_reaches_another_device" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "answer 12 bytes" && \
	has "$CLI_OUT" "hello, world"'
run_cli call 0x00223000 world
check "cli_call_spotless_refuses_hellos_command" eval '[ "$CLI_RC" -eq 1 ] && \
	has "$CLI_ERR" "kind: unknown_command"'
hello_sc stop hello
check "hello_service_removed" hello_sc delete hello
run_cli info
check "spotless_answers_after_hello_left" [ "$CLI_RC" -eq 0 ]

printf '# == protocol v1 from the CLI\n'
cli_cases_call
run_cli info
check "cli_info_windows" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "os           Windows" && \
	has "$CLI_OUT" "capabilities message info stats echo echo_direct batch"'
run_cli echo
check "cli_echo_every_method" eval '[ "$CLI_RC" -eq 0 ] && [ "$CLI_OUT" = "$(printf "%s\n" \
	"echo buffered       4096 bytes there and back, identical, crc32c 0x43491be8 matches" \
	"echo in_direct      4096 bytes into the driver, crc32c 0x43491be8 checked there" \
	"echo out_direct     4096 bytes there and back, identical, crc32c 0x43491be8 matches" \
	"echo neither        4096 bytes there and back, identical, crc32c 0x43491be8 matches")" ]'
run_cli echo --size 1M --method out_direct
check "cli_echo_1_mib_out_direct" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "1048576 bytes there and back, identical"'
run_cli echo --method neither --size 1M
check "cli_echo_method_neither_1_mib" eval '[ "$CLI_RC" -eq 0 ] && \
	has "$CLI_OUT" "echo neither     1048576 bytes there and back, identical"'
cli_cases_options
run_cli echo --size
check "cli_echo_option_without_value_gets_usage" eval '[ "$CLI_RC" -eq 2 ] && \
	has "$CLI_ERR" "spotless echo: --size needs a value"'
run_cli echo --method sideways
check "cli_echo_bad_method_gets_usage" eval '[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "--method is buffered"'
printf 'message hello\n# a comment\ninfo\necho 1000\ncode 0x1234\nstats\n' >"$ROOT/build/logs/requests.txt"
run_cli batch "$(wine_path "$ROOT/build/logs/requests.txt")"
check "cli_batch_answers_each_request" eval '[ "$CLI_RC" -eq 1 ] && \
	has "$CLI_OUT" "#1   message          ok: ohai from them kernelz (22 bytes)" && \
	has "$CLI_OUT" "#3   echo             ok: 1000 bytes back, identical" && \
	has "$CLI_OUT" "#4   code 0x00001234  failed: unknown control code" && \
	has "$CLI_OUT" "batch: 5 requests in one call, 1 failed"'
run_cli bench --only batch --reps 3 --ms 5
check "cli_bench_batch_rows" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "batch    batch_64" && \
	has "$CLI_OUT" "vs single_echo_64"'
run_cli bench --only events --reps 3 --ms 5
check "cli_bench_event_rows" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "events   post_to_waiter" && \
	has "$CLI_OUT" "vs message" && has "$CLI_OUT" "post_to_waiter_idle_256" && \
	has "$CLI_OUT" "vs post_to_waiter"'
run_cli bench --only exchange --reps 3 --ms 5
check "cli_bench_exchange_row" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "exchange message"'
run_cli bench --only latency --reps 3 --ms 1
check "cli_bench_names_the_crc32c_paths" eval '[ "$CLI_RC" -eq 0 ] && \
	has "$CLI_OUT" "# crc32c: the driver" && has "$CLI_OUT" "the library"'
run_cli bench --only peer
check "cli_bench_peer_without_device_gets_usage" eval '[ "$CLI_RC" -eq 2 ] && \
	has "$CLI_ERR" "--only peer needs --peer-device PATH"'
run_cli bench --reps 40
check "cli_bench_bad_reps_gets_usage" eval '[ "$CLI_RC" -eq 2 ] && \
	has "$CLI_ERR" "--reps: " && has "$CLI_ERR" "40" && \
	has "$CLI_ERR" "is not a whole number from 3 to 31"'
# A watcher in one process sees what another posts (the inverted call: its
# WAIT_EVENT stays pending in the driver). Wine starts a process slowly, so
# the watcher gets time to subscribe, and stops after 4 s without an event.
watch_out="$ROOT/build/logs/watch-windows.txt"
wine "$WIN_BUILD/spotless.exe" watch --timeout 4000 >"$watch_out" 2>&1 &
wpid=$!
sleep 3
run_cli post "hello watchers"
check "cli_post_exits_0" [ "$CLI_RC" -eq 0 ]
wait $wpid
wrc=$?
tr -d '\r' <"$watch_out" >"$watch_out.txt"
poster=$(sed -n 's/^#[0-9]* posted handle #\([0-9]*\): hello watchers$/\1/p' "$watch_out.txt")
check "cli_watch_windows_sees_open_post_close" eval '[ $wrc -eq 1 ] && [ -n "$poster" ] && \
	grep -q "opened handle #$poster\$" "$watch_out.txt" && grep -q "closed handle #$poster\$" "$watch_out.txt" && \
	grep -q "no event for 4000 ms" "$watch_out.txt"'
sed 's/^/# watch: /' "$watch_out.txt"
run_cli watch --json --timeout 100
check "cli_watch_windows_timeout_exits_1" eval '[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "no event for 100 ms"'
cli_cases_stats

printf '# == the client with bad input (defect 9) and the driver manager\n'
run_cli send
check "defect9_client_no_argument_gets_usage" eval \
	'[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "MESSAGE is missing" && has "$CLI_ERR" "usage: spotless send MESSAGE"'
long=$(printf 'x%.0s' $(seq 1 128))
run_cli send "$long"
check "defect9_client_128_byte_argument_gets_usage" eval \
	'[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "MESSAGE is 128 bytes; at most 127 fit"'
huge=$(printf 'y%.0s' $(seq 1 5000))
run_cli send "$huge"
check "defect9_client_5000_byte_argument_gets_usage" eval \
	'[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "MESSAGE is 5000 bytes"'
run_cli send "$(printf 'x%.0s' $(seq 1 127))"
check "cli_send_127_byte_message" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "Received buffer size: 22"'
run_cli
check "cli_without_command_prints_help_exits_2" eval '[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "usage: spotless [--device PATH] COMMAND"'
run_cli --help
check "cli_help_lists_commands" eval \
	'[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "send" && has "$CLI_OUT" "install" && has "$CLI_OUT" "status"'
run_cli send --help
check "cli_command_help" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "usage: spotless send MESSAGE"'
run_cli frobnicate
check "cli_unknown_command_exits_2" eval '[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "unknown command '"'"'frobnicate'"'"'"'
run_cli status
check "cli_status_running_exits_0" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "spotless: running"'
run_cli install "$(wine_path "$WIN_BUILD/spotless.sys")"
check "cli_install_twice_says_already_installed" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "cannot install the driver" && has "$CLI_ERR" "installed already"'
# Wine loads any driver: no test-signing warning there (real Windows only).
check "cli_install_no_signing_warning_under_wine" eval '! has "$CLI_ERR" "test signing"'
run_cli start
check "cli_start_twice_says_running" eval '[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "the driver is running"'
run_cli remove
check "cli_remove_while_running_refused" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "cannot remove the driver" && has "$CLI_ERR" "spotless stop"'
# Windows unloads a driver only when no handle to its device is open, so
# 'spotless stop' refuses at once while one is, and says how many: here a
# watcher in another process (ended by the post's open event).
wine "$WIN_BUILD/spotless.exe" watch --count 1 --timeout 20000 >/dev/null 2>&1 &
wpid=$!
sleep 3
run_cli stop
check "cli_stop_refused_while_a_handle_is_open" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "in use" && has "$CLI_ERR" "1 other handle is open"'
run_cli post "bye"
wait $wpid
run_cli stop
check "cli_stop_exits_0" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "driver stopped"'
run_cli send "$DEMO_MESSAGE"
check "defect9_client_reports_driver_not_loaded" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "cannot open the device \\\\.\\SpotlessDeviceLink: " && has "$CLI_ERR" "(error 2)" && has "$CLI_ERR" "is the driver running?" && [ -z "$CLI_OUT" ]'
tut_rc=0
wine "$WIN_BUILD/tutorial_client.exe" "$DEMO_MESSAGE" >/dev/null 2>&1 || tut_rc=$?
check "tutorial_client_driver_not_loaded_exits_1" [ "$tut_rc" -eq 1 ]
run_cli stop
check "cli_stop_when_stopped_says_not_running" eval '[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "not running"'
run_cli status
check "cli_status_stopped_exits_3" eval '[ "$CLI_RC" -eq 3 ] && has "$CLI_OUT" "spotless: stopped"'
run_cli remove
check "cli_remove_exits_0" eval '[ "$CLI_RC" -eq 0 ] && has "$CLI_OUT" "driver removed"'
run_cli status
check "cli_status_not_installed_exits_4" eval '[ "$CLI_RC" -eq 4 ] && has "$CLI_OUT" "not installed"'
run_cli start
check "cli_start_not_installed_says_install" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "spotless install PATH"'
run_cli install 'Z:\no\such\spotless.sys'
check "cli_install_missing_file_fails" eval \
	'[ "$CLI_RC" -eq 1 ] && has "$CLI_ERR" "cannot install the driver: " && has "$CLI_ERR" "(error 3)"'
run_cli install
check "cli_install_without_path_gets_usage" eval '[ "$CLI_RC" -eq 2 ] && has "$CLI_ERR" "usage: spotless install PATH"'
run_cli --version
check "cli_version_names_program_and_library" eval \
	'[ "$CLI_RC" -eq 0 ] && [ "$CLI_OUT" = "$(printf "spotless %s\nlibspotless %s" "$VERSION" "$VERSION")" ]'

# The primitive driver's INF, processed by Wine's SetupAPI (InstallHinfSection
# of DefaultInstall.NTamd64): the service it adds, and the driver it copied
# answering. Wine's behaviour, not Windows': Windows installs the package
# with pnputil and a signed catalog, and knows DIRID 13 (the driver store),
# which Wine 8 resolves to system32\unknown.
printf '# == the INF under Wine'"'"'s SetupAPI\n'
INF_DIR="$ROOT/build/logs/inf"
rm -rf "$INF_DIR"
mkdir -p "$INF_DIR"
cp "$WIN_BUILD/spotless.inf" "$SIGNED/spotless.sys" "$INF_DIR/"
"$WINE64" rundll32 setupapi.dll,InstallHinfSection DefaultInstall.NTamd64 128 \
	"$(wine_path "$INF_DIR/spotless.inf")" >/dev/null 2>&1
inf_service=$("$WINE64" reg query 'HKLM\System\CurrentControlSet\Services\spotless' 2>/dev/null | tr -d '\r')
check "wine_setupapi_inf_adds_the_kernel_service_demand_start" eval \
	'printf "%s\n" "$inf_service" | grep -Eq "^ +Type +REG_DWORD +0x1$" &&
	 printf "%s\n" "$inf_service" | grep -Eq "^ +Start +REG_DWORD +0x3$" &&
	 printf "%s\n" "$inf_service" | grep -Eq "^ +ErrorControl +REG_DWORD +0x1$" &&
	 printf "%s\n" "$inf_service" | grep -Eq "ImagePath +REG_SZ +.*spotless.sys$"'
run_cli start
check "wine_setupapi_inf_installed_driver_starts" eval '[ "$CLI_RC" -eq 0 ]'
dll_rc=0
dll_out=$(wine "$WIN_BUILD/example_dll.exe" 2>&1 | tr -d '\r') || dll_rc=$?
check "dll_program_exchanges_through_spotless_dll" eval \
	'[ $dll_rc -eq 0 ] && has "$dll_out" "library $VERSION (built with $VERSION)" &&
	 has "$dll_out" "reply ohai from them kernelz (22 bytes)"'
check "dll_program_imports_spotless_dll" eval \
	'x86_64-w64-mingw32-objdump -p "$WIN_BUILD/example_dll.exe" | grep "DLL Name: spotless.dll" >/dev/null'
run_cli stop
run_cli remove
check "wine_setupapi_inf_installed_driver_stops_and_is_removed" eval '[ "$CLI_RC" -eq 0 ]'
rm -rf "$WINEPREFIX/drive_c/windows/system32/unknown"

# METHOD_NEITHER's fault path: the test build of the driver (never shipped)
# reads an unmapped address inside its __try when asked to; the handler runs
# and the driver answers afterwards. The shipped image has no such hook.
DRIVER_IMAGE="$WIN_BUILD/test/spotless.sys" driver_load >/dev/null
suite "driver end-to-end tests, test build: METHOD_NEITHER fault caught" \
	wine "$WIN_BUILD/test_driver.exe" --test-build
driver_unload >/dev/null
check "neither_test_hook_only_in_the_test_build" eval \
	'! grep -q "spotless:fault" "$WIN_BUILD/spotless.sys" && grep -q "spotless:fault" "$WIN_BUILD/test/spotless.sys"'

# make bench's peer under Wine, the tutorial's own driver: it must do the
# tutorial's exchange for the comparison to mean anything.
DRIVER_IMAGE="$WIN_BUILD/tutorial_driver.sys" driver_load >/dev/null
tut_rc=0
tut_out=$(wine "$WIN_BUILD/tutorial_client.exe" "$DEMO_MESSAGE" 2>/dev/null | tr -d '\r') || tut_rc=$?
check "bench_peer_tutorial_driver_does_the_exchange" eval \
	'[ "$tut_rc" -eq 0 ] && [ "$tut_out" = "$EXPECTED_EXCHANGE" ]'
driver_unload >/dev/null

wine_down
trap - EXIT

# ---- The driver's log --------------------------------------------------------
printf '# == driver log (%s)\n' "${DRIVER_LOG#"$ROOT"/}"
log_has() { grep -qxF "$1" "$DRIVER_LOG"; }
check "log_driver_loaded" log_has 'spotless: driver loaded from \Registry\Machine\System\CurrentControlSet\Services\spotless'
check "defect7_log_names_the_device" log_has 'spotless: device \Device\SpotlessDevice created'
check "log_symbolic_link_created" log_has 'spotless: symbolic link \??\SpotlessDeviceLink created'
check "defect8_device_dacl_admits_system_and_administrators_only" \
	log_has 'spotless: device DACL read back: allow SYSTEM 0x001f01ff, allow Administrators 0x001f01ff'
check "log_handle_opened" log_has 'spotless: handle opened'
check "log_ioctl_code" log_has 'spotless: IOCTL 0x00228124 issued'
NEITHER_FAULT_LINE="spotless: IOCTL 0x0022e023 refused: the caller's input is not readable (0xc0000005)"
check "log_neither_fault_caught" eval 'log_has "$NEITHER_FAULT_LINE"'
check "log_input_received" log_has "spotless: input received (33 bytes): \"$DEMO_MESSAGE\""
check "log_reply_sent" log_has 'spotless: reply sent (22 bytes): "ohai from them kernelz"'
check "log_handle_closed" log_has 'spotless: handle closed'
check "log_driver_unloaded" log_has 'spotless: driver unloaded'
check "log_unknown_code_refused" log_has 'spotless: IOCTL 0xffffffff refused: unknown control code (in 128, out 128 bytes)'
check "log_long_message_bounded_and_marked" eval \
	"grep -qE '^spotless: input received \(4096 bytes\): \"[a-z]{127}\" \(truncated\)$' \"\$DRIVER_LOG\""
check "log_messages_at_most_127_characters" eval \
	"! grep -E '^spotless: input received' \"\$DRIVER_LOG\" | grep -qE '\"[^\"]{128,}\"'"
check "log_lines_under_512_bytes" eval "! awk 'length(\$0) >= 512 { bad = 1 } END { exit !bad }' \"\$DRIVER_LOG\""
# Defect 4: the twin service's IoCreateDevice failed and the load stopped there.
check "defect4_failed_device_creation_is_logged" eval \
	"grep -qE '^spotless: creating device .Device.SpotlessDevice failed: 0x[0-9a-f]{8}$' \"\$DRIVER_LOG\""
# Defect 5: every unload deletes the link before the device (waits that
# were still pending are cancelled in between).
check "defect5_unload_deletes_link_before_device" eval "awk '
	/^spotless: device deleted$/ { n++; if (prev != \"spotless: symbolic link \\\\??\\\\SpotlessDeviceLink deleted\") bad = 1 }
	!/^spotless: event wait cancelled at unload$/ { prev = \$0 }
	END { exit (bad || n < 20) }' \"\$DRIVER_LOG\""
# test_event_unload_with_waits_pending left two waits for the unload to end;
# the handles closed with waits pending had theirs ended at close.
check "log_unload_cancels_pending_waits" eval \
	"[ \"\$(grep -c '^spotless: event wait cancelled at unload$' \"\$DRIVER_LOG\")\" -ge 2 ]"
check "log_close_cancels_pending_waits" log_has 'spotless: event wait cancelled: its handle is closing'
loads=$(grep -c '^spotless: driver loaded from .*spotless$' "$DRIVER_LOG")
unloads=$(grep -c '^spotless: driver unloaded$' "$DRIVER_LOG")
check "log_every_load_has_its_unload" eval '[ "$loads" -ge 21 ] && [ "$loads" -eq "$unloads" ]'

# ---- The docs against the program; the README's demo against a real run ---
suite "docs: usage, man pages, links, licences" tests/docs/check_docs.sh
suite "README's demo output" tests/docs/check_demo.sh

# ---- 5. In QEMU, against the loaded spotless.ko ------------------------------
# Debian's 6.1 first (its module log is checked below), then the debug kernel
# (KASAN, lockdep, kmemleak, UBSAN, fault injection; a 10^5-request storm),
# the KCSAN kernel (a planted race found first), Debian 12 backports' 6.12
# and its PREEMPT_RT build, and Debian unstable's newest.
MODULE_LOG="$ROOT/build/logs/module.log"
for kernel_name in 6.1 debug kcsan 6.12 6.12-rt newest; do
	storm=10000
	[ "$kernel_name" = debug ] && storm=100000
	printf '# == QEMU: the module on kernel %s\n' "$kernel_name"
	guest_out="$ROOT/build/logs/guest-$kernel_name.txt"
	# The harness's own progress ("[qemu] ...", "[debug-kernel] building ...,
	# about 10 minutes") shows as it happens; everything goes to the file.
	: >"$guest_out"
	guest_suite "$kernel_name" "$storm" 2>&1 >>"$guest_out" |
		tee -a "$guest_out" | grep -E '^\[(qemu|debug-kernel)\]'
	tee -a "$RESULTS" <"$guest_out" | grep -vE '^ok - |^\[(qemu|debug-kernel)\]'
	if [ "$kernel_name" = 6.1 ]; then
		sed -n 's/^\[[ 0-9.]*\] \(spotless: .*\)$/\1/p' "$ROOT/build/logs/qemu-6.1-kernel.log" \
			>"$MODULE_LOG"
	fi
done

printf '# == module log (%s)\n' "${MODULE_LOG#"$ROOT"/}"
mlog_has() { grep -qxF "$1" "$MODULE_LOG"; }
check "module_log_driver_loaded" mlog_has 'spotless: driver loaded'
check "module_log_device_created" mlog_has 'spotless: device /dev/spotless created, mode 0600'
check "module_log_handle_opened" mlog_has 'spotless: handle opened'
check "module_log_ioctl_issued" mlog_has 'spotless: ioctl 0xc030d501 issued'
check "module_log_input_received" mlog_has "spotless: input received (33 bytes): \"$DEMO_MESSAGE\""
check "module_log_reply_sent" mlog_has 'spotless: reply sent (22 bytes): "ohai from them kernelz"'
check "module_log_handle_closed" mlog_has 'spotless: handle closed'
check "module_log_device_removed" mlog_has 'spotless: device /dev/spotless removed'
check "module_log_driver_unloaded" mlog_has 'spotless: driver unloaded'
check "module_log_mode_as_the_node_gets_it" eval \
	'! grep -qE "^spotless: device /dev/spotless created, mode 0*\$" "$MODULE_LOG"'
check "module_log_bad_mode_refused" mlog_has 'spotless: load refused: mode 0777 has bits other than read and write'
# A refused load logs no "driver loaded": every load the log shows is unloaded.
check "module_log_every_load_has_its_unload" eval \
	'[ "$(grep -cx "spotless: driver loaded" "$MODULE_LOG")" -eq "$(grep -cx "spotless: driver unloaded" "$MODULE_LOG")" ]'
check "module_log_long_message_bounded_and_marked" eval \
	"grep -qE '^spotless: input received \(4096 bytes\): \"[a-z]{127}\" \(truncated\)$' \"\$MODULE_LOG\""
check "module_log_messages_at_most_127_characters" eval \
	"! grep -E '^spotless: input received' \"\$MODULE_LOG\" | grep -qE '\"[^\"]{128,}\"'"

# ---- 6. The packages, installed as a user installs them ---------------------
# The .debs (lintian included) installed with apt into a debootstrap'd Debian
# 12 booted in QEMU: DKMS, the udev rule, group access, purge. The first run
# makes the root filesystem (about 7 minutes, cached in ~/.cache/spotless).
printf '# == packages: the .debs in a Debian 12 guest (make package-test)\n'
pkg_out="$ROOT/build/logs/package-test.txt"
scripts/package/test.sh 2>"$pkg_out.progress" >"$pkg_out" &
pkg_pid=$!
tail -f --pid="$pkg_pid" "$pkg_out.progress" 2>/dev/null |
	grep --line-buffered -E '^\[(rootfs|package-test)\]'
pkg_rc=0
wait "$pkg_pid" || pkg_rc=$?
tee -a "$RESULTS" <"$pkg_out" | grep -v '^ok - '
if [ "$pkg_rc" -ne 0 ] && ! grep -q '^not ok - ' "$pkg_out"; then
	not_ok "package_test_exits_0" "exit status $pkg_rc; its progress: ${pkg_out#"$ROOT"/}.progress"
fi

# ---- Total ---------------------------------------------------------------------
tap_summary "$START"
