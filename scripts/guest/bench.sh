# Runs inside the QEMU guest for make bench: load spotless.ko and the null
# misc device (the floor of an ioctl on this kernel), run 'spotless bench'
# with it as peer; then the tutorial exchange alone with the module's log
# off (log=0) and on (log=1), in turn, five rounds; then the core's CRC32C
# alone (bench_crc32c).
# Each CSV goes out between markers for the host.
./spotless install ./spotless.ko >/dev/null || exit 1
insmod ./spotless_null.ko || exit 1
./spotless bench --csv /tmp/bench.csv --peer-device /dev/spotless_null $(cat ./bench.args) || rc=$?
for round in 1 2 3 4 5; do
	for log in 0 1; do
		echo $log >/sys/module/spotless/parameters/log
		./spotless bench $(cat ./bench.args) --only exchange --csv /tmp/one.csv >/dev/null || rc=$?
		cat /tmp/one.csv >>/tmp/log$log.csv
	done
done
# The core's CRC32C in this guest: what QEMU's emulation makes of each way.
./bench_crc32c --ms 50 --csv /tmp/crc.csv >/dev/null || rc=$?
for f in bench log0 log1 crc; do
	echo "SPOTLESS-CSV-BEGIN $f"
	cat /tmp/$f.csv
	echo "SPOTLESS-CSV-END"
done
rmmod spotless_null
./spotless remove >/dev/null
exit ${rc:-0}
