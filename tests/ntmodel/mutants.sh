#!/usr/bin/env bash
# The NT model's tests against mutants: a copy of the driver with one check
# taken out, built under the model (make ntmodel-mutant). Each mutant must
# make the named test fail; one that passes means the model cannot see that
# check. Prints TAP lines ("ok - mutant_NAME_caught") for tests/run.sh.
#
#   tests/ntmodel/mutants.sh
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
WORK="$ROOT/build/mutants"

failed=0

# mutant NAME FILE SED_EXPRESSION TEST: the copy with FILE changed must fail TEST.
mutant() {
	local name=$1 file=$2 expr=$3 test=$4 dir="$WORK/$1"

	rm -rf "$dir"
	mkdir -p "$dir"
	cp windows/driver/*.c windows/driver/*.h "$dir/"
	sed -i "$expr" "$dir/$file"
	if cmp -s "windows/driver/$file" "$dir/$file"; then
		echo "# mutant $name: the change to $file did not apply (the source moved on?)"
		echo "not ok - mutant_${name}_caught"
		failed=1
		return
	fi
	if ! make -s --no-print-directory ntmodel-mutant MUTANT_DRIVER="$dir" >"$dir/build.log" 2>&1; then
		echo "# mutant $name: does not build; see $dir/build.log"
		echo "not ok - mutant_${name}_caught"
		failed=1
		return
	fi
	"$dir/test_ntmodel" >"$dir/run.log" 2>&1
	if grep -q "^not ok - $test\$" "$dir/run.log"; then
		echo "# mutant $name ($file: $expr): $test fails, as it must"
		echo "ok - mutant_${name}_caught"
	else
		echo "# mutant $name ($file: $expr): $test passed; see $dir/run.log"
		echo "not ok - mutant_${name}_caught"
		failed=1
	fi
}

# METHOD_NEITHER's copies told the requestor is the kernel: nothing probed.
mutant no_probe dispatch.c 's/irp->RequestorMode/KernelMode/g' \
	test_win_user_caller_cannot_reach_kernel_memory
# The caller's whole output MDL mapped, as before the partial MDL.
mutant whole_mdl_mapped direct_io.c 's/partial_mdls = !/partial_mdls = FALSE \&\& !/' \
	test_win_direct_output_mapped_as_far_as_the_answer
# ExAllocatePool2 without POOL_FLAG_USE_QUOTA: pool charged to nobody.
mutant pool_not_charged pool.c 's/SPOTLESS_POOL_FLAG_USE_QUOTA |//' \
	test_win_pool_charged_by_exallocatepool2
exit "$failed"
