// SPDX-License-Identifier: MIT
/*
 * CRC32C by SSE4.2's crc32 instruction (x86-64), when the CPU has it.
 *
 * The instruction works on general-purpose registers only: neither kernel
 * needs to save FPU state around it. One crc32q takes three cycles but a
 * new one can start every cycle, so the buffer is cut into three streams
 * computed side by side; their registers are then joined with the shift
 * tables (a register moved across one stream's length of zero bytes).
 * What no stream covers (the unaligned head, the tail) goes one stream.
 */
#include "spotless_crc32c.h"

#if defined(__x86_64__)

#include "spotless_crc32c_shift.h"

static inline uint32_t crc32_8_bytes(uint32_t crc, const unsigned char *p)
{
	uint64_t value, reg = crc;

	__builtin_memcpy(&value, p, sizeof(value));
	__asm__("crc32q %1, %0" : "+r"(reg) : "rm"(value));
	return (uint32_t)reg;
}

static inline uint32_t crc32_byte(uint32_t crc, unsigned char byte)
{
	__asm__("crc32b %1, %0" : "+r"(crc) : "rm"(byte));
	return crc;
}

static inline uint32_t shift(const uint32_t table[4][256], uint32_t reg)
{
	return table[0][reg & 0xffu] ^ table[1][(reg >> 8) & 0xffu] ^
	       table[2][(reg >> 16) & 0xffu] ^ table[3][reg >> 24];
}

/*
 * 3 * block bytes from p as three streams of block bytes: the second and
 * third start from 0, and A || B || C = shift(shift(a) ^ b) ^ c.
 */
static uint32_t three_streams(uint32_t reg, const unsigned char *p, size_t block,
			      const uint32_t table[4][256])
{
	const unsigned char *end = p + block;
	uint32_t a = reg, b = 0, c = 0;

	for (; p < end; p += 8) {
		a = crc32_8_bytes(a, p);
		b = crc32_8_bytes(b, p + block);
		c = crc32_8_bytes(c, p + 2 * block);
	}
	return shift(table, shift(table, a) ^ b) ^ c;
}

uint32_t spotless_crc32c_update_hw(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t reg = ~crc;

	for (; len && ((uintptr_t)p & 7u); len--)
		reg = crc32_byte(reg, *p++);
	for (; len >= 3 * SPOTLESS_CRC32C_LONG_BLOCK; len -= 3 * SPOTLESS_CRC32C_LONG_BLOCK) {
		reg = three_streams(reg, p, SPOTLESS_CRC32C_LONG_BLOCK, crc32c_shift_long);
		p += 3 * SPOTLESS_CRC32C_LONG_BLOCK;
	}
	for (; len >= 3 * SPOTLESS_CRC32C_SHORT_BLOCK; len -= 3 * SPOTLESS_CRC32C_SHORT_BLOCK) {
		reg = three_streams(reg, p, SPOTLESS_CRC32C_SHORT_BLOCK, crc32c_shift_short);
		p += 3 * SPOTLESS_CRC32C_SHORT_BLOCK;
	}
	for (; len >= 8; len -= 8, p += 8)
		reg = crc32_8_bytes(reg, p);
	for (; len; len--)
		reg = crc32_byte(reg, *p++);
	return ~reg;
}

/* CPUID leaf 1, ECX bit 20: SSE4.2, which brings crc32. */
static int cpu_has_sse42(void)
{
	uint32_t eax = 1, ebx, ecx = 0, edx;

	__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
	return (ecx >> 20) & 1u;
}

int spotless_crc32c_hw_available(void)
{
	/* Asked once: 0 not yet, 1 no, 2 yes. Racing first callers agree. */
	static int answer;
	int known = __atomic_load_n(&answer, __ATOMIC_RELAXED);

	if (!known) {
		known = cpu_has_sse42() ? 2 : 1;
		__atomic_store_n(&answer, known, __ATOMIC_RELAXED);
	}
	return known == 2;
}

#else /* not x86-64: the table only */

uint32_t spotless_crc32c_update_hw(uint32_t crc, const void *data, size_t len)
{
	return spotless_crc32c_update_table(crc, data, len);
}

int spotless_crc32c_hw_available(void)
{
	return 0;
}

#endif
