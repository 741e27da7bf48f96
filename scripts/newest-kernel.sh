#!/usr/bin/env bash
# scripts/newest-kernel.sh: the newest kernel Debian ships (unstable's
# linux-image-amd64), as a DKMS user there has it: a debootstrap'd unstable
# root with that release's headers, compiler and kbuild (its tools need its
# own libc), and the kernel image to boot. Made once, kept in
# ~/.cache/spotless/newest (SPOTLESS_CACHE to move it). Prints three lines:
# the release, the root (build inside it with chroot, /proc mounted) and the
# image. Progress goes to stderr.
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib/mirror.sh
source "$ROOT_DIR/scripts/lib/mirror.sh"

CACHE=${SPOTLESS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spotless}
# Bump when the recipe below changes: a new folder is made.
DIR=$CACHE/newest/sid-1
say() { printf '[newest] %s\n' "$*" >&2; }

if [ ! -f "$DIR/.complete" ]; then
	command -v debootstrap >/dev/null || { say "debootstrap is missing: make deps installs it"; exit 1; }
	MIRROR=$(debian_mirror)
	rm -rf "$DIR"
	mkdir -p "$DIR"
	say "debootstrap unstable (sid) from $MIRROR into ${DIR#"$HOME"/}/root (once, about a minute)"
	if ! debootstrap --variant=minbase sid "$DIR/root" "$MIRROR" >"$DIR/build.log" 2>&1; then
		say "debootstrap failed; the end of its log:"
		tail -n 20 "$DIR/build.log" >&2
		exit 1
	fi
	# Unstable's lists on a mirror may be older than their Valid-Until:
	# apt refuses them then. Said plainly, and told to take them.
	APT=(apt-get -q)
	if ! chroot "$DIR/root" apt-get -q update >>"$DIR/build.log" 2>&1; then
		if grep -q 'is expired' "$DIR/build.log"; then
			say "the mirror's unstable lists are past their Valid-Until; using them anyway (Acquire::Check-Valid-Until=false)"
			APT=(apt-get -q -o Acquire::Check-Valid-Until=false)
			chroot "$DIR/root" "${APT[@]}" update >>"$DIR/build.log" 2>&1
		else
			say "apt-get update in the unstable root failed; the end of its log:"
			tail -n 20 "$DIR/build.log" >&2
			exit 1
		fi
	fi
	say "installing linux-headers-amd64, gcc and make in it"
	DEBIAN_FRONTEND=noninteractive chroot "$DIR/root" "${APT[@]}" install -y --no-install-recommends \
		linux-headers-amd64 gcc make libc6-dev dwarves >>"$DIR/build.log" 2>&1 || {
		say "installing the headers failed; the end of its log:"
		tail -n 20 "$DIR/build.log" >&2
		exit 1
	}
	release=$(chroot "$DIR/root" dpkg-query -W -f='${Depends}\n' linux-headers-amd64 |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p' | head -n 1)
	[ -n "$release" ] || { say "no release in linux-headers-amd64's dependencies"; exit 1; }
	say "fetching the $release kernel image"
	mkdir -p "$DIR/root/tmp/dl"
	# 7.x ships the image as linux-binary-unsigned-RELEASE; 6.x as linux-image-RELEASE-unsigned.
	chroot "$DIR/root" sh -c "cd /tmp/dl && ${APT[*]} download linux-binary-unsigned-$release ||
		${APT[*]} download linux-image-$release-unsigned" >>"$DIR/build.log" 2>&1 || {
		say "downloading the $release image failed; the end of its log:"
		tail -n 20 "$DIR/build.log" >&2
		exit 1
	}
	for deb in "$DIR"/root/tmp/dl/*.deb; do dpkg-deb -x "$deb" "$DIR/image"; done
	image=$(find "$DIR/image" -name 'vmlinuz*' | head -n 1)
	[ -n "$image" ] || { say "no vmlinuz in the $release image package"; exit 1; }
	mv "$image" "$DIR/vmlinuz"
	rm -rf "$DIR/image" "$DIR/root/tmp/dl"
	chroot "$DIR/root" apt-get clean
	printf '%s\n' "$release" >"$DIR/release"
	touch "$DIR/.complete"
	say "ready: $release"
fi
cat "$DIR/release"
printf '%s\n%s\n' "$DIR/root" "$DIR/vmlinuz"
