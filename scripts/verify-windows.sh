#!/usr/bin/env bash
# make verify-windows: spotless.sys's sources under the NT model
# (tests/ntmodel), built with ASan + UBSan and with TSan. The random run is
# repeated with new seeds for SECONDS in each build (0: one short pass).
# Prints each build's steps, seeds, rules checked and low-resource points;
# exits non-zero when a case fails or a rule is broken.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-0}
status=0
for build in test_ntmodel test_ntmodel_tsan; do
	echo "[verify-windows] build/host/$build --seconds $seconds"
	build/host/$build --seconds "$seconds" || status=1
done
exit $status
