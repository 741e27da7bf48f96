// SPDX-License-Identifier: MIT
/*
 * Words for the statuses, from the table in commands.h: the drivers' log
 * lines and userland's messages say the same thing for the same status.
 */
#include "spotless_status.h"

/*
 * Each row's value is its place in the table, 0 to COUNT - 1: an array
 * filled in the table's order is indexed by the status (these below, the
 * Linux glue's errno map).
 */
#define SPOTLESS_STATUS_ROW_(name, ...) spotless_status_row_##name,
enum { SPOTLESS_STATUSES(SPOTLESS_STATUS_ROW_) };
#define SPOTLESS_STATUS_IN_ORDER_(name, value, ...) (spotless_status_row_##name == (value)) &&
_Static_assert(SPOTLESS_STATUSES(SPOTLESS_STATUS_IN_ORDER_) 1, "statuses in their table's order");

#define SPOTLESS_STATUS_TEXT_(name, value, text, ...) text,
static const char *const status_texts[SPOTLESS_STATUS_COUNT] = {
	SPOTLESS_STATUSES(SPOTLESS_STATUS_TEXT_)
};

#define SPOTLESS_STATUS_NAME_(name, ...) #name,
static const char *const status_names[SPOTLESS_STATUS_COUNT] = {
	SPOTLESS_STATUSES(SPOTLESS_STATUS_NAME_)
};

const char *spotless_status_text(uint32_t status)
{
	return status < SPOTLESS_STATUS_COUNT ? status_texts[status] : "unknown status";
}

const char *spotless_status_name(uint32_t status)
{
	return status < SPOTLESS_STATUS_COUNT ? status_names[status] : NULL;
}
