#!/usr/bin/env bash
# The core's CRC32C against the kernel's crc32c(), measured inside each
# kernel's QEMU guest by spotless_crc_bench.ko (bench/kernel/) at 64 B,
# 4 KiB and 1 MiB, beside a memcpy of the same bytes. Writes
# OUT/kernel_crc_NAME.csv per kernel and OUT/kernel_crc.md, the report's
# section (scripts/bench_report.sh takes it in).
#
#   scripts/bench_kernel_crc.sh OUT [KERNEL...]    default kernels: 6.1 6.12 newest
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/qemu.sh
source scripts/lib/qemu.sh
# shellcheck source=scripts/lib/kernels.sh
source scripts/lib/kernels.sh

OUT=${1:?usage: scripts/bench_kernel_crc.sh OUT [KERNEL...]}
shift
[ $# -gt 0 ] || set -- 6.1 6.12 newest
mkdir -p "$OUT"
rc=0
md="$OUT/kernel_crc.md"

{
	echo "## Guest kernels: the core's CRC32C against the kernel's crc32c()"
	echo
	echo "spotless_crc_bench.ko (bench/kernel/crc32c_bench.c) measures at load, in"
	echo "the guest's kernel: a memcpy of the same bytes (the baseline), the"
	echo "core's table, the core's crc32 instruction path (where the CPU has"
	echo "SSE4.2) and the kernel's crc32c(); each value is checked against the"
	echo "core's table first. ns per call is the median of 5 samples of 20 ms;"
	echo "\"x memcpy\" is memcpy's time over this one's. Under TCG, QEMU emulates"
	echo "crc32 and pclmulqdq by a helper call per instruction: these figures"
	echo "say what the guest does, not what hardware does."
} >"$md"

for name in "$@"; do
	printf '=== kernel CRC32C bench: %s ===\n' "$name"
	kernel_setup "$name" || { rc=1; continue; }
	dir="$LINUX_BUILD/crc_bench-$name"
	ko=$(module_build "$KERNEL_KDIR" "$dir" crc-bench-tree.sh spotless_crc_bench.ko) || {
		echo "the bench module does not build for $name" >&2
		rc=1
		continue
	}
	GUEST_KMODS=$KERNEL_IMAGE.kmods initramfs_build "$dir.cpio.gz" scripts/guest/crc_bench.sh "$ko"
	guest=$(QEMU_SMP=1 QEMU_CPU=$KERNEL_CPU QEMU_MEM=$KERNEL_MEM QEMU_TIMEOUT=900 \
		qemu_boot "$KERNEL_IMAGE" "$dir.cpio.gz" "$QEMU_LOG_DIR/qemu-crc-bench-$name.log") || rc=1
	csv="$OUT/kernel_crc_$name.csv"
	sed -n '/^SPOTLESS-CSV-BEGIN kcrc$/,/^SPOTLESS-CSV-END$/p' <<<"$guest" | sed '1d;$d' >"$csv"
	sed '/^SPOTLESS-CSV-BEGIN /,/^SPOTLESS-CSV-END$/d' <<<"$guest"
	[ -s "$csv" ] || { echo "no figures from $name" >&2; rc=1; continue; }
	{
		echo
		echo "### $name: $KERNEL_RELEASE, QEMU -cpu $KERNEL_CPU"
		echo
		sed -n 's/^crypto crc32c driver: /- the crypto API'"'"'s crc32c: /p' <<<"$guest"
		echo
		echo "| way | bytes | ns per call | MB/s | x memcpy | kernel's / core's time |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: |"
		# The core's own choice: the instruction where it ran, else the table.
		awk -F, 'NR > 1 { ns[$1, $2] = $3; mb[$1, $2] = $4; r[$1, $2] = $7
				if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 }
				ways[$1] = 1 }
			END { split("memcpy core_table core_instruction kernel_crc32c", w, " ")
				for (i = 1; i <= n; i++) { b = order[i]
					core = (("core_instruction", b) in ns) ? ns["core_instruction", b] : ns["core_table", b]
					for (j = 1; j <= 4; j++) if ((w[j], b) in ns) {
						rel = (w[j] == "kernel_crc32c" && core > 0) ? sprintf("%.2f", ns[w[j], b] / core) : ""
						printf "| %s | %s | %s | %s | %s | %s |\n", w[j], b, ns[w[j], b], mb[w[j], b], r[w[j], b], rel } } }' "$csv"
	} >>"$md"
done
exit "$rc"
