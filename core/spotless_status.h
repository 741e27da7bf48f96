/* SPDX-License-Identifier: MIT */
/*
 * The protocol's statuses as the core returns them, and their words: the
 * part of the core that userland needs too (libspotless names a batch
 * record's status with it). Kernel glue includes spotless_core.h instead.
 */
#ifndef SPOTLESS_STATUS_H
#define SPOTLESS_STATUS_H

#include "spotless/wire_protocol.h"

/* The wire's status numbers (SPOTLESS_STATUS_*), as an enum for switches. */
enum spotless_status {
	SPOTLESS_OK = SPOTLESS_STATUS_OK,
	SPOTLESS_ERR_UNKNOWN_CODE = SPOTLESS_STATUS_UNKNOWN_CODE,
	SPOTLESS_ERR_EMPTY_INPUT = SPOTLESS_STATUS_EMPTY_INPUT,
	SPOTLESS_ERR_INPUT_TOO_LARGE = SPOTLESS_STATUS_INPUT_TOO_LARGE,
	SPOTLESS_ERR_OUTPUT_TOO_SMALL = SPOTLESS_STATUS_OUTPUT_TOO_SMALL,
	SPOTLESS_ERR_UNEXPECTED_INPUT = SPOTLESS_STATUS_UNEXPECTED_INPUT,
	SPOTLESS_ERR_CHECKSUM_MISMATCH = SPOTLESS_STATUS_CHECKSUM_MISMATCH,
	SPOTLESS_ERR_BAD_BATCH = SPOTLESS_STATUS_BAD_BATCH,
	SPOTLESS_ERR_NOT_BATCHABLE = SPOTLESS_STATUS_NOT_BATCHABLE,
	SPOTLESS_ERR_BAD_REQUEST = SPOTLESS_STATUS_BAD_REQUEST,
	SPOTLESS_ERR_ACCESS_DENIED = SPOTLESS_STATUS_ACCESS_DENIED,
};

/* A short English phrase for a SPOTLESS_STATUS_* number: the drivers' log
 * lines and userland's messages say the same thing for the same status. */
const char *spotless_status_text(uint32_t status);

#endif /* SPOTLESS_STATUS_H */
