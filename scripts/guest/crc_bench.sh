# Runs inside the QEMU guest for scripts/bench_kernel_crc.sh: loads the
# CRC32C bench module (which measures at load) and hands its CSV lines to
# the host between markers, then says which crc32c drivers the crypto API
# has (before 6.14 libcrc32c takes the one of highest priority).
insmod ./spotless_crc_bench.ko ms=20 || { dmesg | tail -n 20; exit 1; }
echo "SPOTLESS-CSV-BEGIN kcrc"
dmesg | sed -n 's/.*spotless_crc_bench: csv //p'
echo "SPOTLESS-CSV-END"
rmmod spotless_crc_bench
awk '$1 == "name" { n = $3 } $1 == "driver" { d = $3 }
     $1 == "priority" && n == "crc32c" { print "crypto crc32c driver: " d ", priority " $3 }' /proc/crypto
