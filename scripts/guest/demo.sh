# Runs inside the QEMU guest for make demo: load spotless.ko with the CLI,
# the tutorial's exchange, unload, and the module's lines of the kernel log.
MESSAGE="spotless saying ola from userland"

./spotless install ./spotless.ko >/dev/null || exit 1
echo "[guest] $(uname -sr): spotless.ko loaded, $(ls -l /dev/spotless | cut -c1-10) /dev/spotless"
echo
echo "\$ spotless send \"$MESSAGE\""
./spotless send "$MESSAGE" || exit 1
echo
echo "\$ spotless info"
./spotless info || exit 1
echo
echo "\$ spotless echo --size 64K"
./spotless echo --size 64K || exit 1
./spotless remove >/dev/null || exit 1
echo
echo "The module's log (dmesg):"
dmesg | sed -n 's/^\[[ 0-9.]*\] \(spotless: .*\)$/  \1/p' | grep -v 'taints kernel\|verification failed'
