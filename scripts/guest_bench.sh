# Runs inside the QEMU guest for make bench: load spotless.ko, run
# 'spotless bench', print its CSV between markers for the host to keep.
./spotless install ./spotless.ko >/dev/null || exit 1
./spotless bench --csv /tmp/bench.csv $(cat ./bench.args) || rc=$?
echo "SPOTLESS-CSV-BEGIN"
cat /tmp/bench.csv
echo "SPOTLESS-CSV-END"
./spotless remove >/dev/null
exit ${rc:-0}
