# shellcheck shell=bash
# The module's whole suite in a QEMU guest, on one of the kernels of
# scripts/lib/kernels.sh: the module and the example driver built for that
# kernel (W=1, -Werror),
# the end-to-end tests (64- and 32-bit), the storm, churn, and on the debug
# kernel kmemleak scans and fault injection (scripts/guest/tests.sh).
# Sourced after qemu.sh and kernels.sh by tests/run.sh and
# scripts/verify-linux.sh.
#
# guest_suite NAME STORM_REQUESTS prints the guest's "ok - " / "not ok - "
# lines (named NAME_... except on 6.1, whose names are the suite's own) and
# its own checks; the kernel's console goes to build/logs/qemu-NAME.log and
# its log to build/logs/qemu-NAME-kernel.log. Returns non-zero on a failure.

# Lines of a kernel console that are a checker's report.
KERNEL_REPORT_RE='BUG: |WARNING:|UBSAN:|Oops|general protection|inconsistent lock state|possible (circular|recursive) locking|kmemleak: .* new suspected'

# kcsan_reports LOG FROM TO: the KCSAN reports of a console log between two
# marker lines (empty: its start, its end), one line each: "module" when a
# frame of the report is the module's ([spotless] or [hello]), else "kernel".
kcsan_reports() {
	awk -v from="$2" -v to="$3" '
		BEGIN { on = (from == "") }
		from != "" && index($0, from) { on = 1; next }
		to != "" && index($0, to) { on = 0 }
		!on { next }
		/BUG: KCSAN: / { if (inrep) print kind; inrep = 1; kind = "kernel" }
		inrep && /\[(spotless|hello)\]/ { kind = "module" }
		inrep && /==========$/ { print kind; inrep = 0 }
		END { if (inrep) print kind }' "$1"
}

guest_suite() {
	local name=$1 storm=$2 prefix="" dir ko hello_ko planted_ko="" params out log klog rc=0 start
	local debug=0 report_re=$KERNEL_REPORT_RE
	[ "$name" = 6.1 ] || prefix="${name//[.-]/_}_"
	[ "$name" = debug ] && debug=1
	dir="$LINUX_BUILD/kernels/$name"
	log="$QEMU_LOG_DIR/qemu-$name.log"
	klog="$QEMU_LOG_DIR/qemu-$name-kernel.log"
	out="$QEMU_LOG_DIR/qemu-$name.results"
	mkdir -p "$dir" "$QEMU_LOG_DIR"
	start=$(date +%s)

	if ! kernel_setup "$name"; then
		echo "not ok - ${prefix}kernel_available"
		return 1
	fi
	if [ "$name" = 6.1 ]; then
		ko="$LINUX_BUILD/module/spotless.ko"	# the Makefile's builds
		hello_ko="$LINUX_BUILD/hello/hello.ko"
	elif ! ko=$(module_build "$KERNEL_KDIR" "$dir/module") ||
		! hello_ko=$(module_build "$KERNEL_KDIR" "$dir/hello" example-tree.sh hello.ko); then
		echo "not ok - ${prefix}module_builds_with_werror"
		return 1
	else
		echo "ok - ${prefix}module_builds_with_werror"
	fi

	# KCSAN: first a build with a race planted in the core's counters, which
	# the detector must report before its silence on the real one counts.
	if [ "$name" = kcsan ]; then
		planted_ko=$(MODULE_MAKE_ARGS=SPOTLESS_PLANTED_RACE=y \
			module_build "$KERNEL_KDIR" "$dir/planted") || {
			echo "not ok - ${prefix}planted_race_module_builds"
			return 1
		}
		mkdir -p "$dir/planted-ko"
		cp "$planted_ko" "$dir/planted-ko/planted.ko"
		planted_ko="$dir/planted-ko/planted.ko"
	fi
	params="$dir/params.sh"
	printf 'STORM_REQUESTS=%s\nDEBUG_CHECKS=%s\nPLANTED=%s\n' "$storm" "$debug" \
		"$([ -n "$planted_ko" ] && echo 1 || echo 0)" >"$params"
	GUEST_KMODS=$KERNEL_IMAGE.kmods initramfs_build "$dir/tests.cpio.gz" "$SPOTLESS_ROOT/scripts/guest/tests.sh" \
		"$ko" "$LINUX_BUILD/spotless" "$LINUX_BUILD/test_module" \
		"$LINUX_BUILD/test_module32" "$LINUX_BUILD/spotless_storm" \
		"$LINUX_BUILD/fault_injection" "$hello_ko" "$LINUX_BUILD/test_hello" \
		"$LINUX_BUILD/hello_client" "$LINUX_BUILD/client_040" \
		"$SPOTLESS_ROOT/tests/cli_cases.sh" $planted_ko "$params"
	# Two CPUs: the races of the suite run their sides on different ones.
	# KCSAN's strict mode reports the kernel's own races too: they must not
	# end the guest (and i8042's at boot are not looked for at all).
	local panic_on_warn=1 append=""
	if [ "$name" = kcsan ]; then
		panic_on_warn=0
		append="i8042.nokbd i8042.noaux"
		report_re=${KERNEL_REPORT_RE/BUG: |/BUG: [^K]|}
	fi
	QEMU_SMP=2 QEMU_MEM=$KERNEL_MEM QEMU_CPU=$KERNEL_CPU QEMU_PANIC_ON_WARN=$panic_on_warn \
		QEMU_APPEND=$append qemu_boot "$KERNEL_IMAGE" "$dir/tests.cpio.gz" "$log" \
		>"$out" || rc=$?

	sed '/^SPOTLESS-KLOG-BEGIN$/,/^SPOTLESS-KLOG-END$/d' "$out" |
		sed "s/^\(not \)\{0,1\}ok - /&$prefix/"
	sed -n '/^SPOTLESS-KLOG-BEGIN$/,/^SPOTLESS-KLOG-END$/p' "$out" | sed '1d;$d' >"$klog"
	if [ "$rc" -eq 125 ]; then
		echo "not ok - ${prefix}guest_ran_to_the_end"
	else
		echo "ok - ${prefix}guest_ran_to_the_end"
		# A test program that failed without a "not ok" line of its own.
		if [ "$rc" -ne 0 ]; then
			echo "not ok - ${prefix}guest_tests_exit_0"
		else
			echo "ok - ${prefix}guest_tests_exit_0"
		fi
	fi
	if [ "$name" = kcsan ]; then
		local planted module kernel
		planted=$(kcsan_reports "$log" "" SPOTLESS-PLANTED-END | grep -c module)
		module=$(kcsan_reports "$log" SPOTLESS-PLANTED-END "" | grep -c module)
		kernel=$(kcsan_reports "$log" SPOTLESS-PLANTED-END "" | grep -c kernel)
		printf '# kcsan: %s reports on the planted race; then %s naming the module, %s the kernel alone\n' \
			"$planted" "$module" "$kernel"
		if [ "$planted" -gt 0 ]; then
			echo "ok - ${prefix}reports_a_race_planted_in_the_module"
		else
			echo "not ok - ${prefix}reports_a_race_planted_in_the_module"
			rc=1
		fi
		if [ "$module" -eq 0 ]; then
			echo "ok - ${prefix}no_data_race_report_names_the_module"
		else
			echo "not ok - ${prefix}no_data_race_report_names_the_module"
			awk '/SPOTLESS-PLANTED-END/ { on = 1 } on' "$log" | grep -A 30 'BUG: KCSAN' |
				grep -B 5 -A 25 '\[\(spotless\|hello\)\]' | head -n 80 |
				tee "$QEMU_LOG_DIR/qemu-$name-report.txt" | sed 's/^/#   | /'
			rc=1
		fi
	fi
	# The console holds what a panic left too: any checker's report fails.
	if grep -qE "$report_re" "$log" "$klog"; then
		echo "not ok - ${prefix}no_kernel_checker_report"
		grep -hE -A 30 "$report_re" "$log" "$klog" | head -n 80 |
			tee "$QEMU_LOG_DIR/qemu-$name-report.txt" | sed 's/^/#   | /'
		rc=1
	else
		echo "ok - ${prefix}no_kernel_checker_report"
	fi
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 125 ]; then
		printf '# a guest test failed on %s; the end of its kernel log:\n' "$name"
		tail -n 40 "$klog" | sed 's/^/#   | /'
	fi
	printf '# %s (%s): %s s\n' "$name" "$KERNEL_RELEASE" "$(($(date +%s) - start))"
	[ "$rc" -eq 0 ]
}
