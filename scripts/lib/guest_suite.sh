# shellcheck shell=bash
# The module's whole suite in a QEMU guest, on one of the kernels of
# scripts/lib/kernels.sh: the module and the example driver built for that
# kernel (W=1, -Werror),
# the end-to-end tests (64- and 32-bit), the storm, churn, and on the debug
# kernel kmemleak scans and fault injection (tests/e2e/guest_tests.sh).
# Sourced after qemu.sh and kernels.sh by tests/run.sh and
# scripts/verify-linux.sh.
#
# guest_suite NAME STORM_REQUESTS prints the guest's "ok - " / "not ok - "
# lines (named NAME_... except on 6.1, whose names are the suite's own) and
# its own checks; the kernel's console goes to build/logs/qemu-NAME.log and
# its log to build/logs/qemu-NAME-kernel.log. Returns non-zero on a failure.

# Lines of a kernel console that are a checker's report.
KERNEL_REPORT_RE='BUG: |WARNING:|UBSAN:|Oops|general protection|inconsistent lock state|possible (circular|recursive) locking|kmemleak: .* new suspected'

guest_suite() {
	local name=$1 storm=$2 prefix="" dir ko hello_ko params out log klog rc=0 start
	local debug=0
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

	params="$dir/params.sh"
	printf 'STORM_REQUESTS=%s\nDEBUG_CHECKS=%s\n' "$storm" "$debug" >"$params"
	initramfs_build "$dir/tests.cpio.gz" "$SPOTLESS_ROOT/tests/e2e/guest_tests.sh" \
		"$ko" "$LINUX_BUILD/spotless" "$LINUX_BUILD/test_module" \
		"$LINUX_BUILD/test_module32" "$LINUX_BUILD/spotless_storm" \
		"$LINUX_BUILD/fault_injection" "$hello_ko" "$LINUX_BUILD/test_hello" \
		"$LINUX_BUILD/hello_client" "$LINUX_BUILD/client_040" "$params"
	# Two CPUs: the races of the suite run their sides on different ones.
	QEMU_SMP=2 QEMU_MEM=$KERNEL_MEM QEMU_CPU=$KERNEL_CPU qemu_boot "$KERNEL_IMAGE" "$dir/tests.cpio.gz" "$log" \
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
	# The console holds what a panic left too: any checker's report fails.
	if grep -qE "$KERNEL_REPORT_RE" "$log" "$klog"; then
		echo "not ok - ${prefix}no_kernel_checker_report"
		grep -hE -A 30 "$KERNEL_REPORT_RE" "$log" "$klog" | head -n 80 |
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
