#!/usr/bin/env bash
# make fuzz-storm: the IOCTL storm at both loaded drivers, REQUESTS each,
# seeded by SEED (default: the time). spotless.sys runs under Wine;
# spotless.ko in QEMU with 2 CPUs, panic_on_warn=1 and oops=panic, so that a
# kernel warning ends the run as a crash. Ends with the storm's figures and
# "N passed, N failed".
#
#   scripts/storm.sh [REQUESTS] [SEED] [windows|linux|both]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/harness.sh
source scripts/lib/harness.sh

REQUESTS=${1:-1000000}
SEED=${2:-$(date +%s)}
WHERE=${3:-both}
LOG="$ROOT/build/logs/storm.txt"
mkdir -p "$(dirname "$LOG")"
: >"$LOG"
passed=0 failed=0

# count OUTPUT: adds up its ok / not ok lines.
count() {
	passed=$((passed + $(grep -c '^ok - ' <<<"$1")))
	failed=$((failed + $(grep -c '^not ok - ' <<<"$1")))
}

printf '=== storm: %s requests at each driver, seed %s ===\n' "$REQUESTS" "$SEED" | tee -a "$LOG"

windows_storm() {
	printf '\n=== Windows: spotless.sys under Wine ===\n' | tee -a "$LOG"
	trap wine_down EXIT
	wine_up
	driver_load
	start=$(date +%s)
	# Progress shows as it comes; the whole output is kept for the tally.
	wine "$WIN_BUILD/spotless_storm.exe" --requests "$REQUESTS" --seed "$SEED" 2>&1 |
		sed -u 's/\r$//' | tee "$LOG.part"
	out=$(cat "$LOG.part")
	rm -f "$LOG.part"
	count "$out"
	printf '%s\n# wall time %s s\n' "$out" "$(($(date +%s) - start))" >>"$LOG"
	if ! grep -q '^ok - storm_driver_answers_after' <<<"$out"; then
		printf 'not ok - windows_storm_completed (a crash of the driver host ends the storm early)\n' |
			tee -a "$LOG"
		failed=$((failed + 1))
	fi
	driver_unload
	wine_down
	trap - EXIT
}

# The Linux storm runs on STORM_KERNEL (default debug: KASAN, lockdep,
# kmemleak, UBSAN; or 6.1, 6.12, 6.12-rt), whose reports fail it.
linux_storm() {
	local name=${STORM_KERNEL:-debug} ko
	printf '\n=== Linux: spotless.ko in QEMU, kernel %s ===\n' "$name" | tee -a "$LOG"
	kernel_setup "$name" || return 1
	ko="$LINUX_BUILD/module/spotless.ko"
	if [ "$name" != 6.1 ]; then
		ko=$(module_build "$KERNEL_KDIR" "$LINUX_BUILD/kernels/$name/module") || return 1
	fi
	env_file="$LINUX_BUILD/storm.env"
	printf 'STORM_REQUESTS=%s\nSTORM_SEED=%s\n' "$REQUESTS" "$SEED" >"$env_file"
	GUEST_KMODS=$KERNEL_IMAGE.kmods initramfs_build "$LINUX_BUILD/storm.cpio.gz" scripts/guest/storm.sh \
		"$ko" "$LINUX_BUILD/spotless" "$LINUX_BUILD/spotless_storm" "$env_file"
	start=$(date +%s)
	qemu_rc=0
	# TCG runs about 10^4 requests per second or fewer: allow three hours
	# (a debug kernel is slower).
	out=$(QEMU_SMP=2 QEMU_MEM=$KERNEL_MEM QEMU_TIMEOUT=10800 qemu_boot "$KERNEL_IMAGE" \
		"$LINUX_BUILD/storm.cpio.gz" "$QEMU_LOG_DIR/qemu-storm.log") || qemu_rc=$?
	printf '%s\n' "$out"
	count "$out"
	printf '%s\n# wall time %s s\n' "$out" "$(($(date +%s) - start))" >>"$LOG"
	if [ "$qemu_rc" -eq 125 ]; then
		printf 'not ok - linux_storm_completed (crash, panic or hang: see build/logs/qemu-storm.log)\n' |
			tee -a "$LOG"
		failed=$((failed + 1))
	fi
	if grep -qE "$KERNEL_REPORT_RE" "$QEMU_LOG_DIR/qemu-storm.log"; then
		printf 'not ok - linux_storm_no_kernel_checker_report (see build/logs/qemu-storm.log)\n' |
			tee -a "$LOG"
		failed=$((failed + 1))
	fi
}

case $WHERE in
windows) windows_storm ;;
linux) linux_storm ;;
*) windows_storm; linux_storm ;;
esac

printf '\n# figures in %s\n%s passed, %s failed\n' "${LOG#"$ROOT"/}" "$passed" "$failed" | tee -a "$LOG"
[ "$failed" -eq 0 ]
