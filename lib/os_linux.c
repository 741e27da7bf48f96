// SPDX-License-Identifier: MIT
/*
 * libspotless backend for Linux: ioctl(2) on /dev/spotless, and
 * finit_module / delete_module for the module's lifetime.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "os.h"

#define SYSFS_MODULE	"/sys/module/" SPOTLESS_LINUX_MODULE_NAME

struct spotless_device {
	int fd;
};

spotless_err spotless_os_invalid_argument(void)
{
	return EINVAL;
}

uint32_t spotless_message_code(void)
{
	return SPOTLESS_IOC_MESSAGE;
}

spotless_err spotless_open(struct spotless_device **device)
{
	struct spotless_device *dev;

	*device = NULL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return ENOMEM;
	dev->fd = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = errno;

		free(dev);
		return err;
	}
	*device = dev;
	return 0;
}

void spotless_close(struct spotless_device *device)
{
	if (!device)
		return;
	close(device->fd);
	free(device);
}

spotless_err spotless_message_raw(struct spotless_device *device,
				  const void *in, size_t in_len,
				  void *out, size_t out_len, size_t *returned)
{
	struct spotless_message msg;

	*returned = 0;
	if (!device || in_len > UINT32_MAX || out_len > UINT32_MAX)
		return EINVAL;
	memset(&msg, 0, sizeof(msg));
	msg.in_ptr = (uintptr_t)in;
	msg.in_len = (uint32_t)in_len;
	msg.out_ptr = (uintptr_t)out;
	msg.out_len = (uint32_t)out_len;
	if (ioctl(device->fd, SPOTLESS_IOC_MESSAGE, &msg) < 0)
		return errno;
	*returned = msg.out_written;
	return 0;
}

spotless_err spotless_get_info(struct spotless_device *device,
			       struct spotless_info *info)
{
	if (!device)
		return EINVAL;
	return ioctl(device->fd, SPOTLESS_IOC_INFO, info) < 0 ? errno : 0;
}

spotless_err spotless_get_stats(struct spotless_device *device,
				struct spotless_stats *stats)
{
	if (!device)
		return EINVAL;
	return ioctl(device->fd, SPOTLESS_IOC_STATS, stats) < 0 ? errno : 0;
}

spotless_err spotless_echo(struct spotless_device *device,
			   enum spotless_echo_method method,
			   const void *data, size_t len, void *out, size_t out_len,
			   uint32_t *crc32c)
{
	struct spotless_echo echo = {
		.in_ptr = (uintptr_t)data, .out_ptr = (uintptr_t)out,
		.in_len = (__u32)len, .out_len = (__u32)out_len,
	};

	*crc32c = 0;
	if (!device || len > UINT32_MAX || out_len > UINT32_MAX)
		return EINVAL;
	/* Transfer methods are how Windows moves buffers; Linux copies. */
	if (method != SPOTLESS_ECHO_BUFFERED)
		return SPOTLESS_E_NOT_SUPPORTED;
	if (ioctl(device->fd, SPOTLESS_IOC_ECHO, &echo) < 0)
		return errno;
	if (echo.out_written != len)
		return EPROTO;
	*crc32c = echo.crc32c;
	return 0;
}

spotless_err spotless_batch(struct spotless_device *device,
			    const void *in, size_t in_len,
			    void *out, size_t out_len, size_t *written)
{
	struct spotless_batch batch = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = (__u32)in_len, .out_len = (__u32)out_len,
	};

	*written = 0;
	if (!device || in_len > UINT32_MAX || out_len > UINT32_MAX)
		return EINVAL;
	if (ioctl(device->fd, SPOTLESS_IOC_BATCH, &batch) < 0)
		return errno;
	*written = batch.out_written;
	return 0;
}

spotless_err spotless_post(struct spotless_device *device, const void *message,
			   size_t len)
{
	struct spotless_post post = { .msg_ptr = (uintptr_t)message, .msg_len = (__u32)len };

	if (!device || len > UINT32_MAX)
		return EINVAL;
	return ioctl(device->fd, SPOTLESS_IOC_POST, &post) < 0 ? errno : 0;
}

spotless_err spotless_wait_event(struct spotless_device *device, int timeout_ms,
				 struct spotless_event *event)
{
	struct pollfd pfd;
	int n;

	if (!device)
		return EINVAL;
	pfd.fd = device->fd;
	pfd.events = POLLIN;
	/* poll subscribes the handle, then says when a record is there. */
	do {
		n = poll(&pfd, 1, timeout_ms);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno;
	if (n == 0)
		return SPOTLESS_E_TIMEOUT;
	if (pfd.revents & POLLERR)
		return ENOMEM;
	return ioctl(device->fd, SPOTLESS_IOC_WAIT_EVENT, event) < 0 ? errno : 0;
}

/*
 * Linux keeps no request pending in the kernel: the wait is a poll of the
 * descriptor, beside an eventfd that cancel writes to.
 */
struct spotless_event_wait {
	struct spotless_device *device;
	int cancel_fd;
	int over;		/* finished, and result says how */
	spotless_err result;
	struct spotless_event event;
};

spotless_err spotless_event_wait_start(struct spotless_device *device,
				       struct spotless_event_wait **wait)
{
	struct spotless_event_wait *w;
	struct pollfd pfd;

	*wait = NULL;
	if (!device)
		return EINVAL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return ENOMEM;
	w->device = device;
	w->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->cancel_fd < 0) {
		int err = errno;

		free(w);
		return err;
	}
	/* A first poll subscribes the handle: events from now on are kept. */
	pfd.fd = device->fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) < 0 || (pfd.revents & POLLERR)) {
		int err = (pfd.revents & POLLERR) ? ENOMEM : errno;

		close(w->cancel_fd);
		free(w);
		return err;
	}
	*wait = w;
	return 0;
}

spotless_err spotless_event_wait_finish(struct spotless_event_wait *wait,
					int timeout_ms, struct spotless_event *event)
{
	struct pollfd pfd[2];

	if (!wait)
		return EINVAL;
	if (!wait->over) {
		int n;

		pfd[0].fd = wait->device->fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = wait->cancel_fd;
		pfd[1].events = POLLIN;
		do {
			n = poll(pfd, 2, timeout_ms);
		} while (n < 0 && errno == EINTR);
		if (n < 0)
			return errno;
		if (n == 0)
			return SPOTLESS_E_TIMEOUT;
		/* An event that is there wins over a cancel. */
		if (pfd[0].revents & POLLIN)
			wait->result = ioctl(wait->device->fd, SPOTLESS_IOC_WAIT_EVENT,
					     &wait->event) < 0 ? errno : 0;
		else if (pfd[0].revents & POLLERR)
			wait->result = ENOMEM;
		else
			wait->result = SPOTLESS_E_CANCELLED;
		wait->over = 1;
	}
	if (!wait->result)
		*event = wait->event;
	return wait->result;
}

spotless_err spotless_event_wait_again(struct spotless_event_wait *wait)
{
	uint64_t count;

	if (!wait || !wait->over)
		return EINVAL;
	/* A cancel that came too late for the last wait must not end this one. */
	if (read(wait->cancel_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return errno;
	wait->over = 0;
	return 0;
}

spotless_err spotless_event_wait_cancel(struct spotless_event_wait *wait)
{
	uint64_t one = 1;

	if (!wait)
		return EINVAL;
	return write(wait->cancel_fd, &one, sizeof(one)) == sizeof(one) ? 0 : errno;
}

void spotless_event_wait_free(struct spotless_event_wait *wait)
{
	if (!wait)
		return;
	close(wait->cancel_fd);
	free(wait);
}

spotless_err spotless_refused_request(struct spotless_device *device)
{
	if (!device)
		return EINVAL;
	if (ioctl(device->fd, _IO(SPOTLESS_IOC_TYPE, 0x1F)) == 0)
		return EPROTO;		/* it must not succeed */
	return errno == ENOTTY ? 0 : errno;
}

void spotless_strerror(spotless_err err, char *text, size_t size)
{
	char buf[256];

	if (!size)
		return;
	if (spotless_own_error_text(err, "Linux", "module", text, size))
		return;
	/* The GNU strerror_r returns the text, in buf or elsewhere. */
	snprintf(text, size, "%s", strerror_r(err, buf, sizeof(buf)));
}

enum spotless_error_kind spotless_error_kind(spotless_err err)
{
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		return SPOTLESS_ERROR_NOT_FOUND;
	case EACCES:
	case EPERM:
		return SPOTLESS_ERROR_ACCESS_DENIED;
	case EINVAL:
		return SPOTLESS_ERROR_INVALID_ARGUMENT;
	case EEXIST:
		return SPOTLESS_ERROR_ALREADY_INSTALLED;
	case SPOTLESS_E_NOT_LOADED:
		return SPOTLESS_ERROR_NOT_INSTALLED;
	case EAGAIN:
	case EBUSY:
		return SPOTLESS_ERROR_IN_USE;
	case ENOEXEC:
		return SPOTLESS_ERROR_BAD_IMAGE;
	case SPOTLESS_E_NOT_SUPPORTED:
		return SPOTLESS_ERROR_NOT_SUPPORTED;
	case EKEYREJECTED:
	case ENOKEY:
		return SPOTLESS_ERROR_SIGNATURE;
	}
	return SPOTLESS_ERROR_OTHER;
}

/* ---- The module ---------------------------------------------------------- */

spotless_err spotless_driver_install(const char *path)
{
	struct stat st;
	int fd, err = 0;

	if (!path || !*path)
		return EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		err = ENOEXEC;
	else if (syscall(SYS_finit_module, fd, "", 0) != 0)
		err = errno;
	close(fd);
	return err;
}

spotless_err spotless_driver_start(void)
{
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_driver_stop(void)
{
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_driver_remove(void)
{
	/* O_NONBLOCK: refuse while handles are open instead of waiting. */
	if (syscall(SYS_delete_module, SPOTLESS_LINUX_MODULE_NAME, O_NONBLOCK) == 0)
		return 0;
	return errno == ENOENT ? SPOTLESS_E_NOT_LOADED : errno;
}

spotless_err spotless_driver_query(struct spotless_driver_status *status)
{
	FILE *f;

	memset(status, 0, sizeof(*status));
	status->open_handles = -1;
	if (access(SYSFS_MODULE, F_OK) != 0) {
		status->state = SPOTLESS_DRIVER_NOT_INSTALLED;
		return 0;
	}
	status->state = SPOTLESS_DRIVER_RUNNING;
	/* The module's reference count is its number of open handles. */
	f = fopen(SYSFS_MODULE "/refcnt", "r");
	if (f) {
		char line[32];

		if (fgets(line, sizeof(line), f))
			status->open_handles = atoi(line);
		fclose(f);
	}
	return 0;
}

int spotless_driver_signing_warning(char *text, size_t size)
{
	char value[8] = "";
	FILE *f = fopen("/sys/module/module/parameters/sig_enforce", "r");

	if (!f)
		return 0;
	if (!fgets(value, sizeof(value), f))
		value[0] = '\0';
	fclose(f);
	if (value[0] != 'Y')
		return 0;
	snprintf(text, size,
		 "this kernel enforces module signatures (module.sig_enforce, "
		 "or Secure Boot): an unsigned spotless.ko is refused; sign it "
		 "with a key the kernel trusts (the kernel's scripts/sign-file).");
	return 1;
}
