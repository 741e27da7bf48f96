#!/bin/bash
# Runs inside the package test's guest: Debian 12 booted with systemd and
# udev from its own disk, spotless's .debs in /root/spotless-test/debs.
# Installs them as a user would (apt, DKMS building for this kernel), talks
# to the driver as a member of group spotless and as an outsider, then
# purges the packages and looks for anything left. "ok - / not ok -" lines.
set -u
cd /root/spotless-test || exit 1
VERSION=$(cat version)
MESSAGE="spotless saying ola from userland"
export DEBIAN_FRONTEND=noninteractive

check() {
	local name=$1
	shift
	if "$@"; then echo "ok - package_$name"; else echo "not ok - package_$name"; return 1; fi
}
# as USER COMMAND...: runs COMMAND as USER, output in OUT, status in RC.
as() {
	local user=$1
	shift
	OUT=$(runuser -u "$user" -- "$@" 2>&1)
	RC=$?
}
show() { printf '#   %s\n' "$@"; }

echo "# kernel $(uname -r), $(nproc) CPUs"
echo "# apt-get install $(ls debs | tr '\n' ' ')"
start=$(date +%s)
apt-get install -y --no-install-recommends ./debs/*.deb >apt-install.log 2>&1
rc=$?
check apt_install_exits_0 [ $rc -eq 0 ] || tail -n 30 apt-install.log | sed 's/^/#   /'
echo "# apt-get install took $(($(date +%s) - start)) s (DKMS builds the module in this guest)"
grep -i 'dkms\|Building module\|Installing' apt-install.log | sed 's/^/#   apt: /' | head -n 12
check dkms_built_for_the_running_kernel eval \
	"dkms status spotless 2>/dev/null | grep '^spotless/$VERSION, $(uname -r), x86_64: installed' >/dev/null" ||
	show "$(dkms status 2>&1)"
check modinfo_names_the_version [ "$(modinfo -F version spotless 2>&1)" = "$VERSION" ]
# Secure Boot: DKMS signs what it builds with its MOK key, made at the first
# build (/var/lib/dkms/mok.key and mok.pub); the module names that signer.
# (Enrolling the key, mokutil --import, takes a reboot into shim's
# MokManager: no QEMU guest here has Secure Boot, so that step is the docs'.)
signer=$(modinfo -F signer spotless 2>&1)
echo "# modinfo -F signer spotless: $signer"
check dkms_signed_the_module_with_its_mok_key [ "$signer" = "DKMS module signing key" ]
check dkms_mok_certificate_names_that_signer eval \
	"openssl x509 -inform DER -in /var/lib/dkms/mok.pub -noout -subject 2>/dev/null |
	 grep -q 'CN *= *DKMS module signing key'"
check group_spotless_created eval "getent group spotless >/dev/null"

# crc32c() is libcrc32c's on this kernel (before 6.14): depmod recorded it,
# so modprobe loads it first.
check module_depends_on_libcrc32c [ "$(modinfo -F depends spotless 2>&1)" = libcrc32c ]
check modprobe_loads_the_module modprobe spotless
check modprobe_loaded_libcrc32c_first [ -e /sys/module/libcrc32c/initstate ]
udevadm settle
perm=$(stat -c '%G %a' /dev/spotless 2>&1)
check udev_gives_group_spotless_0660 [ "$perm" = "spotless 660" ] || show "$perm"

useradd -m -G spotless member
useradd -m outsider

as member spotless send "$MESSAGE"
expected="> Issuing IOCTL_SPOTLESS 0xc030d501
> IOCTL_SPOTLESS 0xc030d501 issued
> Received from the kernel land: ohai from them kernelz. Received buffer size: 22"
check member_send_prints_the_tutorial_lines eval '[ "$RC" -eq 0 ] && [ "$OUT" = "$expected" ]' ||
	show "exit $RC" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/#   member$ spotless send: /'
as member spotless info
check member_info_names_driver_and_library eval \
	"[ $RC -eq 0 ] && printf '%s\n' \"\$OUT\" | grep -qx 'driver       $VERSION' &&
	 printf '%s\n' \"\$OUT\" | grep -qx 'library      $VERSION' &&
	 printf '%s\n' \"\$OUT\" | grep -qx 'os           Linux'" || show "exit $RC" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/#   member$ spotless info: /'
as member spotless echo --size=64K
check member_echo_64k [ "$RC" -eq 0 ] || show "exit $RC" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/#   member$ spotless echo --size=64K: /'
as member spotless --version
check member_cli_version [ "$OUT" = "$(printf 'spotless %s\nlibspotless %s' "$VERSION" "$VERSION")" ] ||
	show "$OUT"

# watch in the background, post from a second process of the same user.
runuser -u member -- spotless watch --count 2 --timeout 20000 >watch.out 2>&1 &
watcher=$!
sleep 1
as member spotless post "hello from the package test"
post_rc=$RC
wait "$watcher"
watch_rc=$?
check member_post_reaches_watch eval \
	"[ $post_rc -eq 0 ] && [ $watch_rc -eq 0 ] && grep -q 'hello from the package test' watch.out" ||
	show "post exit $post_rc, watch exit $watch_rc" "$(cat watch.out)"
sed 's/^/#   member$ spotless watch: /' watch.out

# A program of the user's, built against the installed library with pkg-config.
cp example.c /home/member/ && chown member /home/member/example.c
as member sh -c 'cd && cc -Wall -Wextra -Werror -o example example.c $(pkg-config --cflags --libs spotless) && ./example'
check member_program_built_with_pkg_config eval '[ "$RC" -eq 0 ] &&
	printf "%s\n" "$OUT" | grep -q "^reply ohai from them kernelz (22 bytes)\$"' || show "exit $RC" "$OUT"
printf '%s\n' "$OUT" | sed 's|^|#   member$ ./example: |'

as outsider spotless send "$MESSAGE"
check outsider_refused eval \
	'[ $RC -eq 1 ] && printf "%s\n" "$OUT" | grep -q "Permission denied" &&
	 printf "%s\n" "$OUT" | grep -q "group spotless"' || show "exit $RC" "$OUT"
printf '%s\n' "$OUT" | sed 's/^/#   outsider$ spotless send: /'

# Removal: unload, purge, and look for what the packages had put in place.
check rmmod_unloads rmmod spotless
apt-get purge -y spotless spotless-dkms libspotless-dev libspotless0 >apt-purge.log 2>&1
check apt_purge_exits_0 [ $? -eq 0 ] || tail -n 20 apt-purge.log | sed 's/^/#   /'
left=$( { dpkg-query -W -f '${Package} ${db:Status-Status}\n' 'spotless*' 'libspotless*' 2>/dev/null |
		grep -v ' not-installed$'
	  ls -d /usr/src/spotless-* /var/lib/dkms/spotless /lib/udev/rules.d/60-spotless.rules \
		/usr/include/spotless.h /usr/include/spotless /usr/bin/spotless 2>/dev/null
	  find /lib/modules -name 'spotless.ko*' 2>/dev/null
	  ls /usr/lib/x86_64-linux-gnu/libspotless* 2>/dev/null
	  ldconfig -p | grep libspotless; } )
check purge_leaves_nothing [ -z "$left" ] || show "$left"
# Debian leaves system groups in place on purge (files may still name them).
check purge_keeps_the_system_group eval "getent group spotless >/dev/null"
exit 0
