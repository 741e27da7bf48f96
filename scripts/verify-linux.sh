#!/usr/bin/env bash
# make verify-linux KERNEL=NAME: spotless.ko's whole suite in a QEMU guest on
# one kernel: 6.1 (Debian 12's), debug (Debian's 6.1 source with KASAN,
# lockdep, kmemleak, UBSAN and fault injection), kcsan (KCSAN), 6.12 or
# 6.12-rt (Debian 12 backports), newest (Debian unstable's). STORM_REQUESTS requests in the storm (default 10^5 on debug,
# 10^4 elsewhere). Ends with "N passed, N failed"; non-zero on a failure.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/harness.sh
source scripts/lib/harness.sh

name=${1:-debug}
storm=${2:-}
if [ -z "$storm" ]; then
	storm=10000
	[ "$name" = debug ] && storm=100000
fi
results="$ROOT/build/logs/verify-linux-$name.txt"
mkdir -p "$(dirname "$results")"
echo "[verify-linux] kernel $name, storm of $storm requests"
guest_suite "$name" "$storm" 2>&1 | tee "$results" | grep -v '^ok - '
passed=$(grep -c '^ok - ' "$results")
failed=$(grep -c '^not ok - ' "$results")
printf '%d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
