#!/usr/bin/env bash
# scripts/package/rootfs.sh: prints the folder of a Debian 12 root filesystem
# for the package test, made once with debootstrap and kept in
# ~/.cache/spotless/rootfs (SPOTLESS_CACHE to move it): systemd and udev,
# Debian's kernel with its headers, and what DKMS needs to build and sign
# (dkms, gcc, make, openssl). spotless is not in it: the test installs its packages into a copy.
# Progress goes to stderr.
set -euo pipefail
# shellcheck source=scripts/lib/mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/mirror.sh"

# The mirror this machine's apt uses (DEBIAN_MIRROR overrides it).
MIRROR=$(debian_mirror)
CACHE=${SPOTLESS_CACHE:-$HOME/.cache/spotless}
# Bump when the recipe below changes: a new folder is made.
RECIPE=bookworm-3
ROOTFS=$CACHE/rootfs/$RECIPE
say() { printf '[rootfs] %s\n' "$*" >&2; }

if [ -f "$ROOTFS/.complete" ]; then
	printf '%s\n' "$ROOTFS"
	exit 0
fi
command -v debootstrap >/dev/null || {
	say "debootstrap is missing: make deps installs it"
	exit 1
}

PACKAGES=systemd-sysv,udev,kmod,adduser,procps,linux-image-amd64,linux-headers-amd64
PACKAGES=$PACKAGES,dkms,gcc,make,libc6-dev,pkg-config,initramfs-tools
# DKMS makes its module signing key (the MOK) with openssl, as on most
# installs, where ca-certificates brings it; mokutil enrolls that key.
PACKAGES=$PACKAGES,openssl,mokutil
say "debootstrap bookworm from $MIRROR into ${ROOTFS#"$HOME"/} (once; a few minutes)"
rm -rf "$ROOTFS.tmp"
mkdir -p "$(dirname "$ROOTFS")"
if ! debootstrap --variant=minbase --include="$PACKAGES" bookworm "$ROOTFS.tmp" "$MIRROR" \
	>"$ROOTFS.log" 2>&1; then
	say "debootstrap failed; the end of its log (${ROOTFS#"$HOME"/}.log):"
	tail -n 20 "$ROOTFS.log" >&2
	exit 1
fi

# A machine that boots from /dev/vda, logs in nobody, and needs no network.
echo spotless-guest >"$ROOTFS.tmp/etc/hostname"
printf '/dev/vda / ext4 rw,relatime 0 1\n' >"$ROOTFS.tmp/etc/fstab"
printf 'deb %s bookworm main\n' "$MIRROR" >"$ROOTFS.tmp/etc/apt/sources.list"
# The initrd must find the root disk: virtio's drivers in it.
printf 'virtio_pci\nvirtio_blk\next4\n' >>"$ROOTFS.tmp/etc/initramfs-tools/modules"
chroot "$ROOTFS.tmp" update-initramfs -u -k all >>"$ROOTFS.log" 2>&1
# Nothing waits for a network or a terminal that is not there.
chroot "$ROOTFS.tmp" systemctl mask systemd-networkd-wait-online.service \
	getty@tty1.service serial-getty@ttyS0.service serial-getty@ttyS1.service \
	>>"$ROOTFS.log" 2>&1 || true
chroot "$ROOTFS.tmp" apt-get clean
# The guest has no network: what the packages depend on beyond the root
# filesystem (libspotless0 and -dev: liburing) waits in apt's cache, not
# installed, so that the test still shows apt pulling it in.
chroot "$ROOTFS.tmp" apt-get install -y --download-only --no-install-recommends \
	liburing2 liburing-dev >>"$ROOTFS.log" 2>&1
touch "$ROOTFS.tmp/.complete"
mv "$ROOTFS.tmp" "$ROOTFS"
say "ready: $(du -sh "$ROOTFS" | cut -f1)"
printf '%s\n' "$ROOTFS"
