// SPDX-License-Identifier: MIT
/*
 * libspotless's Linux backend (os.h): ioctl(2) on /dev/spotless. Loading
 * and unloading the module is os_linux_driver.c.
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
#include <unistd.h>

#include "os.h"

struct spotless_handle {
	int fd;
};

static spotless_err lx_open(const char *path, struct spotless_handle **device)
{
	struct spotless_handle *dev;
	char name[256];

	if (!path) {
		path = SPOTLESS_LINUX_DEVICE_PATH;
	} else if (!strchr(path, '/')) {
		/* A bare name is a misc device's: /dev/NAME. */
		if (snprintf(name, sizeof(name), "/dev/%s", path) >= (int)sizeof(name))
			return ENAMETOOLONG;
		path = name;
	}
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return ENOMEM;
	dev->fd = open(path, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = errno;

		free(dev);
		return err;
	}
	*device = dev;
	return 0;
}

static void lx_close(struct spotless_handle *device)
{
	close(device->fd);
	free(device);
}

static intptr_t lx_native_handle(struct spotless_handle *device)
{
	return device->fd;
}

/* Any command by its code: SPOTLESS_IOC_CALL, the same bytes as Windows'. */
static spotless_err lx_command(struct spotless_handle *device, uint32_t code,
			       const void *in, size_t in_len, void *out, size_t out_len,
			       size_t *written)
{
	struct spotless_ioc_call call = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = (__u32)in_len, .out_len = (__u32)out_len, .code = code,
	};

	if (ioctl(device->fd, SPOTLESS_IOC_CALL, &call) < 0)
		return errno;
	if (call.out_written > out_len)
		return EPROTO;
	*written = call.out_written;
	return 0;
}

static spotless_err lx_message(struct spotless_handle *device,
			       const void *in, size_t in_len,
			       void *out, size_t out_len, size_t *returned)
{
	struct spotless_ioc_message msg;

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

/* INFO and STATS: each has its own ioctl, whose size is the structure's. */
static spotless_err lx_query(struct spotless_handle *device, uint32_t code,
			     void *out, size_t size)
{
	unsigned long cmd;

	switch (code) {
	case IOCTL_SPOTLESS_INFO:
		cmd = SPOTLESS_IOC_INFO;
		break;
	case IOCTL_SPOTLESS_STATS:
		cmd = SPOTLESS_IOC_STATS;
		break;
	default:
		return EINVAL;
	}
	if (_IOC_SIZE(cmd) != size)
		return EPROTO;
	return ioctl(device->fd, cmd, out) < 0 ? errno : 0;
}

static spotless_err lx_echo(struct spotless_handle *device,
			   enum spotless_echo_method method,
			   const void *data, size_t len, void *out, size_t out_len,
			   uint32_t *crc32c)
{
	struct spotless_ioc_echo echo = {
		.in_ptr = (uintptr_t)data, .out_ptr = (uintptr_t)out,
		.in_len = (__u32)len, .out_len = (__u32)out_len,
	};

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

static spotless_err lx_batch(struct spotless_handle *device,
			    const void *in, size_t in_len,
			    void *out, size_t out_len, size_t *written)
{
	struct spotless_ioc_batch batch = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = (__u32)in_len, .out_len = (__u32)out_len,
	};

	if (ioctl(device->fd, SPOTLESS_IOC_BATCH, &batch) < 0)
		return errno;
	*written = batch.out_written;
	return 0;
}

static spotless_err lx_post(struct spotless_handle *device, const void *payload,
			    size_t len)
{
	struct spotless_ioc_post post = {
		.payload_ptr = (uintptr_t)payload, .payload_len = (__u32)len,
	};

	return ioctl(device->fd, SPOTLESS_IOC_POST, &post) < 0 ? errno : 0;
}

/* One whole wait: poll, then take the record (no eventfd needed). */
static spotless_err lx_wait_event(struct spotless_handle *device, int timeout_ms,
				  struct spotless_event *event)
{
	struct pollfd pfd;
	int n;

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
	struct spotless_handle *device;
	int cancel_fd;
	int over;		/* finished, and result says how */
	spotless_err result;
	struct spotless_event event;
};

static spotless_err lx_wait_start(struct spotless_handle *device,
				  struct spotless_event_wait **wait)
{
	struct spotless_event_wait *w;
	struct pollfd pfd;

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

static spotless_err lx_wait_finish(struct spotless_event_wait *wait,
				   int timeout_ms, struct spotless_event *event)
{
	struct pollfd pfd[2];

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

static spotless_err lx_wait_again(struct spotless_event_wait *wait)
{
	uint64_t count;

	if (!wait->over)
		return EINVAL;
	/* A cancel that came too late for the last wait must not end this one. */
	if (read(wait->cancel_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		return errno;
	wait->over = 0;
	return 0;
}

static spotless_err lx_wait_cancel(struct spotless_event_wait *wait)
{
	uint64_t one = 1;

	return write(wait->cancel_fd, &one, sizeof(one)) == sizeof(one) ? 0 : errno;
}

static void lx_wait_free(struct spotless_event_wait *wait)
{
	close(wait->cancel_fd);
	free(wait);
}

static spotless_err lx_refused_request(struct spotless_handle *device)
{
	if (ioctl(device->fd, _IO(SPOTLESS_IOC_TYPE, 0x1F)) == 0)
		return EPROTO;		/* it must not succeed */
	return errno == ENOTTY ? 0 : errno;
}

static void lx_error_text(spotless_err err, char *text, size_t size)
{
	char buf[256];

	/* The GNU strerror_r returns the text, in buf or elsewhere. */
	snprintf(text, size, "%s", strerror_r(err, buf, sizeof(buf)));
}

/* The driver's refusals: the status table's errno column (spotless/commands.h);
 * the first row with a number gives its kind. */
#define ERRNO_KIND_(name, value, text, err, nt, win32, kind) { err, SPOTLESS_ERROR_##kind },
static const struct {
	int err;
	enum spotless_error_kind kind;
} status_errnos[] = { SPOTLESS_STATUSES(ERRNO_KIND_) };

static enum spotless_error_kind lx_error_kind(spotless_err err)
{
	size_t i;

	switch (err) {
	case ETIMEDOUT:
		return SPOTLESS_ERROR_TIMEOUT;
	case EINTR:
		return SPOTLESS_ERROR_INTERRUPTED;
	case ENOMEM:
		return SPOTLESS_ERROR_NO_MEMORY;
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
	case EAGAIN:
	case EBUSY:
		return SPOTLESS_ERROR_IN_USE;
	case ENOEXEC:
		return SPOTLESS_ERROR_BAD_IMAGE;
	case EKEYREJECTED:
	case ENOKEY:
		return SPOTLESS_ERROR_SIGNATURE;
	}
	for (i = 0; i < sizeof(status_errnos) / sizeof(status_errnos[0]); i++)
		if (status_errnos[i].err && status_errnos[i].err == err)
			return status_errnos[i].kind;
	return SPOTLESS_ERROR_OTHER;
}

const struct spotless_os_backend spotless_os = {
	.os_name = "Linux",
	.driver_word = "module",
	.invalid_argument = EINVAL,
	.bad_answer = EPROTO,
	.no_memory = ENOMEM,
	.message_code = SPOTLESS_IOC_MESSAGE,
	.open = lx_open,
	.close = lx_close,
	.native_handle = lx_native_handle,
	.command = lx_command,
	.message = lx_message,
	.query = lx_query,
	.echo = lx_echo,
	.batch = lx_batch,
	.post = lx_post,
	.wait_start = lx_wait_start,
	.wait_again = lx_wait_again,
	.wait_finish = lx_wait_finish,
	.wait_cancel = lx_wait_cancel,
	.wait_free = lx_wait_free,
	.wait_event = lx_wait_event,
	.refused_request = lx_refused_request,
	.error_text = lx_error_text,
	.error_kind = lx_error_kind,
};
