// SPDX-License-Identifier: MIT
/*
 * Words for the statuses: the drivers' log lines and userland's messages
 * say the same thing for the same status.
 */
#include "spotless_status.h"

const char *spotless_status_text(uint32_t status)
{
	switch ((enum spotless_status)status) {
	case SPOTLESS_OK:
		return "success";
	case SPOTLESS_ERR_UNKNOWN_CODE:
		return "unknown control code";
	case SPOTLESS_ERR_EMPTY_INPUT:
		return "empty input";
	case SPOTLESS_ERR_INPUT_TOO_LARGE:
		return "input too large";
	case SPOTLESS_ERR_OUTPUT_TOO_SMALL:
		return "output buffer too small";
	case SPOTLESS_ERR_UNEXPECTED_INPUT:
		return "input given to a command that takes none";
	case SPOTLESS_ERR_CHECKSUM_MISMATCH:
		return "checksum mismatch";
	case SPOTLESS_ERR_BAD_BATCH:
		return "malformed batch";
	case SPOTLESS_ERR_NOT_BATCHABLE:
		return "command not allowed in a batch";
	case SPOTLESS_ERR_BAD_REQUEST:
		return "malformed request structure";
	case SPOTLESS_ERR_ACCESS_DENIED:
		return "handle not opened for this access";
	}
	return "unknown status";
}
