# Runs inside the QEMU guest (busybox sh, as root, from /spotless), with the
# module spotless.ko, the static spotless CLI and the test programs beside it.
# Prints "ok - " / "not ok - " lines, and the kernel log between markers.

DEMO_MESSAGE="spotless saying ola from userland"

# What the host asks of this run (scripts/lib/guest_suite.sh writes it):
# STORM_REQUESTS, and DEBUG_CHECKS=1 on a debug kernel (kmemleak scans,
# fault injection).
STORM_REQUESTS=10000
DEBUG_CHECKS=0
PLANTED=0
[ -f /spotless/params.sh ] && . /spotless/params.sh

# The KCSAN guest first runs a build with a race planted in the core's
# counters (4 threads of requests), which the detector must report; the host
# reads the reports before the marker (scripts/lib/guest_suite.sh).
if [ "$PLANTED" = 1 ]; then
	echo "# == a race planted in the module, for KCSAN to find"
	insmod ./planted.ko
	./spotless_storm --requests 20000 --threads 4 --seed 1 >/dev/null 2>&1
	rmmod spotless
	echo "<3>SPOTLESS-PLANTED-END" >/dev/kmsg	# an error's level: on the console
fi

FAILED=0
ok() { echo "ok - $1"; }
not_ok() {
	echo "not ok - $1"
	FAILED=1
}
check() {
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# cli ARGS...: runs the CLI; sets OUT, ERR, RC.
cli() {
	./spotless "$@" >/tmp/out 2>/tmp/err
	RC=$?
	OUT=$(cat /tmp/out)
	ERR=$(cat /tmp/err)
}
has() { case "$1" in *"$2"*) return 0 ;; *) return 1 ;; esac; }
# The CLI's cases shared with the Windows run (tests/cli_cases.sh).
. ./cli_cases.sh

echo "# == module load and the tutorial exchange"
cli install ./spotless.ko
check "cli_install_loads_the_module" eval '[ "$RC" -eq 0 ] && [ -c /dev/spotless ]'
check "device_node_mode_0600" eval '[ "$(stat -c %a /dev/spotless)" = 600 ]'
# _IOWR(0xD5, 0x01, 48-byte struct): direction 3 << 30, size 48 << 16.
code=0xc030d501
cli send "$DEMO_MESSAGE"
expected="> Issuing IOCTL_SPOTLESS $code
> IOCTL_SPOTLESS $code issued
> Received from the kernel land: ohai from them kernelz. Received buffer size: 22"
check "cli_send_prints_the_tutorial_lines" eval '[ "$RC" -eq 0 ] && [ "$OUT" = "$expected" ]'
echo "$OUT" | sed 's/^/# /'
# The CLI's operands: after "--" even "-h" is a MESSAGE; before it, an
# option the command lacks is bad usage.
cli send -- -h
check "cli_send_after_double_dash_sends_dash_h" eval '[ "$RC" -eq 0 ] && \
	has "$OUT" "Received from the kernel land" && ! has "$OUT" "usage:" && \
	dmesg | grep -q "input received (2 bytes): \"-h\""'
cli send -x
check "cli_send_unknown_option_gets_usage" eval '[ "$RC" -eq 2 ] && has "$ERR" "unknown option -x"'
cli batch /nonexistent
check "cli_batch_unreadable_file_says_why" eval '[ "$RC" -eq 1 ] && \
	has "$ERR" "cannot read /nonexistent: No such file or directory"'
cli start --help
check "cli_start_help_says_linux_loads_by_install" eval '[ "$RC" -eq 0 ] && \
	has "$OUT" "on Linux '"'"'install'"'"' loads the module"'
cli install --help
check "cli_install_help_second_line_not_indented" eval '[ "$RC" -eq 0 ] && \
	printf "%s\n" "$OUT" | grep -qx "demand start; Linux: load the module)"'

echo "# == module end-to-end tests (64-bit)"
./test_module || FAILED=1
echo "# == module end-to-end tests (32-bit, compat_ioctl)"
./test_module32 || FAILED=1
echo "# == a program built against 0.4.0's headers"
./client_040 || FAILED=1
echo "# == IOCTL storm (Linux), $STORM_REQUESTS requests, fixed seed"
./spotless_storm --requests "$STORM_REQUESTS" --seed 1 || FAILED=1

echo "# == the example driver (examples/hello) beside spotless"
insmod ./hello.ko
check "hello_module_loads_beside_spotless" eval '[ -c /dev/hello ] && [ -c /dev/spotless ]'
./test_hello || FAILED=1
check "hello_client_greets" eval '[ "$(./hello_client world)" = "hello, world" ]'
cli --device hello call 0x00223000 world
check "cli_call_reaches_another_device" eval '[ "$RC" -eq 0 ] && has "$OUT" "answer 12 bytes" && \
	has "$OUT" "hello, world"'
cli call 0x00223000 world
check "cli_call_spotless_refuses_hellos_command" eval '[ "$RC" -eq 1 ] && \
	has "$ERR" "kind: unknown_command"'
rmmod hello
check "hello_module_unloads_spotless_stays" eval '[ ! -e /dev/hello ] && [ -c /dev/spotless ]'

# kmemleak_scan NAME: with the module loaded (so that its frames have
# names), two scans; no unreferenced object may have been allocated from it.
# Objects younger than 5 s are not reported: wait that long first.
kmemleak_scan() {
	grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
	if [ ! -w /sys/kernel/debug/kmemleak ]; then
		not_ok "kmemleak_$1_nothing_from_spotless"
		echo "#   no /sys/kernel/debug/kmemleak in this kernel"
		return
	fi
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.txt
	leaks=$(grep -c '\[spotless\]\|\[hello\]' /tmp/kmemleak.txt)
	echo "# kmemleak $1: $(grep -c '^unreferenced object' /tmp/kmemleak.txt) unreferenced objects in all, $leaks frames from spotless"
	[ "$leaks" -eq 0 ] || sed 's/^/# kmemleak: /' /tmp/kmemleak.txt | head -n 80
	check "kmemleak_$1_nothing_from_spotless" [ "$leaks" -eq 0 ]
}
[ "$DEBUG_CHECKS" = 1 ] && kmemleak_scan after_e2e_and_storm

echo "# == an unknown ioctl: counted, refused, not logged"
# The device's count of unknown requests (the first "unknown" of the JSON).
unknown_count() { ./spotless stats --json | sed -n 's/^[^}]*"unknown":\([0-9]*\).*/\1/p'; }
before=$(dmesg | grep -c 'spotless: ioctl .*refused')
count_before=$(unknown_count)
i=0
while [ "$i" -lt 20 ]; do
	tty </dev/spotless >/dev/null 2>&1	# isatty(): TCGETS, not ours
	i=$((i + 1))
done
check "unknown_ioctl_isatty_not_logged" [ "$(dmesg | grep -c 'spotless: ioctl .*refused')" -eq "$before" ]
check "unknown_ioctl_isatty_counted" [ "$(unknown_count)" -eq "$((count_before + 20))" ]

echo "# == refusals of our own requests: logged from a budget of 10 lines in 5 s"
# The budget may be partly spent by the tests above: at most 10 lines in each
# 5 s window the burst overlaps, and still counted, and the device answering.
before=$(dmesg | grep -c 'spotless: ioctl .*refused: unknown control code')
count_before=$(unknown_count)
start=$(date +%s)
i=0
while [ "$i" -lt 40 ]; do
	./spotless call 0x00223FFC >/dev/null 2>&1
	i=$((i + 1))
done
windows=$(( ($(date +%s) - start) / 5 + 2 ))
logged=$(( $(dmesg | grep -c 'spotless: ioctl .*refused: unknown control code') - before ))
echo "# 40 refusals: $logged lines logged, in at most $windows windows of 5 s"
check "refusal_log_within_its_budget" [ "$logged" -le $((windows * 10)) ]
check "refusals_beyond_the_log_budget_still_counted" [ "$(unknown_count)" -eq "$((count_before + 40))" ]
check "device_answers_after_refusal_burst" eval './spotless info >/dev/null'

echo "# == protocol v1 from the CLI"
cli_cases_call
cli info
echo "$OUT" | grep 'per handle' | sed 's/^/# /'
check "cli_info_linux" eval '[ "$RC" -eq 0 ] && has "$OUT" "os           Linux" && \
	has "$OUT" "capabilities message info stats echo batch events" && has "$OUT" "max echo     1048576 bytes"'
# The module's CRC32C is the kernel's crc32c(), whose x86 code (crc32c-intel
# before 6.14, the CRC library's after) runs where /proc/cpuinfo lists
# sse4_2; crc32c_instruction must say so, and nothing where not.
if grep -qw sse4_2 /proc/cpuinfo; then
	echo "# crc32c: this CPU has SSE4.2, the kernel's crc32c() uses the crc32 instruction"
	check "crc32c_instruction_when_the_cpu_has_sse4_2" has "$OUT" "events crc32c_instruction"
else
	echo "# crc32c: this CPU has no SSE4.2, the kernel's crc32c() uses its table"
	check "crc32c_table_when_the_cpu_lacks_sse4_2" eval '! has "$OUT" "crc32c_instruction"'
fi
cli echo
check "cli_echo_linux_one_method" eval '[ "$RC" -eq 0 ] && \
	[ "$OUT" = "echo buffered       4096 bytes there and back, identical, crc32c 0x43491be8 matches" ]'
cli echo --size 1M
check "cli_echo_1_mib" eval '[ "$RC" -eq 0 ] && has "$OUT" "1048576 bytes there and back, identical"'
cli echo --method out_direct
check "cli_echo_direct_method_not_on_linux" eval \
	'[ "$RC" -eq 1 ] && has "$ERR" "does not offer out_direct (transfer methods are a Windows notion"'
cli echo --size 2M
check "cli_echo_over_limit_gets_usage" eval '[ "$RC" -eq 2 ] && \
	has "$ERR" "is not a size (bytes, K or M) from 0 to 1048576"'
cli_cases_options
printf 'message hello\n# a comment\ninfo\necho 1000\ncode 0x1234\nstats\n' >/tmp/requests
cli batch /tmp/requests
check "cli_batch_answers_each_request" eval '[ "$RC" -eq 1 ] && \
	has "$OUT" "#1   message          ok: ohai from them kernelz (22 bytes)" && \
	has "$OUT" "#3   echo             ok: 1000 bytes back, identical" && \
	has "$OUT" "#4   code 0x00001234  failed: unknown control code" && \
	has "$OUT" "batch: 5 requests in one call, 1 failed"'
printf 'message one\nmessage two\n' | ./spotless batch >/tmp/out 2>/tmp/err
RC=$? OUT=$(cat /tmp/out)
check "cli_batch_from_stdin_all_ok" eval '[ "$RC" -eq 0 ] && has "$OUT" "2 requests in one call, 0 failed"'
printf 'info\nfrobnicate\n' >/tmp/requests
cli batch /tmp/requests
check "cli_batch_bad_line_gets_usage" eval \
	'[ "$RC" -eq 2 ] && has "$ERR" "/tmp/requests:2: not a request" && [ -z "$OUT" ]'
cli bench --only latency --reps 3 --ms 5 --csv /tmp/bench.csv
check "cli_bench_latency_rows_and_csv" eval '[ "$RC" -eq 0 ] && has "$OUT" "vs refused_request" && \
	has "$OUT" "latency  null_syscall" && [ "$(head -n 1 /tmp/bench.csv)" = \
	"group,case,bytes,threads,unit,median,min,max,baseline,baseline_median,ratio" ] && \
	has "$OUT" "latency  info" && [ "$(grep -c "^latency," /tmp/bench.csv)" -eq 5 ]'
cli bench --only events --reps 3 --ms 5
check "cli_bench_event_rows" eval '[ "$RC" -eq 0 ] && has "$OUT" "events   post_to_waiter" && \
	has "$OUT" "vs message"'
cli bench --only queue --reps 3 --ms 5
check "cli_bench_queue_rows" eval '[ "$RC" -eq 0 ] && \
	[ "$(printf "%s\n" "$OUT" | grep -c "^queue  *queue_echo_64_depth_[0-9]* .*vs single_echo_64")" -eq 4 ]'
cli bench --only nope
check "cli_bench_bad_group_gets_usage" eval '[ "$RC" -eq 2 ] && has "$ERR" "--only is latency, bulk, batch, queue, threads, events, exchange or peer"'
# A watcher in one process sees what another posts, between its open and close.
./spotless watch --count 3 --timeout 20000 >/tmp/watch.out 2>&1 &
wpid=$!
sleep 1
cli post "hello watchers"
check "cli_post_exits_0" [ "$RC" -eq 0 ]
wait $wpid
wrc=$?
check "cli_watch_sees_open_post_close" eval '[ $wrc -eq 0 ] && [ "$(grep -c "" /tmp/watch.out)" -eq 3 ] && \
	grep -q "opened handle #" /tmp/watch.out && grep -q "posted handle #[0-9]*: hello watchers" /tmp/watch.out && \
	grep -q "closed handle #" /tmp/watch.out'
sed 's/^/# watch: /' /tmp/watch.out
./spotless watch --json --count 2 --timeout 20000 >/tmp/watch.out 2>&1 &
wpid=$!
sleep 1
cli post "in json"
wait $wpid
wrc=$?
check "cli_watch_json" eval '[ $wrc -eq 0 ] && grep -q "\"kind\":\"posted\",\"source\":[0-9]*,\"lost\":0,\"timestamp_ns\":[0-9]*,\"message\":\"in json\"" /tmp/watch.out'
cli watch --timeout 200
check "cli_watch_timeout_exits_1" eval '[ "$RC" -eq 1 ] && has "$ERR" "no event for 200 ms"'
cli post "$(printf 'p%.0s' $(seq 1 65))"
check "cli_post_65_bytes_gets_usage" eval '[ "$RC" -eq 2 ] && has "$ERR" "MESSAGE is 1 to 64 bytes"'
cli_cases_stats

# Opens are logged as the tutorial logs them, from a budget: 300 opens in a
# row must not write 300 lines (a user of a relaxed mode cannot flood the log).
before=$(dmesg | grep -c 'spotless: handle opened')
i=0
while [ $i -lt 300 ]; do
	exec 4<>/dev/spotless
	exec 4>&-
	i=$((i + 1))
done
after=$(dmesg | grep -c 'spotless: handle opened')
echo "# 300 opens wrote $((after - before)) 'handle opened' lines"
check "open_log_lines_rate_limited" [ $((after - before)) -le 60 ]

echo "# == the client with bad input, and the module manager"
cli send
check "cli_send_no_argument_gets_usage" eval '[ "$RC" -eq 2 ] && has "$ERR" "MESSAGE is missing"'
cli send "$(printf 'x%.0s' $(seq 1 128))"
check "cli_send_128_byte_argument_gets_usage" eval '[ "$RC" -eq 2 ] && has "$ERR" "at most 127 fit"'
cli status
check "cli_status_loaded_exits_0" eval '[ "$RC" -eq 0 ] && has "$OUT" "spotless: running (0 open handles)"'
cli install ./spotless.ko
check "cli_install_twice_says_loaded" eval \
	'[ "$RC" -eq 1 ] && has "$ERR" "File exists (error 17)" && has "$ERR" "installed already"'
cli start
check "cli_start_not_supported_on_linux" eval '[ "$RC" -eq 1 ] && has "$ERR" "not supported on Linux"'
# rmmod with a handle open is refused; the module keeps answering.
exec 3<>/dev/spotless
cli status
check "cli_status_counts_open_handles" eval 'has "$OUT" "(1 open handle)"'
cli remove
check "cli_remove_with_handle_open_refused" eval \
	'[ "$RC" -eq 1 ] && has "$ERR" "cannot remove the driver" && has "$ERR" "still open"'
rmmod spotless 2>/dev/null
check "rmmod_with_handle_open_refused" [ -c /dev/spotless ]
exec 3>&-
cli send "$DEMO_MESSAGE"
check "module_answers_after_refused_unload" [ "$RC" -eq 0 ]
# rmmod with a watcher blocked in WAIT_EVENT: refused (the watcher's open
# file holds the module); the watcher still gets the next event, and a
# signal ends its wait.
./spotless watch >/tmp/waiter.out 2>&1 &
waiter=$!
sleep 1
rmmod spotless 2>/dev/null
check "rmmod_with_blocked_waiter_refused" [ -c /dev/spotless ]
cli post "after rmmod"
sleep 1
check "blocked_waiter_gets_the_next_event" grep -q "posted handle #[0-9]*: after rmmod" /tmp/waiter.out
# (SIGTERM: a background job of a non-interactive shell ignores SIGINT.)
kill -TERM $waiter
ended=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	kill -0 $waiter 2>/dev/null || { ended=1; break; }
	sleep 0.5
done
kill -KILL $waiter 2>/dev/null
wait $waiter
check "blocked_waiter_ends_on_a_signal" [ $ended -eq 1 ]
cli remove
check "cli_remove_unloads" eval '[ "$RC" -eq 0 ] && [ ! -e /dev/spotless ]'
cli status
check "cli_status_not_loaded_exits_4" eval '[ "$RC" -eq 4 ] && has "$OUT" "not installed"'
cli send "$DEMO_MESSAGE"
check "cli_send_module_not_loaded" eval \
	'[ "$RC" -eq 1 ] && has "$ERR" "No such file or directory (error 2)" && has "$ERR" "is the driver running?"'
cli remove
check "cli_remove_when_not_loaded" eval '[ "$RC" -eq 1 ] && has "$ERR" "the spotless module is not loaded"'
cli install /spotless/no-such.ko
check "cli_install_missing_file" eval '[ "$RC" -eq 1 ] && has "$ERR" "No such file or directory (error 2)"'
cli install /bin/busybox
check "cli_install_not_a_module" eval \
	'[ "$RC" -eq 1 ] && has "$ERR" "(error 8)" && has "$ERR" "not a driver for this kernel"'
# Where crc32c() is libcrc32c's (a module before 6.14), spotless.ko depends
# on it, and install loads it first, as modprobe would; where it cannot, it
# says what is missing. (From 6.14, and in the debug kernels, it is built in.)
if [ ! -e /sys/module/libcrc32c/initstate ]; then
	echo "# crc32c() is built into this kernel: spotless.ko depends on no module"
	check "module_depends_on_nothing_when_crc32c_is_built_in" \
		eval '[ -z "$(modinfo -F depends ./spotless.ko)" ]'
else
	check "module_depends_on_libcrc32c" eval '[ "$(modinfo -F depends ./spotless.ko)" = libcrc32c ]'
	rmmod libcrc32c
	cli install ./spotless.ko
	check "cli_install_loads_libcrc32c_first" eval \
		'[ "$RC" -eq 0 ] && [ -e /sys/module/libcrc32c/initstate ] && [ -e /dev/spotless ]'
	cli remove
	kmods=/lib/modules/$(uname -r)
	mv "$kmods/modules.dep" "$kmods/modules.dep.away"
	rmmod libcrc32c
	cli install ./spotless.ko
	check "cli_install_without_its_dependency_says_so" eval \
		'[ "$RC" -eq 1 ] && [ ! -e /sys/module/spotless ] && has "$ERR" "a module it depends on is not loaded"'
	mv "$kmods/modules.dep.away" "$kmods/modules.dep"
	modprobe libcrc32c
fi
insmod ./spotless.ko mode=0777 2>/dev/null
check "module_mode_with_execute_bits_refused" [ ! -e /sys/module/spotless ]
insmod ./spotless.ko mode=0666
check "module_mode_parameter_widens_the_node" eval '[ "$(stat -c %a /dev/spotless)" = 666 ]'
rmmod spotless
# mode=0 is "no mode given": the node stays root only.
insmod ./spotless.ko mode=0
check "module_mode_0_leaves_the_default" eval '[ "$(stat -c %a /dev/spotless)" = 600 ]'
rmmod spotless
# log=0: the exchange still works and leaves its three lines out of the
# log; the parameter is writable, and 1 brings them back at once.
insmod ./spotless.ko log=0
LOG_OFF_LINES='input received (7 bytes): "log off"'
LOG_ON_LINE='input received (6 bytes): "log on"'
cli send "log off"
check "module_log_0_exchange_still_answers" eval '[ "$RC" -eq 0 ] && has "$OUT" "ohai from them kernelz"'
check "module_log_0_leaves_the_exchange_out" eval '[ "$(dmesg | grep -cF "$LOG_OFF_LINES")" -eq 0 ]'
echo 1 >/sys/module/spotless/parameters/log
cli send "log on"
check "module_log_1_at_run_time_logs_it_again" eval '[ "$(dmesg | grep -cF "$LOG_ON_LINE")" -ge 1 ]'
rmmod spotless

echo "# == load / unload churn: 200 cycles with clients, rmmod tried with a handle open"
failures=0
leaks=0
i=0
while [ $i -lt 200 ]; do
	./spotless install ./spotless.ko >/dev/null 2>&1 || failures=$((failures + 1))
	exec 3<>/dev/spotless || failures=$((failures + 1))
	# A handle is open: the module must stay.
	rmmod spotless 2>/dev/null && failures=$((failures + 1))
	./spotless send "cycle $i" >/dev/null 2>&1 || failures=$((failures + 1))
	./spotless echo --size 4K >/dev/null 2>&1 || failures=$((failures + 1))
	# Ours (fd 3) and the stats command's own: two handles, two allocations.
	./spotless stats --json 2>/dev/null | grep -q '"open_handles":2,"outstanding_allocations":2,' ||
		leaks=$((leaks + 1))
	exec 3>&-
	./spotless remove >/dev/null 2>&1 || failures=$((failures + 1))
	i=$((i + 1))
done
echo "# churn: 200 cycles, $failures failures, $leaks leaks"
check "two_hundred_load_unload_cycles_with_clients" [ $failures -eq 0 ]
check "churn_no_leaked_allocations" [ $leaks -eq 0 ]
if [ "$DEBUG_CHECKS" = 1 ]; then
	echo "# == fault injection: the n-th allocation or user copy fails, n = 1, 2, ..."
	mount | grep -q ' /sys/kernel/debug ' || mount -t debugfs none /sys/kernel/debug
	# GFP_KERNEL allocations may sleep: fail them too; and say nothing per failure.
	# verbose 2: each failure logs its stack, from which the call site is read.
	for attr in failslab fail_page_alloc fail_usercopy; do
		[ -d /sys/kernel/debug/$attr ] || continue
		echo 2 >/sys/kernel/debug/$attr/verbose
		[ -f /sys/kernel/debug/$attr/ignore-gfp-wait ] &&
			echo N >/sys/kernel/debug/$attr/ignore-gfp-wait
	done
	insmod ./spotless.ko
	lines_before=$(dmesg | wc -l)
	./fault_injection || FAILED=1
	# The call site of each failure: the first frame of the module in its
	# stack, or "outside spotless" (the VFS's open, a syscall's own copy).
	dmesg | tail -n +$((lines_before + 1)) | awk '
		/FAULT_INJECTION: forcing a failure/ { if (open) site["outside spotless"]++; open = 1; next }
		open && /\[spotless\]/ && !/^[^a-z_]*\? / { f = $0; sub(/^\[[^]]*\] */, "", f);
			sub(/^ */, "", f); sub(/\+0x.*/, "", f); site[f]++; open = 0 }
		END { if (open) site["outside spotless"]++
			for (f in site) printf "# fault site: %-32s %d\n", f, site[f] }' | sort
	for attr in failslab fail_page_alloc fail_usercopy; do
		[ -d /sys/kernel/debug/$attr ] && echo 0 >/sys/kernel/debug/$attr/verbose
	done
	kmemleak_scan after_fault_injection
	rmmod spotless
fi

echo "# == a kernel that enforces module signatures"
if [ -w /sys/module/module/parameters/sig_enforce ]; then
	# sig_enforce can be switched on (never off) at run time.
	echo 1 >/sys/module/module/parameters/sig_enforce
	cli install ./spotless.ko
	check "cli_install_warns_and_fails_when_signatures_are_enforced" eval \
		'[ "$RC" -eq 1 ] && has "$ERR" "warning: this kernel enforces module signatures" && has "$ERR" "refused the driver'"'"'s signature" && [ ! -e /dev/spotless ]'
	echo "$ERR" | sed 's/^/# /'
else
	echo "# skip: this kernel has no module signature checking (no sig_enforce)"
fi

# Any report of the kernel's checkers fails the run (a debug kernel prints
# KASAN, lockdep, UBSAN and sleeping-in-atomic reports; none may appear).
# KCSAN's are sorted by the host: the planted race's must be there, and the
# kernel's own (strict mode) are not ours.
check "no_kernel_warning_or_oops" eval '! dmesg | grep -v "BUG: KCSAN: " | \
	grep -qE "WARNING:|BUG:|Oops|general protection|UBSAN:|inconsistent lock state|possible (circular|recursive) locking"'

# The whole kernel log: the host keeps the module's lines, and shows all of
# it when a test failed.
echo "SPOTLESS-KLOG-BEGIN"
dmesg
echo "SPOTLESS-KLOG-END"
exit $FAILED
