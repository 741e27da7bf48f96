#!/usr/bin/env bash
# The portable core's cost per request of each kind, in instructions:
# build/host/core_cost runs a case N times under valgrind's cachegrind (an
# instruction count, the same on a busy machine as on an idle one), and
# once with N = 0; the difference over N is the cost per request, and the
# null case's (the loop around an empty call) is taken from each. Writes
# core-instructions.csv and prints a Markdown table.
#
#   scripts/bench_core_cost.sh [OUTPUT-DIR] [N]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=${1:-build/logs}
N=${2:-20000}
BIN=build/host/core_cost
mkdir -p "$OUT"
command -v valgrind >/dev/null || { echo "bench_core_cost: valgrind is missing (make deps installs it)" >&2; exit 1; }
make -s --no-print-directory "$BIN"

# refs CASE COUNT: the instructions the whole program ran.
refs() {
	valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$BIN" "$1" "$2" 2>&1 >/dev/null | sed -n 's/.*I *refs: *//p' | tr -d ,
}

csv=$OUT/core-instructions.csv
echo "case,instructions_per_request,net_of_loop" >"$csv"
null=
for c in $("$BIN" --list); do
	zero=$(refs "$c" 0)
	many=$(refs "$c" "$N")
	per=$(awk -v a="$zero" -v b="$many" -v n="$N" 'BEGIN { printf "%.1f", (b - a) / n }')
	[ -z "$null" ] && null=$per
	net=$(awk -v p="$per" -v z="$null" 'BEGIN { printf "%.1f", p - z }')
	echo "$c,$per,$net" >>"$csv"
done
echo "| request (the core only, $N each) | instructions | without the loop |"
echo "| --- | ---: | ---: |"
tail -n +2 "$csv" | awk -F, '{ printf "| %s | %s | %s |\n", $1, $2, $3 }'
