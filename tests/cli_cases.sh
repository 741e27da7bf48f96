# shellcheck shell=sh
# The CLI's cases that hold on both OSes, sourced by tests/run.sh (the
# Windows tool under Wine) and scripts/guest/tests.sh (the Linux tool in the
# QEMU guest): plain sh, so that busybox runs it too. Each runner provides
# cli ARGS (sets RC, OUT, ERR), check NAME COMMAND and has TEXT PART.

# Any command by its name, and a refusal's portable kind; a device that is
# not there, named in the message.
cli_cases_call() {
	cli call --out 64 info
	check "cli_call_info_by_name_zero_extended" eval '[ "$RC" -eq 0 ] && \
		has "$OUT" "answer 64 bytes" && has "$OUT" "0000  38 00 00 00"'
	cli call --out 4 echo_buffered abc
	check "cli_call_output_too_small_kind" eval '[ "$RC" -eq 1 ] && has "$ERR" "kind: output_too_small"'
	cli --device nothere info
	check "cli_failed_open_names_the_device" eval '[ "$RC" -eq 1 ] && \
		has "$ERR" "cannot open the device nothere"'
}

# Options written NAME=VALUE, and a value that is not a number.
cli_cases_options() {
	cli echo --size=64K --method=buffered
	check "cli_echo_option_with_equals_sign" eval '[ "$RC" -eq 0 ] && \
		has "$OUT" "echo buffered      65536 bytes there and back, identical"'
	cli watch --timeout 5x
	check "cli_watch_timeout_not_a_number_gets_usage" eval '[ "$RC" -eq 2 ] && \
		has "$ERR" "spotless watch: --timeout: " && \
		has "$ERR" "5x" && has "$ERR" "is not a whole number from -1 to 86400000"'
}

# STATS with one handle open (this one): nothing outstanding but it, and
# every counter the driver keeps by the table's names (a request slot per
# command, an error slot per status).
cli_cases_stats() {
	cli stats --json
	check "cli_stats_json_no_leak" eval '[ "$RC" -eq 0 ] && \
		has "$OUT" "\"open_handles\":1,\"outstanding_allocations\":1," && has "$OUT" "\"echo\":"'
	cli stats
	check "cli_stats_shows_every_counter" eval '[ "$(printf "%s\n" "$OUT" | sed -n "s/^\(requests\|errors\) \([a-z_0-9]*\) .*/\2/p" | tr "\n" " ")" = \
		"message info stats echo batch post wait_event unknown unknown_code empty_input input_too_large output_too_small unexpected_input checksum_mismatch bad_batch not_batchable bad_request access_denied unknown_fields " ]'
}
