/* SPDX-License-Identifier: MIT */
/*
 * CRC32C bit by bit, straight from its definition (reflected polynomial
 * 0x82F63B78, initial and final XOR): slow, and independent of the driver's
 * tables, which the tests check against it.
 */
#ifndef SPOTLESS_CRC32C_REFERENCE_H
#define SPOTLESS_CRC32C_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t crc32c_reference(const unsigned char *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
	}
	return ~crc;
}

#endif /* SPOTLESS_CRC32C_REFERENCE_H */
