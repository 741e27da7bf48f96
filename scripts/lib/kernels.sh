# shellcheck shell=bash
# The kernels the module is tested on, by name:
#   6.1      Debian 12's kernel (the headers of linux-headers-amd64)
#   debug    Debian's 6.1 source with KASAN, lockdep, kmemleak, UBSAN and
#            fault injection (scripts/debug-kernel.sh)
#   kcsan    the same source with KCSAN, the data-race detector (strict)
#   6.12     Debian 12 backports' 6.12
#   6.12-rt  its PREEMPT_RT build
#   newest   Debian unstable's kernel (7.2 late in 2026), the module built
#            in an unstable root with that release's compiler and kbuild
#            (scripts/newest-kernel.sh)
# kernel_setup NAME sets KERNEL_IMAGE (what QEMU boots), KERNEL_KDIR (what the
# module builds against), KERNEL_RELEASE, KERNEL_MEM (MiB for the guest) and
# KERNEL_CHROOT (a root the module is built in, KDIR being inside it; empty:
# the host builds it).
# Everything fetched lives in SPOTLESS_CACHE (default ~/.cache/spotless),
# unpacked with dpkg-deb and never installed. Sourced after scripts/lib/qemu.sh.

SPOTLESS_CACHE=${SPOTLESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spotless}

# The newest Debian 12 backports 6.12 release, e.g. 6.12.107+deb12.
backports_612_release() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12\)-amd64-unsigned .*/\1/p' |
		sort -V | tail -n 1
}

# apt-get download PACKAGE... into DIR, updating the package lists once if needed.
fetch_debs() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && apt-get download -q "$@" >/dev/null 2>&1) || {
		qemu_say "apt-get update, then download again" >&2
		${SUDO:-} apt-get update -qq >/dev/null 2>&1
		(cd "$dir" && apt-get download -q "$@" >/dev/null 2>&1)
	}
}

# A backports 6.12 kernel (flavour amd64 or rt-amd64), unpacked once: its
# image, and its headers made usable where they are (their Makefile names the
# common headers by absolute path; it is pointed at the unpacked copy).
backports_612() {
	local flavour=$1 release common dir root
	release=$(backports_612_release)
	if [ -z "$release" ]; then
		qemu_say "no linux-image-6.12 in the package lists: apt-get update" >&2
		${SUDO:-} apt-get update -qq >/dev/null 2>&1
		release=$(backports_612_release)
	fi
	[ -n "$release" ] || { qemu_say "Debian's package lists have no linux-image-6.12" >&2; return 1; }
	common=linux-headers-$release-common
	[ "$flavour" = rt-amd64 ] && common=$common-rt
	dir="$SPOTLESS_CACHE/kernels/$release-$flavour"
	root="$dir/root"
	if [ ! -f "$dir/.complete" ] || [ ! -f "$root/boot/vmlinuz-$release-$flavour.kmods/order" ]; then
		qemu_say "fetching linux-image-$release-$flavour-unsigned and its headers (once)" >&2
		rm -rf "$dir"
		fetch_debs "$dir/debs" "linux-image-$release-$flavour-unsigned" \
			"linux-headers-$release-$flavour" "$common" "linux-kbuild-$release" || {
			qemu_say "apt-get download of the $release-$flavour packages failed" >&2
			return 1
		}
		local deb
		for deb in "$dir"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
		sed -i "s|^include /usr/src/|include $root/usr/src/|" \
			"$root/usr/src/linux-headers-$release-$flavour/Makefile"
		kernel_modules_keep "$root/lib/modules/$release-$flavour" \
			"$root/boot/vmlinuz-$release-$flavour.kmods" || return 1
		rm -rf "$dir/debs" "$root/lib/modules" "$root/usr/lib/debug"
		touch "$dir/.complete"
	fi
	KERNEL_RELEASE=$release-$flavour
	KERNEL_IMAGE="$root/boot/vmlinuz-$KERNEL_RELEASE"
	KERNEL_KDIR="$root/usr/src/linux-headers-$KERNEL_RELEASE"
}

# kernel_setup NAME: KERNEL_RELEASE, KERNEL_IMAGE, KERNEL_KDIR, KERNEL_MEM,
# and KERNEL_CPU, QEMU's CPU model: "max" (SSE4.2: the module's CRC32C on
# the crc32 instruction) for 6.1 and debug, "qemu64" (no SSE4.2: its table)
# for 6.12 and 6.12-rt, so that both paths run in a kernel.
kernel_setup() {
	KERNEL_MEM=256
	KERNEL_CPU=max
	KERNEL_CHROOT=
	case $1 in
	6.1)
		KERNEL_RELEASE=$(kernel_version)
		KERNEL_IMAGE=$(kernel_image "$KERNEL_RELEASE") || return 1
		KERNEL_KDIR=/usr/src/linux-headers-$KERNEL_RELEASE
		;;
	debug | kcsan)
		local tree
		tree=$("$SPOTLESS_ROOT/scripts/debug-kernel.sh" "$1") || return 1
		KERNEL_RELEASE=$(cat "$tree/include/config/kernel.release")
		KERNEL_IMAGE="$tree/arch/x86/boot/bzImage"
		KERNEL_KDIR=$tree
		# KASAN's shadow and kmemleak's pool want room (KCSAN less).
		KERNEL_MEM=1024
		;;
	6.12)
		backports_612 amd64 || return 1
		KERNEL_CPU=qemu64
		;;
	6.12-rt)
		backports_612 rt-amd64 || return 1
		KERNEL_CPU=qemu64
		;;
	newest)
		local lines
		mapfile -t lines < <("$SPOTLESS_ROOT/scripts/newest-kernel.sh") || return 1
		[ "${#lines[@]}" -eq 3 ] || return 1
		KERNEL_RELEASE=${lines[0]}
		KERNEL_CHROOT=${lines[1]}
		KERNEL_IMAGE=${lines[2]}
		KERNEL_KDIR=/usr/src/linux-headers-$KERNEL_RELEASE
		KERNEL_MEM=512
		;;
	*)
		qemu_say "unknown kernel '$1' (6.1, debug, kcsan, 6.12, 6.12-rt or newest)" >&2
		return 1
		;;
	esac
}

# module_build KDIR OUT [TREE_SCRIPT KO]: spotless.ko for that kernel tree
# (MODULE_MAKE_ARGS: more make variables, e.g. SPOTLESS_PLANTED_RACE=y),
# built in the module's own source tree staged in OUT (by
# scripts/module-tree.sh, or TREE_SCRIPT: example-tree.sh for hello.ko), with
# W=1 and -Werror. Prints the module's path.
module_build() {
	local kdir=$1 out=$2 tree=${3:-module-tree.sh} ko=${4:-spotless.ko}
	if [ -n "${KERNEL_CHROOT:-}" ]; then
		chroot_module_build "$@"
		return
	fi
	# A kernel that builds BTF for modules runs pahole at the end of the
	# module's build; without it the failure is a bare "pahole: not found".
	if grep -qs '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" &&
		! command -v pahole >/dev/null 2>&1; then
		echo "$kdir builds BTF for modules and needs pahole (package dwarves): run scripts/install-deps.sh" >&2
		return 1
	fi
	"$SPOTLESS_ROOT/scripts/$tree" "$out"
	make -s -C "$out" KDIR="$kdir" W=1 SPOTLESS_WERROR=y ${MODULE_MAKE_ARGS:-} >"$out.build.log" 2>&1 || {
		grep -v '^ *\(CC\|LD\|MODPOST\)' "$out.build.log" | tail -n 30 >&2
		return 1
	}
	printf '%s\n' "$out/$ko"
}

# The same inside KERNEL_CHROOT, with its compiler and kbuild, as a DKMS user
# of that release builds it (objtool reads /proc: mounted for the build).
chroot_module_build() {
	local kdir=$1 out=$2 tree=${3:-module-tree.sh} ko=${4:-spotless.ko} name rc=0
	name=$(basename "$out")
	"$SPOTLESS_ROOT/scripts/$tree" "$KERNEL_CHROOT/build/$name"
	mount -t proc proc "$KERNEL_CHROOT/proc"
	chroot "$KERNEL_CHROOT" make -s -C "/build/$name" KDIR="$kdir" W=1 SPOTLESS_WERROR=y \
		>"$out.build.log" 2>&1 || rc=$?
	umount "$KERNEL_CHROOT/proc"
	if [ "$rc" -ne 0 ]; then
		grep -v '^ *\(CC\|LD\|MODPOST\)' "$out.build.log" | tail -n 30 >&2
		return 1
	fi
	mkdir -p "$out"
	cp "$KERNEL_CHROOT/build/$name/$ko" "$out/$ko"
	printf '%s\n' "$out/$ko"
}
