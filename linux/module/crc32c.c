// SPDX-License-Identifier: GPL-2.0
/*
 * CRC32C in spotless.ko: the kernel's own crc32c(), not the core's copy
 * (core/spotless_crc32c*.c stays for the Windows driver and userland).
 *
 * Up to 6.13 crc32c() lives in libcrc32c, a module on Debian's kernels:
 * the symbol makes it a dependency that depmod records, so modprobe and
 * DKMS installs load it first (modinfo -F depends spotless.ko). From 6.14
 * it is the kernel's CRC library, with the architecture's code directly.
 *
 * The kernel's crc32c() neither inverts the register before nor after;
 * the protocol's CRC32C (the iSCSI one, 0xE3069283 for "123456789") does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "driver.h"
#include "spotless_crc32c.h"

static bool kernel_crc32c_optimized;

u32 spotless_crc32c_update(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;
	u32 reg = ~crc;

	/* Before 6.14 the length is an unsigned int: never more at once. */
	while (len) {
		unsigned int part = min_t(size_t, len, SZ_1G);

		reg = crc32c(reg, p, part);
		p += part;
		len -= part;
	}
	return ~reg;
}

/* INFO's crc32c_instruction: the kernel's crc32c() uses the CPU's CRC
 * instruction (its architecture code), not its table.
 */
int spotless_crc32c_hw_available(void)
{
	return kernel_crc32c_optimized;
}

/* From 6.14 the CRC library says which of its functions run its
 * architecture's code (linux/crc32.h); a feature, not a version, decides.
 */
#ifdef CRC32C_OPTIMIZATION
void spotless_crc32c_probe(void)
{
	kernel_crc32c_optimized = crc32_optimizations() & CRC32C_OPTIMIZATION;
	pr_debug("crc32c: the kernel's, %s\n",
		 kernel_crc32c_optimized ? "by the CPU's instruction" : "by its table");
}
#else
/*
 * libcrc32c takes the crypto API's best "crc32c": ask the crypto API the
 * same question (crc32c_impl(), which said it, went in 6.4). A generic
 * driver is the table; any other is the architecture's instruction.
 */
void spotless_crc32c_probe(void)
{
	struct crypto_shash *tfm = crypto_alloc_shash("crc32c", 0, 0);
	const char *name;

	if (IS_ERR(tfm))
		return;
	name = crypto_shash_driver_name(tfm);
	kernel_crc32c_optimized = !strstr(name, "generic");
	pr_debug("crc32c: the kernel's, by %s\n", name);
	crypto_free_shash(tfm);
}
#endif
