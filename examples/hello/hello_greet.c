// SPDX-License-Identifier: MIT
/*
 * GREET, hello's own command: its handler, named in its row
 * (hello_config.h). The core has checked the handle's access and the sizes
 * against the row before this runs: in_len is 0 to 64.
 */
#include "spotless_core.h"

#if defined(__linux__) && defined(__KERNEL__)
#include <linux/string.h>
#else
#include <string.h>
#endif

enum spotless_status hello_cmd_greet(struct spotless_device_state *dev,
				     struct spotless_handle_state *handle,
				     const struct spotless_request *req,
				     struct spotless_result *res)
{
	size_t prefix = sizeof(HELLO_GREETING) - 1;
	/* Read before writing: with METHOD_BUFFERED in and out are one buffer. */
	unsigned char name[HELLO_NAME_MAX];

	(void)dev;
	(void)handle;
	if (!req->in_len || !req->in)
		return SPOTLESS_ERR_EMPTY_INPUT;
	if (!req->out || req->out_len < prefix + req->in_len)
		return SPOTLESS_ERR_OUTPUT_TOO_SMALL;
	memcpy(name, req->in, req->in_len);
	memcpy(req->out, HELLO_GREETING, prefix);
	memcpy((unsigned char *)req->out + prefix, name, req->in_len);
	res->written = res->information = prefix + req->in_len;
	res->consumed = req->in_len;
	return SPOTLESS_OK;
}
