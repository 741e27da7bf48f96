/* SPDX-License-Identifier: MIT */
#ifndef SPOTLESS_CRC32C_H
#define SPOTLESS_CRC32C_H

#include "spotless/wire_types.h"

/*
 * CRC32C of len bytes, continuing from crc (0 to start): the same value for
 * data split over several calls as for one call over all of it.
 */
uint32_t spotless_crc32c_update(uint32_t crc, const void *data, size_t len);

#endif /* SPOTLESS_CRC32C_H */
