# shellcheck shell=bash
# debian_mirror: the Debian mirror this machine's apt uses (the URIs of its
# first source for Debian's main archive, deb822 .sources or sources.list),
# DEBIAN_MIRROR when set, deb.debian.org when apt names none. No mirror host
# is written anywhere else in the repository.
debian_mirror() {
	local uri
	if [ -n "${DEBIAN_MIRROR:-}" ]; then
		printf '%s\n' "$DEBIAN_MIRROR"
		return
	fi
	uri=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }')
	[ -n "$uri" ] || uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
		awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }')
	printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}
