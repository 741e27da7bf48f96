/* SPDX-License-Identifier: MIT */
#ifndef SPOTLESS_CRC32C_H
#define SPOTLESS_CRC32C_H

#include "spotless/wire_types.h"

/*
 * CRC32C of len bytes, continuing from crc (0 to start): the same value for
 * data split over several calls as for one call over all of it. By the
 * crc32 instruction when the CPU has it (asked once), by the table if not.
 */
uint32_t spotless_crc32c_update(uint32_t crc, const void *data, size_t len);

/* The two ways, the same values; for the tests and the benchmarks. */
uint32_t spotless_crc32c_update_table(uint32_t crc, const void *data, size_t len);
/* Only where spotless_crc32c_hw_available(): SSE4.2 on x86-64. */
uint32_t spotless_crc32c_update_hw(uint32_t crc, const void *data, size_t len);
int spotless_crc32c_hw_available(void);

#endif /* SPOTLESS_CRC32C_H */
