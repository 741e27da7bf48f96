// SPDX-License-Identifier: MIT
/*
 * CRC32C for programs: the protocol's checksum (ECHO's trailer, BATCH's echo
 * records), the core's implementation, by the crc32 instruction where the
 * CPU has it.
 */
#include "spotless.h"
#include "spotless_crc32c.h"

uint32_t spotless_crc32c(const void *data, size_t len)
{
	return spotless_crc32c_update(0, data, len);
}

int spotless_crc32c_uses_instruction(void)
{
	return spotless_crc32c_hw_available();
}
