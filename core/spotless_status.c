// SPDX-License-Identifier: MIT
/*
 * Words for the statuses, from the table in commands.h: the drivers' log
 * lines and userland's messages say the same thing for the same status.
 */
#include "spotless_status.h"

/* The table's values are 0 to COUNT - 1 with none skipped: each below
 * COUNT (the rows' number), and the arrays below refuse two rows with one
 * value (-Werror's override-init). */
#define SPOTLESS_STATUS_BELOW_COUNT_(name, value, ...) \
	typedef char spotless_status_check_##name[(value) < SPOTLESS_STATUS_COUNT ? 1 : -1];
SPOTLESS_STATUSES(SPOTLESS_STATUS_BELOW_COUNT_)

#define SPOTLESS_STATUS_TEXT_(name, value, text, ...) [value] = text,
static const char *const status_texts[SPOTLESS_STATUS_COUNT] = {
	SPOTLESS_STATUSES(SPOTLESS_STATUS_TEXT_)
};

#define SPOTLESS_STATUS_NAME_(name, value, ...) [value] = #name,
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
