#!/usr/bin/env bash
# scripts/package/test.sh (make package-test): spotless installed the way a
# user installs it. Builds the .debs (scripts/package/debs.sh), copies the
# cached Debian 12 root filesystem (scripts/package/rootfs.sh) with the
# .debs and scripts/guest/package.sh into a disk image, boots it in QEMU with
# its own kernel, systemd and udev, and prints the guest's "ok - / not ok -"
# lines. Exit status: the guest's (125 when it never reported).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
# shellcheck source=scripts/lib/qemu.sh
source scripts/lib/qemu.sh
VERSION=$(scripts/version.sh)
WORK=$ROOT/build/package-guest
say() { printf '[package-test] %s\n' "$*" >&2; }

scripts/package/debs.sh >&2 || { echo "not ok - package_debs_build"; exit 1; }
echo "ok - package_debs_build"
if grep -q '^E: ' build/package/lintian.txt; then
	echo "not ok - package_lintian_reports_no_error"
else
	echo "ok - package_lintian_reports_no_error"
fi
rootfs=$(scripts/package/rootfs.sh) || { echo "not ok - package_rootfs"; exit 1; }

say "disk image: the cached root filesystem, the .debs and the guest script"
rm -rf "$WORK"
mkdir -p "$WORK"
cp -a "$rootfs" "$WORK/root"
rm -f "$WORK/root/.complete"
test_dir=$WORK/root/root/spotless-test
mkdir -p "$test_dir/debs"
cp build/package/*.deb "$test_dir/debs/"
rm -f "$test_dir"/debs/*-dbgsym_*.deb
cp scripts/guest/package.sh "$test_dir/guest.sh"
cp tests/install/example.c "$test_dir/"
echo "$VERSION" >"$test_dir/version"
# Started by systemd once the machine is up; its output goes to the second
# serial port between the markers qemu_boot reads, then the guest powers off.
cat >"$test_dir/run.sh" <<'RUN'
#!/bin/sh
exec >/dev/ttyS1 2>&1
echo "SPOTLESS-GUEST-BEGIN"
/root/spotless-test/guest.sh
echo "SPOTLESS-GUEST-EXIT $?"
systemctl poweroff
RUN
chmod +x "$test_dir/run.sh"
cat >"$WORK/root/etc/systemd/system/spotless-package-test.service" <<'UNIT'
[Unit]
Description=spotless package test
After=systemd-udevd.service systemd-udev-trigger.service local-fs.target

[Service]
Type=oneshot
ExecStart=/root/spotless-test/run.sh

[Install]
WantedBy=multi-user.target
UNIT
ln -s /etc/systemd/system/spotless-package-test.service \
	"$WORK/root/etc/systemd/system/multi-user.target.wants/spotless-package-test.service"
kernel=$(ls "$WORK"/root/boot/vmlinuz-* | tail -n 1)
initrd=$(ls "$WORK"/root/boot/initrd.img-* | tail -n 1)
cp "$kernel" "$initrd" "$WORK/"
truncate -s 4G "$WORK/disk.img"
mkfs.ext4 -q -F -L spotless-root -d "$WORK/root" "$WORK/disk.img" || {
	echo "not ok - package_disk_image"
	exit 1
}
rm -rf "$WORK/root"

say "booting Debian 12 ($(basename "$kernel")) under QEMU (TCG; DKMS builds inside, a few minutes)"
QEMU_DRIVE=$WORK/disk.img QEMU_MEM=2048 QEMU_SMP=2 QEMU_CPU=max \
	QEMU_TIMEOUT=${PACKAGE_TEST_TIMEOUT:-1800} \
	QEMU_APPEND="root=/dev/vda rw systemd.show_status=false" \
	qemu_boot "$WORK/$(basename "$kernel")" "$WORK/$(basename "$initrd")" "$WORK/console.log"
rc=$?
[ "$rc" -eq 125 ] && echo "not ok - package_guest_reported"
rm -f "$WORK/disk.img"
exit "$rc"
