# shellcheck shell=bash
# QEMU harness: Debian's own kernel (the one the installed headers belong to),
# a busybox initramfs built here with the module and the test programs, a
# boot under TCG (KVM is unreliable on these machines), and the guest's result
# handed back on the serial console. Sourced by scripts/demo.sh, tests/run.sh.

SPOTLESS_ROOT=${SPOTLESS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
LINUX_BUILD="$SPOTLESS_ROOT/build/linux"
QEMU_LOG_DIR="$SPOTLESS_ROOT/build/logs"
QEMU_TIMEOUT=${QEMU_TIMEOUT:-600}

qemu_say() { printf '[qemu] %s\n' "$*"; }

# The kernel version of Debian's linux-headers-amd64, e.g. 6.1.0-56-amd64.
kernel_version() { "$SPOTLESS_ROOT/scripts/kernel-version.sh"; }

# The kernel's own modules that spotless.ko needs where the kernel has them
# as modules (Debian's 6.1 to 6.13): libcrc32c, whose crc32c() it calls, and
# the crypto drivers libcrc32c chooses from. The guests have no module tree:
# kernel_modules_keep MODULES_DIR DEST copies them out of an unpacked image
# package, decompressed, with DEST/order (the order they load in), and
# initramfs_build takes them when GUEST_KMODS names DEST.
GUEST_KERNEL_MODULES="kernel/crypto/crc32c_generic.ko kernel/arch/x86/crypto/crc32c-intel.ko kernel/lib/libcrc32c.ko"
kernel_modules_keep() {
	local from=$1 dest=$2 m f
	# Debian's newer packages ship them under /usr (the merged /usr).
	[ -d "$from" ] || from=${from/\/lib\/modules\//\/usr\/lib\/modules\/}
	rm -rf "$dest"
	mkdir -p "$dest"
	: >"$dest/order"
	for m in $GUEST_KERNEL_MODULES; do
		for f in "$from/$m" "$from/$m.xz" "$from/$m.zst" "$from/$m.gz" ""; do
			[ -f "$f" ] && break
		done
		[ -n "$f" ] || continue
		case $f in
		*.xz) xz -dc "$f" ;;
		*.zst) zstd -qdc "$f" ;;
		*.gz) gzip -dc "$f" ;;
		*) cat "$f" ;;
		esac >"$dest/${m##*/}" || return 1
		echo "${m##*/}" >>"$dest/order"
	done
}

# Fetch and unpack (never install) the matching kernel image, once.
kernel_image() {
	local kver=$1 dir="$LINUX_BUILD/kernel"
	local image="$dir/vmlinuz-$kver"

	if [ ! -f "$image" ] || [ ! -f "$image.kmods/order" ]; then
		qemu_say "fetching linux-image-$kver (apt-get download, once)" >&2
		mkdir -p "$dir/download"
		# apt-get download needs package lists: update them once if it fails.
		(cd "$dir/download" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1) ||
		{ qemu_say "apt-get update, then download again" >&2 &&
		  ${SUDO:-} apt-get update -qq >/dev/null 2>&1 &&
		  (cd "$dir/download" && apt-get download -q "linux-image-$kver" >/dev/null 2>&1); } || {
			qemu_say "apt-get download linux-image-$kver failed" >&2
			return 1
		}
		dpkg-deb -x "$dir"/download/linux-image-"$kver"_*.deb "$dir/unpacked"
		kernel_modules_keep "$dir/unpacked/lib/modules/$kver" "$image.kmods"
		cp "$dir/unpacked/boot/vmlinuz-$kver" "$image"
		rm -rf "$dir/unpacked" "$dir/download"
	fi
	printf '%s\n' "$image"
}

# initramfs_build OUT GUEST_SCRIPT FILE...: busybox, an /init that mounts
# devtmpfs, proc and sysfs, loads the kernel's modules of GUEST_KMODS (a
# kernel_modules_keep folder; a missing one is skipped, a refusal goes to the
# kernel log), runs GUEST_SCRIPT from /spotless and prints its exit status
# between markers, then powers off.
initramfs_build() {
	local out=$1 script=$2 stage f
	shift 2
	stage=$(mktemp -d)
	mkdir -p "$stage"/{bin,dev,proc,sys,tmp,spotless}
	cp /bin/busybox "$stage/bin/busybox"
	for f in "$@"; do cp "$f" "$stage/spotless/"; done
	cp "$script" "$stage/spotless/guest.sh"
	if [ -n "${GUEST_KMODS:-}" ] && [ -f "$GUEST_KMODS/order" ]; then
		cp -r "$GUEST_KMODS" "$stage/kmods"
	fi
	cat >"$stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t devtmpfs devtmpfs /dev
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tmpfs tmpfs /tmp
echo 'root:x:0:0:root:/:/bin/sh' >/etc/passwd 2>/dev/null
# The kernel's modules, where modprobe finds them, loaded as a booted
# system would have them (crc32c-intel refuses a CPU without SSE4.2).
kmods=/lib/modules/$(uname -r)
for m in $(cat /kmods/order 2>/dev/null); do
	mkdir -p "$kmods" && cp "/kmods/$m" "$kmods/" && echo "$m:" >>"$kmods/modules.dep"
	insmod "/kmods/$m" 2>/dev/null || echo "<4>guest: insmod $m refused" >/dev/kmsg
done
cd /spotless
# The guest's own output goes to the second serial port, so that kernel
# messages on the console (the first) never split its lines.
exec >/dev/ttyS1 2>&1
echo "SPOTLESS-GUEST-BEGIN"
sh /spotless/guest.sh
echo "SPOTLESS-GUEST-EXIT $?"
poweroff -f
INIT
	chmod +x "$stage/init"
	mkdir -p "$stage/etc"
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	rm -rf "$stage"
}

# qemu_boot KERNEL INITRAMFS LOG: boots (QEMU_MEM MiB, QEMU_SMP CPUs,
# QEMU_APPEND more kernel arguments, QEMU_PANIC_ON_WARN 0 to let a warning
# pass (default 1: it ends the guest), QEMU_DRIVE a raw disk image as the
# first virtio disk); the kernel console (first serial
# port) goes to LOG, the guest's output (second port) to LOG.out. Prints the
# guest's output between the markers; the guest's exit status is the return
# value (125 when the guest never reported one: crash, panic or timeout).
qemu_boot() {
	local kernel=$1 initrd=$2 log=$3 out=$3.out rc drive=()
	mkdir -p "$(dirname "$log")"
	[ -n "${QEMU_DRIVE:-}" ] && drive=(-drive "file=$QEMU_DRIVE,format=raw,if=virtio")
	rm -f "$log" "$out"
	timeout --kill-after=10 "$QEMU_TIMEOUT" qemu-system-x86_64 \
		-accel tcg -m "${QEMU_MEM:-256}" -smp "${QEMU_SMP:-1}" \
		-cpu "${QEMU_CPU:-qemu64}" -nodefaults -no-user-config \
		-display none -no-reboot \
		-serial "file:$log" -serial "file:$out" \
		-kernel "$kernel" -initrd "$initrd" "${drive[@]}" \
		-append "console=ttyS0 panic=-1 quiet panic_on_warn=${QEMU_PANIC_ON_WARN:-1} oops=panic log_buf_len=16M ${QEMU_APPEND:-}" \
		</dev/null >>"$log" 2>&1
	for f in "$log" "$out"; do
		[ -f "$f" ] && tr -d '\r' <"$f" >"$f.txt" && mv "$f.txt" "$f"
	done
	[ -f "$out" ] || : >"$out"
	sed -n '/^SPOTLESS-GUEST-BEGIN$/,/^SPOTLESS-GUEST-EXIT /p' "$out" |
		sed '1d;/^SPOTLESS-GUEST-EXIT /d'
	rc=$(sed -n 's/^SPOTLESS-GUEST-EXIT \([0-9]*\)$/\1/p' "$out" | tail -n 1)
	if [ -z "$rc" ]; then
		qemu_say "the guest did not finish (crash, panic or timeout); its console:" >&2
		tail -n 60 "$log" | sed 's/^/  | /' >&2
		return 125
	fi
	return "$rc"
}
