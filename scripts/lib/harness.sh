# shellcheck shell=bash
# Everything a script that runs the drivers needs, in the order the parts
# depend on each other: the Wine harness, the QEMU harness, the kernels the
# module is tested on, and the module's suite on one of them. Sourced from
# the repository's root by tests/run.sh, scripts/storm.sh, scripts/verify-linux.sh.
_harness_dir=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=scripts/lib/wine.sh
source "$_harness_dir/wine.sh"
# shellcheck source=scripts/lib/qemu.sh
source "$_harness_dir/qemu.sh"
# shellcheck source=scripts/lib/kernels.sh
source "$_harness_dir/kernels.sh"
# shellcheck source=scripts/lib/guest_suite.sh
source "$_harness_dir/guest_suite.sh"
