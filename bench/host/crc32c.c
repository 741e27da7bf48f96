// SPDX-License-Identifier: MIT
/*
 * bench_crc32c: the core's CRC32C alone, natively on this machine (no
 * guest, no Wine): the table, the crc32 instruction and a plain memcpy of
 * the same bytes, 4 KiB to 16 MiB, each in the same run; the ratios are the
 * hardware's. Each figure is the median of REPS repetitions long enough to
 * last MS milliseconds.
 *
 *   bench_crc32c [--ms N] [--csv FILE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "spotless_crc32c.h"

#define REPS 7

static unsigned int target_ms = 100;
static volatile uint32_t sink;

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

enum way { WAY_MEMCPY, WAY_TABLE, WAY_INSTRUCTION };
static const char *const way_names[] = { "memcpy", "crc32c_table", "crc32c_instruction" };

static void run_once(enum way way, unsigned char *dst, const unsigned char *src, size_t len)
{
	switch (way) {
	case WAY_MEMCPY:
		memcpy(dst, src, len);
		sink = dst[len / 2];
		break;
	case WAY_TABLE:
		sink = spotless_crc32c_update_table(0, src, len);
		break;
	case WAY_INSTRUCTION:
		sink = spotless_crc32c_update_hw(0, src, len);
		break;
	}
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median MB/s of REPS repetitions. */
static double measure(enum way way, unsigned char *dst, const unsigned char *src, size_t len)
{
	double samples[REPS];
	uint64_t iterations = 1, i, start, took;
	int r;

	for (;;) {
		start = now_ns();
		for (i = 0; i < iterations; i++)
			run_once(way, dst, src, len);
		took = now_ns() - start;
		if (took >= target_ms * 1000000ull / REPS || iterations >= (1ull << 30))
			break;
		iterations *= 2;
	}
	for (r = 0; r < REPS; r++) {
		start = now_ns();
		for (i = 0; i < iterations; i++)
			run_once(way, dst, src, len);
		took = now_ns() - start;
		samples[r] = (double)len * (double)iterations / ((double)took / 1e9) / 1e6;
	}
	qsort(samples, REPS, sizeof(samples[0]), compare_doubles);
	return samples[REPS / 2];
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 4096, 65536, 1 << 20, 16 << 20 };
	FILE *csv = NULL;
	unsigned char *src, *dst;
	int i, hw = spotless_crc32c_hw_available();
	size_t s;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--ms") && i + 1 < argc) {
			target_ms = (unsigned int)strtoul(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--csv") && i + 1 < argc) {
			csv = fopen(argv[++i], "w");
			if (!csv) {
				perror(argv[i]);
				return 1;
			}
		} else {
			fprintf(stderr, "usage: bench_crc32c [--ms N] [--csv FILE]\n");
			return 2;
		}
	}
	src = malloc(16 << 20);
	dst = malloc(16 << 20);
	if (!src || !dst)
		return 1;
	for (s = 0; s < (16u << 20); s++)
		src[s] = (unsigned char)(s * 131u + 7u);
	memset(dst, 0, 16 << 20);
	printf("# crc32 instruction: %s\n", hw ? "yes (SSE4.2)" : "no: table only");
	if (csv)
		fprintf(csv, "name,bytes,unit,median,baseline,baseline_median,ratio\n");
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double base = measure(WAY_MEMCPY, dst, src, sizes[s]);
		enum way w;

		for (w = WAY_MEMCPY; w <= WAY_INSTRUCTION; w++) {
			double f = w == WAY_MEMCPY ? base : measure(w, dst, src, sizes[s]);

			if (w == WAY_INSTRUCTION && !hw)
				continue;
			printf("host     %-18s %6zuK %10.0f MB/s  vs memcpy %10.0f: %6.3fx\n",
			       way_names[w], sizes[s] / 1024, f, base, f / base);
			if (csv)
				fprintf(csv, "%s,%zu,MB/s,%.1f,memcpy,%.1f,%.4f\n", way_names[w],
					sizes[s], f, base, f / base);
		}
	}
	if (csv)
		fclose(csv);
	free(src);
	free(dst);
	return 0;
}
