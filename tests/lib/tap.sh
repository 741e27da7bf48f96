# shellcheck shell=bash
# The test scripts' common words: every test prints "ok - NAME" or
# "not ok - NAME" and is appended to RESULTS, which tap_summary counts.
# Sourced by tests/run.sh and tests/check.sh, after RESULTS is set.

emit() { printf '%s\n' "$*" | tee -a "$RESULTS"; }
ok() { emit "ok - $1"; }
not_ok() {
	emit "not ok - $1"
	shift
	[ $# -gt 0 ] && printf '#   %s\n' "$@"
	return 0
}

# check NAME CONDITION-COMMAND...: one shell-level test.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	elif [[ $name == cli_* || $name == defect9_* ]]; then
		# What the last CLI run said, so that a failure explains itself.
		not_ok "$name" "last spotless run: exit ${CLI_RC:-?}" \
			"stdout: ${CLI_OUT:-}" "stderr: ${CLI_ERR:-}"
	else
		not_ok "$name"
	fi
}

# suite NAME COMMAND...: a C test program; its ok / not ok lines are counted,
# and a crash or a non-zero exit without a failed test counts as a failure.
suite() {
	local name=$1 out rc=0
	shift
	printf '# == %s\n' "$name"
	out=$("$@" 2>&1) || rc=$?
	printf '%s\n' "$out" | tr -d '\r' | tee -a "$RESULTS" >/dev/null
	printf '%s\n' "$out" | tr -d '\r' | grep -v '^ok - ' || true
	if [ "$rc" -ne 0 ] && ! printf '%s\n' "$out" | grep -q '^not ok - '; then
		not_ok "$name exits 0" "exit status $rc"
	fi
}

# fast_suites: what 'make check' runs, and 'make test' first: the core's
# unit tests (ASan + UBSan), the Windows driver's sources under the NT model
# (ASan + UBSan, TSan; a short pass on fixed seeds, 'make verify-windows'
# runs it longer) and a short, fixed-seed fuzzing pass ('make fuzz' runs
# long ones). Needs the host programs built (make host).
fast_suites() {
	local fuzz_out fuzz_rc=0
	suite "core unit tests" build/host/test_core
	suite "command table" build/host/test_table
	suite "echo and batch unit tests" build/host/test_echo_batch
	suite "event queue unit tests" build/host/test_events
	suite "CRC32C unit tests" build/host/test_crc32c
	suite "NT model, ASan + UBSan" build/host/test_ntmodel
	suite "NT model, TSan" build/host/test_ntmodel_tsan
	suite "NT model against driver mutants" tests/ntmodel/mutants.sh
	printf '# == fuzzing the core (300000 runs)\n'
	mkdir -p build/fuzz/corpus
	fuzz_out=$(cd build/fuzz && ../host/fuzz_core -runs=300000 -seed=1 corpus 2>&1) || fuzz_rc=$?
	if [ "$fuzz_rc" -eq 0 ] && grep -q '^Done 300000 runs' <<<"$fuzz_out"; then
		ok "fuzz_core_300000_runs_no_finding"
	else
		not_ok "fuzz_core_300000_runs_no_finding"
		printf '%s\n' "$fuzz_out" | tail -n 30 | sed 's/^/#   /'
	fi
}

# tap_summary START: the failed tests again, then "N passed, N failed";
# returns non-zero when one failed.
tap_summary() {
	local passed failed
	passed=$(grep -c '^ok - ' "$RESULTS")
	failed=$(grep -c '^not ok - ' "$RESULTS")
	printf '# results in %s, %s s\n' "${RESULTS#"$ROOT"/}" "$(($(date +%s) - $1))"
	if [ "$failed" -ne 0 ]; then
		printf '# failed:\n'
		grep '^not ok - ' "$RESULTS" | sed 's/^/#   /'
	fi
	printf '%d passed, %d failed\n' "$passed" "$failed"
	[ "$failed" -eq 0 ]
}
