#!/usr/bin/env bash
# make bench: 'spotless bench' on spotless.sys under Wine and on spotless.ko
# in QEMU (Debian's kernel, 2 CPUs), then the report: a Markdown table and
# plots in bench/results/DATE-HOST/ (scripts/bench_report.sh).
#
#   scripts/bench.sh [OUTPUT-DIR] [-- BENCH-OPTIONS]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/wine.sh
source scripts/lib/wine.sh
# shellcheck source=scripts/lib/qemu.sh
source scripts/lib/qemu.sh

OUT=bench/results/$(date +%Y-%m-%d)-$(hostname -s)
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
	OUT=$1
	shift
fi
[ "${1:-}" = "--" ] && shift
ARGS=("$@")
mkdir -p "$OUT"
rc=0

printf '=== bench: Windows, spotless.sys under Wine ===\n'
trap wine_down EXIT
wine_up
driver_load
wine "$WIN_BUILD/spotless.exe" bench --csv "$(wine_path "$OUT")\\windows.csv" "${ARGS[@]}" 2>&1 |
	sed -u 's/\r$//' | tee "$OUT/windows.txt" || rc=1
driver_unload
wine_down
trap - EXIT

printf '\n=== bench: Linux, spotless.ko in QEMU (TCG, 2 CPUs) ===\n'
kernel=$(kernel_image "$(kernel_version)") || exit 1
printf '%s\n' "${ARGS[*]}" >"$LINUX_BUILD/bench.args"
initramfs_build "$LINUX_BUILD/bench.cpio.gz" scripts/guest_bench.sh \
	"$LINUX_BUILD/module/spotless.ko" "$LINUX_BUILD/spotless" "$LINUX_BUILD/bench.args"
guest=$(QEMU_SMP=2 QEMU_TIMEOUT=1800 qemu_boot "$kernel" "$LINUX_BUILD/bench.cpio.gz" \
	"$QEMU_LOG_DIR/qemu-bench.log") || rc=1
sed '/^SPOTLESS-CSV-BEGIN$/,/^SPOTLESS-CSV-END$/d' <<<"$guest" | tee "$OUT/linux.txt"
sed -n '/^SPOTLESS-CSV-BEGIN$/,/^SPOTLESS-CSV-END$/p' <<<"$guest" | sed '1d;$d' >"$OUT/linux.csv"

scripts/bench_report.sh "$OUT" || rc=1
exit "$rc"
