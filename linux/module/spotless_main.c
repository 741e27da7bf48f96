// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko: the misc device /dev/spotless, its open and release, and the
 * module's load and unload. The requests themselves are in spotless_ioctl.c.
 */
#define pr_fmt(fmt) "spotless: " fmt

#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "spotless/spotless_ioctl.h"
#include "spotless_module.h"

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "permissions of /dev/spotless (default 0600: root only)");

struct spotless_device_state spotless_device;

/* Each handle gets its own state, in file->private_data until release. */
static int spotless_open(struct inode *inode, struct file *file)
{
	struct spotless_file *sf;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf)
		return -ENOMEM;
	spotless_core_allocated(&spotless_device);
	spotless_core_handle_opened(&spotless_device, &sf->state,
				    (file->f_mode & FMODE_READ ? SPOTLESS_FILE_READ_ACCESS : 0) |
				    (file->f_mode & FMODE_WRITE ? SPOTLESS_FILE_WRITE_ACCESS : 0));
	file->private_data = sf;
	pr_info("handle opened\n");
	spotless_events_handle_opened(sf);
	return 0;
}

static int spotless_release(struct inode *inode, struct file *file)
{
	struct spotless_file *sf = file->private_data;

	spotless_events_handle_closed(sf);
	spotless_core_handle_closed(&spotless_device, &sf->state);
	kfree(sf);
	spotless_core_freed(&spotless_device);
	pr_info("handle closed\n");
	return 0;
}

static const struct file_operations spotless_fops = {
	.owner = THIS_MODULE,
	.open = spotless_open,
	.release = spotless_release,
	.read = spotless_read,
	.poll = spotless_poll,
	.unlocked_ioctl = spotless_unlocked_ioctl,
	/* Every argument is a pointer to a structure of one layout on 32 and
	 * 64 bits, so the compat path only has to convert that pointer. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice spotless_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = SPOTLESS_LINUX_DEVICE_NAME,
	.fops = &spotless_fops,
};

static int __init spotless_init(void)
{
	int ret;

	pr_info("driver loaded\n");
	if (mode & ~0666) {
		pr_err("mode 0%o refused: only read and write bits may be given\n",
		       mode);
		return -EINVAL;
	}
	spotless_misc.mode = mode;
	spotless_core_device_init(&spotless_device, SPOTLESS_OS_LINUX);

	ret = misc_register(&spotless_misc);
	if (ret) {
		pr_err("registering %s failed: %d\n", SPOTLESS_LINUX_DEVICE_PATH, ret);
		return ret;
	}
	pr_info("device %s created, mode 0%o\n", SPOTLESS_LINUX_DEVICE_PATH, mode);
	return 0;
}

static void __exit spotless_exit(void)
{
	misc_deregister(&spotless_misc);
	pr_info("device %s removed\n", SPOTLESS_LINUX_DEVICE_PATH);
	pr_info("driver unloaded\n");
}

module_init(spotless_init);
module_exit(spotless_exit);

MODULE_DESCRIPTION("spotless: commands and data between userland and the kernel over ioctls");
MODULE_LICENSE("GPL");
