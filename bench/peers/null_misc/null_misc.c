// SPDX-License-Identifier: GPL-2.0
/*
 * spotless_null.ko: the floor of an ioctl round trip on this kernel, for
 * make bench. The misc device /dev/spotless_null, whose ioctl returns 0
 * at once whatever it is asked; spotless's requests are reported as
 * multiples of it.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static long null_misc_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return 0;
}

static const struct file_operations null_misc_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = null_misc_ioctl,
	.compat_ioctl = null_misc_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice null_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "spotless_null",
	.fops = &null_misc_fops,
};

module_misc_device(null_misc);

MODULE_DESCRIPTION("spotless_null: a misc device whose ioctl returns at once (benchmark floor)");
MODULE_LICENSE("GPL");
