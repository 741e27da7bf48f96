#!/usr/bin/env bash
# The tutorial's demo on both kernels: spotless.sys under Wine, then
# spotless.ko in QEMU (Debian's kernel); each time the CLI sends the
# tutorial's message, asks INFO and echoes 64 KiB by every transfer method
# the OS has, the driver is unloaded, and its log lines are shown.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/wine.sh
source scripts/lib/wine.sh
# shellcheck source=scripts/lib/qemu.sh
source scripts/lib/qemu.sh

MESSAGE="spotless saying ola from userland"

printf '=== Windows: spotless.sys under Wine ===\n'
trap wine_down EXIT
wine_up
driver_load

printf '\n$ spotless send "%s"\n' "$MESSAGE"
spotless_exe send "$MESSAGE"
printf '\n$ spotless info\n'
spotless_exe info
printf '\n$ spotless echo --size 64K\n'
spotless_exe echo --size 64K

printf '\n'
driver_unload
wine_driver_log
printf '\nThe driver'"'"'s log (DbgPrintEx, collected from Wine'"'"'s debugstr channel):\n'
sed 's/^/  /' "$DRIVER_LOG"
wine_down
trap - EXIT

printf '\n=== Linux: spotless.ko in QEMU ===\n'
kver=$(kernel_version)
kernel=$(kernel_image "$kver")
GUEST_KMODS=$kernel.kmods initramfs_build "$LINUX_BUILD/demo.cpio.gz" scripts/guest/demo.sh \
	"$LINUX_BUILD/module/spotless.ko" "$LINUX_BUILD/spotless"
qemu_say "booting Debian's kernel $kver (TCG, -cpu max, about 5 s)"
QEMU_CPU=max qemu_boot "$kernel" "$LINUX_BUILD/demo.cpio.gz" "$QEMU_LOG_DIR/qemu-demo.log"
