/* SPDX-License-Identifier: MIT */
/*
 * The unit tests' way into the core: one device and one handle, a request
 * in, and the invariants every result keeps checked on the way out. A test
 * file includes it once and initialises the two before its tests run.
 */
#ifndef SPOTLESS_TEST_CORE_CALL_H
#define SPOTLESS_TEST_CORE_CALL_H

#include <string.h>

#include "check.h"
#include "spotless_core.h"

static struct spotless_device_state device;
static struct spotless_handle_state handle_state;

static inline void core_call(uint32_t code, const void *in, size_t in_len, void *out,
			     size_t out_len, struct spotless_result *res)
{
	struct spotless_request req = {
		.code = code, .in = in, .in_len = in_len,
		.out = out, .out_len = out_len,
	};

	/* Garbage in the result must not survive the call. */
	memset(res, 0xFF, sizeof(*res));
	spotless_core_handle(&device, &handle_state, &req, res);
	CHECK(res->information <= res->written);
	CHECK(res->written <= out_len);
}

#endif /* SPOTLESS_TEST_CORE_CALL_H */
