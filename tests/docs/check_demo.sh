#!/usr/bin/env bash
# The README's "make demo prints" block against a real run of scripts/demo.sh
# (Wine and QEMU; about a minute): the same lines, but for the kernel's
# release, which moves with Debian's point releases, and the Wine prefix's
# one-time creation line. "ok - " / "not ok - " with the difference.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
release() { sed -E 's/[0-9]+\.[0-9]+\.[0-9]+-[0-9]+-amd64/RELEASE/g'; }
expected=$(awk '/^`make demo` prints/ { f = 1 } f' README.md |
	sed -n '/^```$/,/^```$/p' | sed '1d;$d' | sed '/^```$/,$d' | release)
got=$(scripts/demo.sh 2>/dev/null | sed '/^\[wine\] creating the Wine prefix/d' | release)
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ]; then
	echo "not ok - readme_demo_output_is_the_demos"
	echo "#   scripts/demo.sh exited $rc"
	exit 1
elif diff=$(diff -u <(printf '%s\n' "$expected") <(printf '%s\n' "$got")); then
	echo "ok - readme_demo_output_is_the_demos"
else
	echo "not ok - readme_demo_output_is_the_demos"
	printf '%s\n' "$diff" | sed 's/^/#   /'
	exit 1
fi
