#!/usr/bin/env bash
# scripts/lib/mirror.sh's debian_mirror against apt configurations made up
# here (APT_ETC): deb822 and one-line sources, the security archive listed
# first, options in brackets, the DEBIAN_MIRROR override, and none at all.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
# shellcheck source=scripts/lib/mirror.sh
source scripts/lib/mirror.sh
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# expect NAME WANTED: debian_mirror's answer in $work/etc is WANTED ("" = fails).
expect() {
	local got rc=0
	got=$(APT_ETC=$work/etc debian_mirror 2>"$work/err") || rc=$?
	if { [ -z "$2" ] && [ "$rc" -ne 0 ] && grep -q "set DEBIAN_MIRROR" "$work/err"; } ||
		{ [ -n "$2" ] && [ "$rc" -eq 0 ] && [ "$got" = "$2" ]; }; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		echo "#   wanted '${2:-a failure}', got '$got' (exit $rc)"
		failed=1
	fi
}
fresh() { rm -rf "$work/etc"; mkdir -p "$work/etc/sources.list.d"; }

fresh
cat >"$work/etc/sources.list.d/debian.sources" <<'SRC'
Types: deb
URIs: http://security.example.org/debian-security
Suites: bookworm-security
Components: main

Types: deb
URIs: http://mirror.example.org/debian
Suites: bookworm bookworm-updates
Components: main
SRC
expect mirror_from_deb822_sources_not_security http://mirror.example.org/debian

fresh
printf '%s\n' '# a comment' \
	'deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://security.example.org/debian-security bookworm-security main' \
	'deb [arch=amd64] https://mirror.example.org/debian bookworm main' >"$work/etc/sources.list"
expect mirror_from_one_line_sources_with_options https://mirror.example.org/debian

DEBIAN_MIRROR=http://override.example.org/debian expect mirror_override_wins \
	http://override.example.org/debian

fresh
expect mirror_none_configured_fails_and_says_so ""
exit "$failed"
