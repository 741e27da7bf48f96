// SPDX-License-Identifier: GPL-2.0
/*
 * spotless.ko: the misc device /dev/spotless, its open and release, and the
 * module's load and unload. The requests themselves are in dispatch.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/mm.h>

#include "spotless/wire.h"
#include "driver.h"

static ushort mode = 0600;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "permissions of /dev/spotless (default 0600: root only; udev rules may set group and mode)");

/* Set at load, cleared at unload: the one device this module serves. */
static struct spotless_dev *spotless;

/*
 * Opens and closes are logged as the tutorial logs them, but a user of a
 * relaxed mode must not be able to flood the log: a shared budget.
 */
static DEFINE_RATELIMIT_STATE(open_log_limit, 5 * HZ, 50);

/*
 * A request's buffers: kvmalloc, physically contiguous when that comes easily
 * (it asks the slab without retries or the OOM killer above a page), and
 * virtually contiguous otherwise, so that a 1 MiB ECHO needs no high-order
 * block.
 */
void *spotless_alloc(struct spotless_dev *dev, size_t len, gfp_t extra)
{
	void *p = kvmalloc(len, GFP_KERNEL_ACCOUNT | extra);

	if (p)
		spotless_core_allocated(&dev->state);
	return p;
}

void spotless_free(struct spotless_dev *dev, void *p)
{
	if (!p)
		return;
	kvfree(p);
	spotless_core_freed(&dev->state);
}

size_t spotless_file_bytes(void)
{
	return sizeof(struct spotless_file);
}

/* Each handle gets its own state, in file->private_data until release. */
static int spotless_file_open(struct inode *inode, struct file *file)
{
	struct spotless_dev *dev = container_of(file->private_data,
						struct spotless_dev, misc);
	struct spotless_file *sf;

	sf = kzalloc(sizeof(*sf), GFP_KERNEL_ACCOUNT);
	if (!sf)
		return -ENOMEM;
	spotless_core_allocated(&dev->state);
	sf->dev = dev;
	spotless_core_handle_opened(&dev->state, &sf->state,
				    (file->f_mode & FMODE_READ ? SPOTLESS_FILE_READ_ACCESS : 0) |
				    (file->f_mode & FMODE_WRITE ? SPOTLESS_FILE_WRITE_ACCESS : 0));
	spotless_events_file_init(sf);
	file->private_data = sf;
	/* Records, not a byte stream: no file position. */
	stream_open(inode, file);
	if (__ratelimit(&open_log_limit))
		pr_info("handle opened\n");
	spotless_events_handle_opened(sf);
	return 0;
}

static int spotless_file_release(struct inode *inode, struct file *file)
{
	struct spotless_file *sf = file->private_data;
	struct spotless_dev *dev = sf->dev;

	spotless_events_handle_closed(sf);
	spotless_core_handle_closed(&dev->state, &sf->state);
	mutex_destroy(&sf->read_lock);
	kfree(sf);
	spotless_core_freed(&dev->state);
	if (__ratelimit(&open_log_limit))
		pr_info("handle closed\n");
	return 0;
}

static const struct file_operations spotless_fops = {
	.owner = THIS_MODULE,
	.open = spotless_file_open,
	.release = spotless_file_release,
	.read = spotless_file_read,
	.poll = spotless_file_poll,
	.unlocked_ioctl = spotless_file_ioctl,
	/* Every argument is a pointer to a structure of one layout on 32 and
	 * 64 bits, so the compat path only has to convert that pointer.
	 */
	.compat_ioctl = compat_ptr_ioctl,
	.uring_cmd = spotless_file_uring_cmd,
	.llseek = noop_llseek,
};

static int __init spotless_init(void)
{
	struct spotless_dev *dev;
	int ret;

	if (mode & ~0666) {
		pr_err("load refused: mode %#o has bits other than read and write\n", mode);
		return -EINVAL;
	}
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	spotless_crc32c_probe();
	spotless_core_device_init(&dev->state, SPOTLESS_OS_LINUX);
	/* Counter sets for the processors there can be, not 32 on every machine. */
	spotless_core_set_processors(&dev->state, nr_cpu_ids);
	/* What a handle really holds: its file state, and its queue once it waits. */
	dev->state.handle_bytes = spotless_file_bytes();
	/* SPOTLESS_IOC_CALL carries any command by its code (dispatch.c). */
	dev->state.glue_capabilities = SPOTLESS_CAP_CALL;
	dev->state.event_queue_bytes = sizeof(struct spotless_event_queue);
	spin_lock_init(&dev->events_lock);
	init_waitqueue_head(&dev->events_wait);
	dev->misc.minor = MISC_DYNAMIC_MINOR;
	dev->misc.name = SPOTLESS_DRIVER_LINUX_NAME;
	dev->misc.fops = &spotless_fops;
	dev->misc.mode = mode;

	ret = misc_register(&dev->misc);
	if (ret) {
		pr_err("registering %s failed: %d\n", "/dev/" SPOTLESS_DRIVER_LINUX_NAME, ret);
		goto err_free_dev;
	}
	spotless = dev;
	pr_info("driver loaded\n");
	/* mode=0 leaves the node to devtmpfs' default, root only: say so. */
	pr_info("device %s created, mode %#o\n", "/dev/" SPOTLESS_DRIVER_LINUX_NAME,
		mode ? mode : 0600);
	return 0;

err_free_dev:
	kfree(dev);
	return ret;
}

static void __exit spotless_exit(void)
{
	misc_deregister(&spotless->misc);
	pr_info("device %s removed\n", "/dev/" SPOTLESS_DRIVER_LINUX_NAME);
	kfree(spotless);
	spotless = NULL;
	pr_info("driver unloaded\n");
}

module_init(spotless_init);
module_exit(spotless_exit);

MODULE_DESCRIPTION("spotless: commands and data between userland and the kernel over ioctls");
MODULE_AUTHOR("The spotless developers");
MODULE_VERSION(SPOTLESS_VERSION_STRING);
MODULE_LICENSE("GPL");
