/* SPDX-License-Identifier: MIT */
/*
 * The protocol's statuses as the core returns them, and their words: the
 * part of the core that userland needs too (libspotless names a batch
 * record's status with it). Kernel glue includes spotless_core.h instead.
 */
#ifndef SPOTLESS_STATUS_H
#define SPOTLESS_STATUS_H

#include "spotless/wire_protocol.h"

/* The wire's status numbers (commands.h's table), as an enum for switches:
 * SPOTLESS_OK, SPOTLESS_ERR_UNKNOWN_CODE, ...
 */
#define SPOTLESS_STATUS_ERR_(name, value, ...) SPOTLESS_ERR_##name = value,
enum spotless_status {
	SPOTLESS_STATUSES(SPOTLESS_STATUS_ERR_)
};

#undef SPOTLESS_STATUS_ERR_
#define SPOTLESS_OK	SPOTLESS_ERR_OK

/* A short English phrase for a SPOTLESS_STATUS_* number: the drivers' log
 * lines and userland's messages say the same thing for the same status.
 */
const char *spotless_status_text(uint32_t status);

/* The status's name as the table spells it ("OUTPUT_TOO_SMALL"), or NULL
 * for a number the table does not have.
 */
const char *spotless_status_name(uint32_t status);

#endif /* SPOTLESS_STATUS_H */
