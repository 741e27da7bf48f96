#!/usr/bin/env bash
# scripts/debug-kernel.sh [debug|kcsan]: builds (once) a checking kernel of
# 'make verify-linux' (debug: KASAN, lockdep, kmemleak...; kcsan: the data
# race detector, which excludes KASAN) and prints the folder of its build tree
# (bzImage in arch/x86/boot/, and what an out-of-tree module builds against).
# With --source, only fetches Debian's source and prints its folder
# (scripts/lint.sh runs its checkpatch.pl).
#
# Source: Debian's linux-source-6.1, the same package version as the
# linux-headers-amd64 the module is built for. Configuration: x86_64
# tinyconfig + linux/kernel/guest.config + linux/kernel/FLAVOUR.config. Both
# live outside the checkout, in SPOTLESS_CACHE (default ~/.cache/spotless),
# keyed by the flavour, the source version and a hash of the fragments, so a
# second run (a fresh clone included) reuses it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FLAVOUR=${1:-debug}
[ "$FLAVOUR" = --source ] || [ -f "$ROOT/linux/kernel/$FLAVOUR.config" ] || {
	echo "usage: $0 [debug|kcsan|--source]" >&2
	exit 2
}
FRAGMENTS=("$ROOT/linux/kernel/guest.config" "$ROOT/linux/kernel/$FLAVOUR.config")
CACHE=${SPOTLESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spotless}

say() { printf '[%s-kernel] %s\n' "$FLAVOUR" "$*" >&2; }

version=$(dpkg-query -W -f='${Version}' linux-headers-amd64)
src="$CACHE/src/linux-source-6.1-$version"
if [ "$FLAVOUR" != --source ]; then
	hash=$(cat "${FRAGMENTS[@]}" | sha256sum | cut -c1-12)
	out="$CACHE/kernel-$FLAVOUR-$version-$hash"
fi

if [ "$FLAVOUR" != --source ] && [ -f "$out/arch/x86/boot/bzImage" ] &&
	[ -f "$out/.spotless-complete" ]; then
	printf '%s\n' "$out"
	exit 0
fi

if [ ! -f "$src/Makefile" ]; then
	mkdir -p "$CACHE/src"
	say "fetching linux-source-6.1 $version (apt-get download, about 140 MB, once)"
	(cd "$CACHE/src" && apt-get download -q "linux-source-6.1=$version" >/dev/null 2>&1) || {
		say "apt-get update, then download again"
		${SUDO:-} apt-get update -qq >/dev/null 2>&1
		(cd "$CACHE/src" && apt-get download -q "linux-source-6.1=$version" >/dev/null)
	}
	say "unpacking the source"
	rm -rf "$src.tmp" && mkdir -p "$src.tmp"
	dpkg-deb --fsys-tarfile "$CACHE/src/linux-source-6.1_${version}_all.deb" |
		tar -xO ./usr/src/linux-source-6.1.tar.xz | tar -xJ -C "$src.tmp"
	mv "$src.tmp/linux-source-6.1" "$src"
	rm -rf "$src.tmp" "$CACHE/src/linux-source-6.1_${version}_all.deb"
fi

if [ "$FLAVOUR" = --source ]; then
	printf '%s\n' "$src"
	exit 0
fi

say "configuring: tinyconfig + guest.config + $FLAVOUR.config in $out"
rm -rf "$out"
mkdir -p "$out"
make -s -C "$src" O="$out" ARCH=x86_64 tinyconfig >/dev/null
"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "${FRAGMENTS[@]}" >/dev/null
make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null

# Every option the fragments ask for must be in the result as asked, set or
# not set.
missing=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qx "$line" "$out/.config" ;;
	"# CONFIG_"*" is not set")
		name=${line#"# "}
		name=${name%% *}
		! grep -q "^$name=" "$out/.config" ;;
	*) continue ;;
	esac || {
		say "option not set as asked: $line"
		missing=1
	}
done < <(cat "${FRAGMENTS[@]}")
[ "$missing" -eq 0 ] || { say "the configuration is not what the fragments ask"; exit 1; }

say "building with $(nproc) jobs (about 10 minutes the first time)"
start=$(date +%s)
make -s -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	say "the kernel build failed (log: $out/build.log)"
	exit 1
}
touch "$out/.spotless-complete"
say "built in $(($(date +%s) - start)) s"
printf '%s\n' "$out"
