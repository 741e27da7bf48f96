#!/usr/bin/env bash
# What 'make install' lays out, checked as a packager would (Linux host):
# the file list, the library's soname and exports (the API of spotless.h and
# nothing else), spotless.pc, a program built with pkg-config alone against
# the installed tree, the installed CLI, the DKMS tree building on its own,
# and 'make uninstall' leaving nothing. Prints "ok - NAME" / "not ok - NAME".
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
VERSION=$(scripts/version.sh)
KVER=$(scripts/kernel-version.sh)
WORK=$ROOT/build/install-test
DEST=$WORK/root
rm -rf "$WORK"
mkdir -p "$WORK"

check() {
	local name=$1
	shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; return 1; fi
}

make -s install DESTDIR="$DEST" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu \
	>"$WORK/install.log" 2>&1
check "make_install_exits_0" [ $? -eq 0 ] || cat "$WORK/install.log"

# The exact list a packager gets (headers: every one of include/spotless/).
expected=$WORK/expected.txt
{
	printf '%s\n' usr/bin/spotless \
		usr/include/spotless.h \
		usr/lib/udev/rules.d/60-spotless.rules \
		usr/lib/x86_64-linux-gnu/libspotless.a \
		usr/lib/x86_64-linux-gnu/libspotless.so \
		usr/lib/x86_64-linux-gnu/libspotless.so.0 \
		"usr/lib/x86_64-linux-gnu/libspotless.so.$VERSION" \
		usr/lib/x86_64-linux-gnu/pkgconfig/spotless.pc \
		usr/share/bash-completion/completions/spotless \
		usr/share/doc/spotless/examples/modprobe.d-spotless.conf \
		usr/share/doc/spotless/examples/modules-load.d-spotless.conf \
		usr/share/man/man1/spotless.1 \
		usr/share/man/man3/libspotless.3
	for fn in $(sed -n 's/^\t\t\(spotless_[a-z0-9_]*\);$/\1/p' lib/libspotless.map); do
		echo "usr/share/man/man3/$fn.3"
	done
	for h in include/spotless/*.h; do echo "usr/include/$h" | sed 's|include/include|include|'; done
	for f in linux/module/*.c linux/module/*.h linux/module/Kbuild \
		linux/module/Makefile linux/module/dkms.conf LICENSE; do
		echo "usr/src/spotless-$VERSION/${f#linux/module/}"
	done
	for f in core/*.c core/*.h; do echo "usr/src/spotless-$VERSION/$f"; done
	for h in include/spotless/*.h; do echo "usr/src/spotless-$VERSION/$h"; done
} | sort >"$expected"
(cd "$DEST" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) >"$WORK/got.txt"
check "install_lays_out_the_packagers_files" diff -u "$expected" "$WORK/got.txt"

lib=$DEST/usr/lib/x86_64-linux-gnu
check "install_soname_is_libspotless_so_0" eval \
	"readelf -d '$lib/libspotless.so.$VERSION' | grep 'Library soname: \[libspotless.so.0\]' >/dev/null"
check "install_soname_link" [ "$(readlink "$lib/libspotless.so.0")" = "libspotless.so.$VERSION" ]

# Exports: exactly the functions spotless.h declares.
grep -o '^[a-z0-9_ ]*[ *]\(spotless_[a-z0-9_]*\)(' lib/spotless.h |
	sed 's/.*[ *]\(spotless_[a-z0-9_]*\)(/\1/' | sort -u >"$WORK/api.txt"
objdump -T "$lib/libspotless.so.$VERSION" | awk '$2 == "g" && $4 == ".text" { print $NF }' |
	sort >"$WORK/exports.txt"
check "library_exports_the_api_only" diff -u "$WORK/api.txt" "$WORK/exports.txt"
# 0.4.0's functions stay in SPOTLESS_0; those since are in the node of the
# release that added them (lib/libspotless.map), each export in one.
check "library_exports_are_versioned" eval \
	"[ \$(objdump -T '$lib/libspotless.so.$VERSION' | grep -c ' SPOTLESS_0\(\.[0-9]*\)\? *spotless_') -eq \$(wc -l <'$WORK/api.txt') ]"
check "library_keeps_0_4_0_functions_in_SPOTLESS_0" eval \
	"[ \$(objdump -T '$lib/libspotless.so.$VERSION' | grep -c ' SPOTLESS_0 *spotless_') -eq 35 ]"
check "library_hides_the_core" eval \
	"! objdump -T '$lib/libspotless.so.$VERSION' | grep 'spotless_core_\|spotless_os' >/dev/null"

# pkg-config alone: the example built against the installed tree (the
# sysroot stands for /; pkg-config must not drop /usr/include as a system path).
export PKG_CONFIG_SYSROOT_DIR=$DEST PKG_CONFIG_LIBDIR=$lib/pkgconfig
export PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1
check "pkg_config_version" [ "$(pkg-config --modversion spotless)" = "$VERSION" ]
# shellcheck disable=SC2046
cc -Wall -Wextra -Werror -o "$WORK/example" tests/install/example.c \
	$(pkg-config --cflags --libs spotless) >"$WORK/cc.log" 2>&1
check "example_builds_with_pkg_config_alone" [ $? -eq 0 ] || cat "$WORK/cc.log"
out=$(LD_LIBRARY_PATH=$lib "$WORK/example" 2>&1)
rc=$?
# No driver on the host: the library runs, the device is not there.
check "example_runs_against_the_installed_library" eval \
	'[ $rc -eq 1 ] && printf "%s\n" "$out" | grep -x "library $VERSION (built with $VERSION)" >/dev/null &&
	 printf "%s\n" "$out" | grep -x "crc32c e3069283" >/dev/null &&
	 printf "%s\n" "$out" | grep "^no exchange: " >/dev/null'
check "example_links_the_shared_library" eval \
	"LD_LIBRARY_PATH='$lib' ldd '$WORK/example' | grep 'libspotless.so.0 => $lib/libspotless.so.0' >/dev/null"
cc -Wall -Wextra -Werror -static -o "$WORK/example-static" tests/install/example.c \
	$(pkg-config --static --cflags --libs spotless) >"$WORK/cc-static.log" 2>&1
out=$("$WORK/example-static" 2>&1)
check "example_links_the_static_library" eval \
	'printf "%s\n" "$out" | grep -x "crc32c e3069283" >/dev/null &&
	 ! readelf -d "$WORK/example-static" | grep NEEDED >/dev/null'
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR PKG_CONFIG_ALLOW_SYSTEM_CFLAGS \
	PKG_CONFIG_ALLOW_SYSTEM_LIBS

out=$(LD_LIBRARY_PATH=$lib "$DEST/usr/bin/spotless" --version)
check "installed_cli_version" [ "$out" = "$(printf 'spotless %s\nlibspotless %s' "$VERSION" "$VERSION")" ]
check "installed_cli_links_the_shared_library" eval \
	"LD_LIBRARY_PATH='$lib' ldd '$DEST/usr/bin/spotless' | grep 'libspotless.so.0 => $lib/' >/dev/null"
check "man_pages_name_this_version" eval \
	"grep -q '\"spotless $VERSION\"' '$DEST/usr/share/man/man1/spotless.1' &&
	 grep -q '\"spotless $VERSION\"' '$DEST/usr/share/man/man3/libspotless.3'"
check "man_pages_render_without_warnings" eval \
	"[ -z \"\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l '$DEST/usr/share/man/man1/spotless.1' '$DEST/usr/share/man/man3/libspotless.3' 2>&1 >/dev/null)\" ]"
check "bash_completion_completes_commands_and_methods" eval \
	"bash -c 'source \"$DEST/usr/share/bash-completion/completions/spotless\"
		COMP_WORDS=(spotless ec); COMP_CWORD=1; _spotless; [ \"\${COMPREPLY[*]}\" = echo ] || exit 1
		COMP_WORDS=(spotless echo --method out); COMP_CWORD=3; _spotless
		[ \"\${COMPREPLY[*]}\" = out_direct ]'"
check "dkms_conf_names_this_version" \
	grep -qx "PACKAGE_VERSION=\"$VERSION\"" "$DEST/usr/src/spotless-$VERSION/dkms.conf"

# The DKMS tree builds on its own, as DKMS runs it (make KVER=...).
cp -r "$DEST/usr/src/spotless-$VERSION" "$WORK/dkms-build"
make -C "$WORK/dkms-build" KVER="$KVER" KDIR="/usr/src/linux-headers-$KVER" \
	>"$WORK/dkms-build.log" 2>&1
check "dkms_tree_builds_for_KVER" eval \
	"[ -f '$WORK/dkms-build/spotless.ko' ] && modinfo -F version '$WORK/dkms-build/spotless.ko' | grep -x '$VERSION' >/dev/null" ||
	tail -n 20 "$WORK/dkms-build.log"
# A user's newer compiler warns where ours does not (here: -Wpadded, which
# fires in the kernel's own headers): their DKMS build goes on, ours
# (SPOTLESS_WERROR=y) stops.
make -C "$WORK/dkms-build" clean KVER="$KVER" KDIR="/usr/src/linux-headers-$KVER" >/dev/null 2>&1
check "dkms_build_survives_a_new_warning" eval \
	"make -C '$WORK/dkms-build' KVER='$KVER' KDIR='/usr/src/linux-headers-$KVER' KCFLAGS=-Wpadded \
		>'$WORK/dkms-warn.log' 2>&1 && [ -f '$WORK/dkms-build/spotless.ko' ] && grep -q Wpadded '$WORK/dkms-warn.log'"
make -C "$WORK/dkms-build" clean KVER="$KVER" KDIR="/usr/src/linux-headers-$KVER" >/dev/null 2>&1
check "our_build_stops_at_a_new_warning" eval \
	"! make -C '$WORK/dkms-build' KVER='$KVER' KDIR='/usr/src/linux-headers-$KVER' KCFLAGS=-Wpadded \
		SPOTLESS_WERROR=y >/dev/null 2>&1"

make -s uninstall DESTDIR="$DEST" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu \
	>"$WORK/uninstall.log" 2>&1
left=$(cd "$DEST" && find . \( -type f -o -type l \) | sed 's|^\./||')
check "make_uninstall_leaves_no_file" [ -z "$left" ] || printf '#   left: %s\n' $left
