# shellcheck shell=bash
# debian_mirror: the Debian mirror this machine's apt uses: the first URI of
# its sources for Debian's main archive (not its security archive), from the
# deb822 files (sources.list.d/*.sources) first, then the one-line ones
# (sources.list, sources.list.d/*.list, options in brackets allowed).
# DEBIAN_MIRROR overrides it. Where apt names none, it says so and fails: no
# mirror host is written in the repository. APT_ETC (default /etc/apt) is
# for the tests (tests/scripts/check_mirror.sh).
debian_mirror() {
	local etc=${APT_ETC:-/etc/apt} uri
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		printf '%s\n' "$DEBIAN_MIRROR"
		return
	fi
	uri=$(cat "$etc"/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
	[ -n "$uri" ] || uri=$(cat "$etc/sources.list" "$etc"/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 !~ /security/ {
			for (i = 2; i <= NF; i++) if ($i ~ /^[a-z+]+:\/\//) { print $i; exit } }')
	if [ -z "$uri" ]; then
		echo "no Debian mirror in $etc/sources.list or $etc/sources.list.d: set DEBIAN_MIRROR" >&2
		return 1
	fi
	printf '%s\n' "$uri"
}
