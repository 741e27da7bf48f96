#!/usr/bin/env bash
# make bench: 'spotless bench' on spotless.sys under Wine and on spotless.ko
# in QEMU (Debian's kernel, 2 CPUs, -cpu max: SSE4.2), each beside its peer
# (under Wine the tutorial's own driver, in the guest a misc device whose
# ioctl returns at once), the module's exchange with its log off and on,
# the core's CRC32C against the kernel's crc32c() in the guest kernels
# (scripts/bench_kernel_crc.sh), the core's CRC32C natively on the host, the
# core's instructions per request of each kind (scripts/bench_core_cost.sh),
# then the report: a Markdown table
# and plots in bench/results/DATE-HOST/ (scripts/bench_report.sh).
#
#   scripts/bench.sh [OUTPUT-DIR] [-- BENCH-OPTIONS]
#
# BENCH_ONLY=linux runs the QEMU guest's part alone (spotless.ko beside the
# null device, the exchange with its log off and on) and writes linux.csv
# and linux.txt, no report: a quick look at the module's request path.
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

# peer_row CSV BASE_CSV CASE BASELINE: a "peer" row of CASE in CSV against
# the same case in BASE_CSV (runs side by side). A file may hold several
# runs' rows: the median of their medians counts, the spread is theirs.
peer_row() {
	awk -F, -v c="$3" -v b="$4" '
		function median(f,   i, j, t, n) {
			n = count[f]
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
				if (m[f, j] < m[f, i]) { t = m[f, i]; m[f, i] = m[f, j]; m[f, j] = t }
			return m[f, int((n + 1) / 2)]
		}
		FNR == 1 { file++ }
		$1 == "exchange" && $2 == c {
			m[file, ++count[file]] = $6; size = $3
			if (!(file in lo) || $7 < lo[file]) lo[file] = $7
			if ($8 > hi[file]) hi[file] = $8
		}
		END { if (count[1] && count[2]) { a = median(1); z = median(2)
			printf "peer,%s,%s,1,ns,%.3f,%.3f,%.3f,%s,%.3f,%.4f\n",
				c, size, a, lo[1], hi[1], b, z, a / z } }' "$1" "$2"
}

if [ "${BENCH_ONLY:-}" != linux ]; then
printf '=== bench: Windows, spotless.sys under Wine ===\n'
trap wine_down EXIT
wine_up
driver_load
wine "$WIN_BUILD/spotless.exe" bench --csv "$(wine_path "$OUT")\\windows.csv" "${ARGS[@]}" 2>&1 |
	sed -u 's/\r$//' | tee "$OUT/windows.txt" || rc=1
driver_unload
# The peer: the tutorial's driver in the same prefix, the same client loop,
# alternating with spotless.sys for PEER_ROUNDS rounds (default 5): Wine's
# round trip wanders by tens of percent from one minute to the next.
printf '\n=== bench: the tutorial exchange, the tutorial'"'"'s driver and spotless.sys in turn ===\n'
for round in $(seq "${PEER_ROUNDS:-5}"); do
	for peer in tutorial_driver spotless; do
		DRIVER_IMAGE="$WIN_BUILD/$peer.sys" driver_load >/dev/null
		wine "$WIN_BUILD/spotless.exe" bench "${ARGS[@]}" --only exchange \
			--csv "$(wine_path "$OUT")\\.exchange_one.csv" 2>&1 |
			sed -u 's/\r$//' | grep -v '^#' | sed "s/^exchange /$peer (round $round) /" |
			tee -a "$OUT/windows.txt" || rc=1
		cat "$OUT/.exchange_one.csv" >>"$OUT/.exchange_$peer.csv"
		driver_unload >/dev/null
	done
done
peer_row "$OUT/.exchange_spotless.csv" "$OUT/.exchange_tutorial_driver.csv" \
	message tutorial_driver_message >>"$OUT/windows.csv"
wine_down
trap - EXIT
fi

printf '\n=== bench: Linux, spotless.ko in QEMU (TCG, 2 CPUs) ===\n'
kernel=$(kernel_image "$(kernel_version)") || exit 1
printf '%s\n' "${ARGS[*]}" >"$LINUX_BUILD/bench.args"
GUEST_KMODS=$kernel.kmods initramfs_build "$LINUX_BUILD/bench.cpio.gz" scripts/guest/bench.sh \
	"$LINUX_BUILD/module/spotless.ko" "$LINUX_BUILD/null_misc/spotless_null.ko" \
	"$LINUX_BUILD/spotless" "$LINUX_BUILD/bench_crc32c" "$LINUX_BUILD/bench.args"
guest=$(QEMU_SMP=2 QEMU_CPU=max QEMU_TIMEOUT=1800 qemu_boot "$kernel" "$LINUX_BUILD/bench.cpio.gz" \
	"$QEMU_LOG_DIR/qemu-bench.log") || rc=1
sed '/^SPOTLESS-CSV-BEGIN /,/^SPOTLESS-CSV-END$/d' <<<"$guest" | tee "$OUT/linux.txt"
for part in bench log0 log1 crc; do
	sed -n "/^SPOTLESS-CSV-BEGIN $part\$/,/^SPOTLESS-CSV-END\$/p" <<<"$guest" | sed '1d;$d' \
		>"$OUT/.linux_$part.csv"
done
mv "$OUT/.linux_bench.csv" "$OUT/linux.csv"
mv "$OUT/.linux_crc.csv" "$OUT/guest_crc.csv"
# The exchange with the module's log off, against the same with it on.
peer_row "$OUT/.linux_log0.csv" "$OUT/.linux_log1.csv" message message_log_1 |
	sed 's/^peer,message,/log,message_log_0,/' >>"$OUT/linux.csv"
if [ "${BENCH_ONLY:-}" = linux ]; then
	rm -f "$OUT"/.linux_*.csv
	exit "$rc"
fi

printf '\n=== bench: the core'"'"'s CRC32C against the kernel'"'"'s crc32c(), in each guest kernel ===\n'
scripts/bench_kernel_crc.sh "$OUT" || rc=1

printf '\n=== bench: the core'"'"'s CRC32C on this host, natively ===\n'
"$ROOT/build/host/bench_crc32c" --csv "$OUT/host.csv" | tee "$OUT/host.txt" || rc=1

printf '\n=== bench: the core'"'"'s instructions per request, on this host (valgrind) ===\n'
scripts/bench_core_cost.sh "$OUT" | tee "$OUT/core-instructions.md" || rc=1
rm -f "$OUT"/.exchange_*.csv "$OUT"/.linux_*.csv

scripts/bench_report.sh "$OUT" || rc=1
exit "$rc"
