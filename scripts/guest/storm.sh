# Runs inside the QEMU guest for make fuzz-storm: load spotless.ko, storm it
# with the request count and seed of storm.env, check the kernel log.
. ./storm.env
./spotless install ./spotless.ko >/dev/null || exit 1
echo "[guest] $(uname -sr), $(nproc) CPU(s), panic_on_warn=1 oops=panic: spotless.ko loaded"
./spotless_storm --requests "$STORM_REQUESTS" --seed "$STORM_SEED" --threads 2
rc=$?
./spotless remove >/dev/null || { echo "not ok - module_unloads_after_the_storm"; rc=1; }
if dmesg | grep -qE "WARNING:|BUG:|Oops|general protection"; then
	echo "not ok - no_kernel_warning_or_oops"
	dmesg | grep -E -A20 "WARNING:|BUG:|Oops|general protection" | sed 's/^/# /'
	rc=1
else
	echo "ok - no_kernel_warning_or_oops"
fi
exit $rc
