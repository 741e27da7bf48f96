// SPDX-License-Identifier: GPL-2.0
/*
 * spotless_crc_bench.ko: the core's CRC32C against the kernel's crc32c(),
 * inside a kernel, at 64 B, 4 KiB and 1 MiB, with a memcpy of the same
 * bytes as the baseline of each size. Everything runs at load and is
 * printed as CSV lines (prefix "spotless-crc-bench: csv "), then the
 * module stays loaded doing nothing until rmmod. make bench loads it in
 * the guest (scripts/guest/bench.sh).
 *
 * Each figure is the median of SAMPLES samples; a sample repeats the call
 * until it has lasted ms milliseconds (module parameter, default 20).
 * Before timing, each way's value is checked against the core's table.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/cpufeature.h>
#include <linux/crc32c.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "spotless_crc32c.h"

#define SAMPLES		5
#define MAX_BYTES	(1024 * 1024)

static unsigned int ms = 20;
module_param(ms, uint, 0444);
MODULE_PARM_DESC(ms, "milliseconds per sample (default 20)");

enum way { WAY_MEMCPY, WAY_CORE_TABLE, WAY_CORE_INSTRUCTION, WAY_KERNEL, WAY_COUNT };
static const char *const way_names[WAY_COUNT] = {
	"memcpy", "core_table", "core_instruction", "kernel_crc32c",
};

static u8 *src, *dst;
static volatile u32 sink;

static u32 run_once(enum way way, size_t len)
{
	switch (way) {
	case WAY_MEMCPY:
		memcpy(dst, src, len);
		return dst[len / 2];
	case WAY_CORE_TABLE:
		return spotless_crc32c_update_table(0, src, len);
	case WAY_CORE_INSTRUCTION:
		return spotless_crc32c_update_hw(0, src, len);
	case WAY_KERNEL:
		/* The kernel's register is not inverted: the protocol's is. */
		return ~crc32c(~0u, src, len);
	default:
		return 0;
	}
}

static bool way_runs_here(enum way way)
{
	if (way != WAY_CORE_INSTRUCTION)
		return true;
#ifdef CONFIG_X86_64
	return boot_cpu_has(X86_FEATURE_XMM4_2);
#else
	return false;
#endif
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median nanoseconds per call over SAMPLES samples of about ms each. */
static u64 measure(enum way way, size_t len, u64 *calls_per_sample)
{
	u64 per_call[SAMPLES], calls = 1, start, took;
	int i;

	/* Calibrate: double the calls until one sample lasts a tenth of ms. */
	for (;;) {
		u64 n;

		start = ktime_get_ns();
		for (n = 0; n < calls; n++)
			sink = run_once(way, len);
		took = ktime_get_ns() - start;
		cond_resched();
		if (took * 10 >= (u64)ms * NSEC_PER_MSEC || calls >= (1ull << 32))
			break;
		calls *= 2;
	}
	calls = max_t(u64, 1, div64_u64(calls * (u64)ms * NSEC_PER_MSEC, max_t(u64, took, 1)));
	for (i = 0; i < SAMPLES; i++) {
		u64 n;

		start = ktime_get_ns();
		for (n = 0; n < calls; n++)
			sink = run_once(way, len);
		per_call[i] = div64_u64(ktime_get_ns() - start, calls);
		cond_resched();
	}
	sort(per_call, SAMPLES, sizeof(per_call[0]), cmp_u64, NULL);
	*calls_per_sample = calls;
	return per_call[SAMPLES / 2];
}

static int __init crc_bench_init(void)
{
	static const size_t sizes[] = { 64, 4096, MAX_BYTES };
	size_t s;
	int ret = 0;

	src = vmalloc(MAX_BYTES);
	dst = vmalloc(MAX_BYTES);
	if (!src || !dst) {
		ret = -ENOMEM;
		goto free_buffers;
	}
	get_random_bytes(src, MAX_BYTES);

	pr_info("csv name,bytes,ns_per_call,mb_per_s,baseline,baseline_ns,ratio\n");
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		size_t len = sizes[s];
		u32 expected = spotless_crc32c_update_table(0, src, len);
		u64 base_ns = 0, calls;
		enum way way;

		for (way = 0; way < WAY_COUNT; way++) {
			u64 ns;

			if (!way_runs_here(way))
				continue;
			if (way != WAY_MEMCPY && run_once(way, len) != expected) {
				pr_err("%s disagrees with the core's table at %zu bytes\n",
				       way_names[way], len);
				ret = -EINVAL;
				goto free_buffers;
			}
			ns = measure(way, len, &calls);
			if (way == WAY_MEMCPY)
				base_ns = ns;
			/* ratio: the baseline's time over this one's (1 is memcpy's speed) */
			pr_info("csv %s,%zu,%llu,%llu,memcpy,%llu,%llu.%03llu\n", way_names[way], len,
				ns, ns ? div64_u64((u64)len * 1000, ns) : 0, base_ns,
				ns ? div64_u64(base_ns, ns) : 0,
				ns ? div64_u64(base_ns * 1000, ns) % 1000 : 0);
		}
	}
	pr_info("done\n");

free_buffers:
	vfree(dst);
	vfree(src);
	return ret;
}

static void __exit crc_bench_exit(void)
{
}

module_init(crc_bench_init);
module_exit(crc_bench_exit);
MODULE_DESCRIPTION("spotless: the core's CRC32C against the kernel's crc32c(), at load");
MODULE_LICENSE("GPL");
