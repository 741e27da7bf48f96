// SPDX-License-Identifier: MIT
/*
 * The command table (include/spotless/commands.h) as data: one entry a row,
 * and the lookup of a code. A switch on every code finds it, so that two
 * rows with one code do not compile.
 */
#include "spotless_core_internal.h"

#define ENTRY_(cmd, counter_, fn, method, access, nr, dir, lsize, in, out, \
	       in_max_, out_max_, slot_, cap, flags_, handler_) \
	{ \
		.code = SPOTLESS_ROW_CODE(cmd, counter_, fn, method, access), \
		.linux_cmd = (nr) ? SPOTLESS_ROW_IOC(cmd, counter_, fn, method, \
						     access, nr, dir, lsize) : 0u, \
		.name = #cmd, .counter = counter_, \
		.in_struct = (in), .out_struct = (out), \
		.in_max = (in_max_), .out_max = (out_max_), \
		.slot = (slot_), .capability = 1ull << (cap), .flags = (flags_), \
		.handler = handler_, \
	},

const struct spotless_command spotless_command_table[] = {
	SPOTLESS_COMMANDS(ENTRY_)
};

const unsigned int spotless_command_count =
	sizeof(spotless_command_table) / sizeof(spotless_command_table[0]);

#define INDEX_(name, ...) ROW_##name,
enum { SPOTLESS_COMMANDS(INDEX_) ROWS };

#define CASE_(name, counter, fn, method, access, ...) \
	case SPOTLESS_ROW_CODE(name, counter, fn, method, access): \
		return &spotless_command_table[ROW_##name];

const struct spotless_command *spotless_command_find(uint32_t code)
{
	switch (code) {
	SPOTLESS_COMMANDS(CASE_)
	}
	return NULL;
}
