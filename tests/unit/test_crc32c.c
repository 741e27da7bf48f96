// SPDX-License-Identifier: MIT
/*
 * CRC32C, both ways the core computes it: the slicing-by-8 table and the
 * crc32 instruction with its three streams. Each is checked against the
 * bit-by-bit definition on random lengths and alignments, across the
 * lengths where the three-stream blocks begin and end, and split over
 * several calls; the shift tables are checked against the operator
 * computed here from the polynomial.
 *
 *   test_crc32c                      the tests
 *   test_crc32c --print-shift-tables the bodies of core/spotless_crc32c_shift.h
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "crc32c_reference.h"
#include "spotless_crc32c.h"
#include "spotless_crc32c_shift.h"

typedef uint32_t (*crc_fn)(uint32_t crc, const void *data, size_t len);

static unsigned char *random_bytes(size_t len, uint32_t seed)
{
	unsigned char *p = malloc(len + 16);
	size_t i;

	for (i = 0; p && i < len + 16; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	return p;
}

/* The register after n zero bytes, one reflected bit at a time. */
static uint32_t shift_by_definition(uint32_t reg, size_t n)
{
	int k;

	while (n--)
		for (k = 0; k < 8; k++)
			reg = (reg >> 1) ^ (0x82F63B78u & (0u - (reg & 1u)));
	return reg;
}

static int check_against_reference(crc_fn fn, const char *name)
{
	/* Around every block edge of the three streams, and random lengths. */
	static const size_t edges[] = {
		0, 1, 7, 8, 9, 767, 768, 769, 775, 776, 1535, 1536, 12287, 12288,
		12289, 12288 + 768, 12288 + 767, 24576 + 1543, 65536, 1048576,
	};
	unsigned char *p = random_bytes(1048576, 42);
	uint32_t seed = 7;
	size_t i, off;
	int bad = 0;

	for (i = 0; p && i < sizeof(edges) / sizeof(edges[0]); i++)
		for (off = 0; off < 8; off++)
			if (fn(0, p + off, edges[i]) != crc32c_reference(p + off, edges[i])) {
				printf("#   %s: length %zu at offset %zu differs\n", name, edges[i], off);
				bad = 1;
			}
	for (i = 0; p && i < 300; i++) {
		size_t len, cut;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 8) % 70000;
		off = seed % 16;
		cut = len ? (seed >> 4) % len : 0;
		if (fn(0, p + off, len) != crc32c_reference(p + off, len) ||
		    fn(fn(0, p + off, cut), p + off + cut, len - cut) !=
		    crc32c_reference(p + off, len)) {
			printf("#   %s: random length %zu at offset %zu (cut %zu) differs\n",
			       name, len, off, cut);
			bad = 1;
		}
	}
	free(p);
	return !bad && p;
}

static void test_check_value_both_ways(void)
{
	CHECK_EQ(spotless_crc32c_update_table(0, "123456789", 9), 0xE3069283u);
	CHECK_EQ(spotless_crc32c_update(0, "123456789", 9), 0xE3069283u);
	if (spotless_crc32c_hw_available())
		CHECK_EQ(spotless_crc32c_update_hw(0, "123456789", 9), 0xE3069283u);
}

static void test_table_matches_definition(void)
{
	CHECK(check_against_reference(spotless_crc32c_update_table, "table"));
}

static void test_instruction_matches_definition(void)
{
	if (!spotless_crc32c_hw_available()) {
		printf("#   this CPU has no SSE4.2: only the table is tested\n");
		return;
	}
	CHECK(check_against_reference(spotless_crc32c_update_hw, "crc32 instruction"));
}

static void test_dispatch_uses_the_instruction_when_there(void)
{
	unsigned char *p = random_bytes(100000, 3);

	CHECK(p != NULL);
	if (p)
		CHECK_EQ(spotless_crc32c_update(0, p, 100000), crc32c_reference(p, 100000));
	free(p);
	/* The answer is the CPU's: CPUID leaf 1, ECX bit 20. */
	CHECK_EQ(spotless_crc32c_hw_available(), __builtin_cpu_supports("sse4.2") ? 1 : 0);
}

static int shift_table_right(const uint32_t table[4][256], size_t n)
{
	int k, b;

	for (k = 0; k < 4; k++)
		for (b = 0; b < 256; b++)
			if (table[k][b] != shift_by_definition((uint32_t)b << (8 * k), n))
				return 0;
	return 1;
}

static void test_shift_tables_match_the_operator(void)
{
	CHECK(shift_table_right(crc32c_shift_long, SPOTLESS_CRC32C_LONG_BLOCK));
	CHECK(shift_table_right(crc32c_shift_short, SPOTLESS_CRC32C_SHORT_BLOCK));
}

static void print_table(const char *name, const char *size, size_t n)
{
	int k, b;

	printf("static const uint32_t crc32c_shift_%s[4][256] = {\t/* %s */\n", name, size);
	for (k = 0; k < 4; k++) {
		printf("\t{\n");
		for (b = 0; b < 256; b++)
			printf("%s0x%08xu,%s", b % 4 ? " " : "\t\t",
			       shift_by_definition((uint32_t)b << (8 * k), n),
			       b % 4 == 3 ? "\n" : "");
		printf("\t},\n");
	}
	printf("};\n");
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--print-shift-tables")) {
		print_table("long", "SPOTLESS_CRC32C_LONG_BLOCK", SPOTLESS_CRC32C_LONG_BLOCK);
		printf("\n");
		print_table("short", "SPOTLESS_CRC32C_SHORT_BLOCK", SPOTLESS_CRC32C_SHORT_BLOCK);
		return 0;
	}
	RUN_TEST(test_check_value_both_ways);
	RUN_TEST(test_table_matches_definition);
	RUN_TEST(test_instruction_matches_definition);
	RUN_TEST(test_dispatch_uses_the_instruction_when_there);
	RUN_TEST(test_shift_tables_match_the_operator);
	return check_summary("crc32c");
}
