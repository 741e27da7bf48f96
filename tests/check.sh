#!/usr/bin/env bash
# make check: the fast loop (under a minute): the core's unit tests, the NT
# model in both builds and a short fuzzing pass, with no Wine and no QEMU;
# ends with "N passed, N failed". 'make test' runs these first, then the rest.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
RESULTS="$ROOT/build/logs/check-results.txt"
mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
START=$(date +%s)
# shellcheck source=tests/lib/tap.sh
source tests/lib/tap.sh

fast_suites
tap_summary "$START"
