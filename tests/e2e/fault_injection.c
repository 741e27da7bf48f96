// SPDX-License-Identifier: MIT
/*
 * Systematic fault injection against the loaded spotless.ko (debug kernel,
 * CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAULT_INJECTION_USERCOPY):
 * for each path a user reaches (open, the first wait / read / poll, a wait
 * that delivers a record, MESSAGE, ECHO at several sizes, BATCH, POST, INFO,
 * STATS), fail the n-th fault point of the calling thread for n = 1, 2, ...
 * (/proc/thread-self/fail-nth: slab allocations, page allocations of order
 * 1 and more, user copies) until the request runs untouched.
 *
 * After each failure: the errno is one the module documents (ENOMEM,
 * EFAULT), STATS shows the allocations back where they were, a record that
 * was to be delivered is still there, and the device still does the
 * tutorial's exchange. The kernel log is the host's to read (KASAN, lockdep,
 * kmemleak). Prints "ok - " / "not ok - " per path and the count of points.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "check.h"
#include "spotless.h"

#define MIB	(1024u * 1024u)

static int nth_fd = -1;
static unsigned long points_total, points_failed;

/*
 * Fail the n-th fault point of this thread from now (0: none). Disarming
 * may itself meet the armed fault in its own copy from userland: then that
 * copy fails (EFAULT) and the fault is spent, which disarms as well.
 */
static void arm(unsigned int n)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%u", n);

	if (pwrite(nth_fd, text, (size_t)len, 0) == len)
		return;
	if (n == 0 && errno == EFAULT)
		return;
	perror("fail-nth");
	exit(2);
}

/* Whether the armed failure happened (fail-nth reads 0 then). */
static int injected(void)
{
	char text[16] = "";

	if (pread(nth_fd, text, sizeof(text) - 1, 0) <= 0)
		return 0;
	return atoi(text) == 0;
}

static int open_device(int flags)
{
	return open(SPOTLESS_LINUX_DEVICE_PATH, flags | O_CLOEXEC);
}

static uint64_t outstanding(void)
{
	struct spotless_stats st;
	int fd = open_device(O_RDWR);
	uint64_t n;

	memset(&st, 0, sizeof(st));
	if (fd < 0 || ioctl(fd, SPOTLESS_IOC_STATS, &st))
		return ~0ull;
	n = st.outstanding_allocations;
	close(fd);
	return n - 1;	/* the asking handle's own state */
}

static int exchange_ok(void)
{
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "spotless saying ola from userland";
	char out[SPOTLESS_CLIENT_BUFFER_SIZE] = "";
	struct spotless_ioc_message m = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = sizeof(in), .out_len = sizeof(out),
	};
	int fd = open_device(O_RDWR), ok;

	ok = fd >= 0 && !ioctl(fd, SPOTLESS_IOC_MESSAGE, &m) && m.out_written == 22 &&
	     !strcmp(out, SPOTLESS_REPLY);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* ---- The paths: each returns 0 or -errno, on a descriptor made for it ---- */

struct path {
	const char *name;
	int (*setup)(struct path *p);		/* descriptor(s), before arming */
	int (*run)(struct path *p);		/* the request under test */
	int (*check)(struct path *p);		/* after a failure: still right? */
	int untouched;				/* what run gives with no failure */
	int fd, poster;
	size_t size;
	unsigned char *in, *out;
};

static int result(int rc)
{
	return rc < 0 ? -errno : rc;
}

static int setup_rdwr(struct path *p)
{
	p->fd = open_device(O_RDWR | O_NONBLOCK);
	return p->fd < 0 ? -errno : 0;
}

static int run_open(struct path *p)
{
	int fd = open_device(O_RDWR);

	(void)p;
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static int run_first_wait(struct path *p)
{
	struct spotless_event ev;

	return result(ioctl(p->fd, SPOTLESS_IOC_WAIT_EVENT, &ev));
}

static int run_first_read(struct path *p)
{
	struct spotless_event ev;

	return result((int)read(p->fd, &ev, sizeof(ev)));
}

static int run_first_poll(struct path *p)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	int n = poll(&pfd, 1, 0);

	if (n < 0)
		return -errno;
	return (pfd.revents & POLLERR) ? -ENOMEM : 0;
}

/* A subscribed descriptor with one posted record queued. */
static int setup_record(struct path *p)
{
	struct spotless_event ev;
	struct spotless_ioc_post post = { .payload_ptr = (uintptr_t)"fault", .payload_len = 5 };

	p->fd = open_device(O_RDWR | O_NONBLOCK);
	p->poster = open_device(O_RDWR);
	if (p->fd < 0 || p->poster < 0)
		return -errno;
	if (ioctl(p->fd, SPOTLESS_IOC_WAIT_EVENT, &ev) == 0 || errno != EAGAIN)
		return -EPROTO;
	return ioctl(p->poster, SPOTLESS_IOC_POST, &post) ? -errno : 0;
}

static int run_wait_record(struct path *p)
{
	struct spotless_event ev;
	int rc = result(ioctl(p->fd, SPOTLESS_IOC_WAIT_EVENT, &ev));

	if (!rc && (ev.kind != SPOTLESS_EVENT_POSTED || memcmp(ev.payload, "fault", 5)))
		return -EPROTO;
	return rc;
}

/* The record that a failed copy did not deliver is still the next one. */
static int check_record_kept(struct path *p)
{
	return run_wait_record(p) == 0;
}

static int run_message(struct path *p)
{
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "fault injection";
	char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message m = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = sizeof(in), .out_len = sizeof(out),
	};

	return result(ioctl(p->fd, SPOTLESS_IOC_MESSAGE, &m));
}

static int run_echo(struct path *p)
{
	struct spotless_ioc_echo e = {
		.in_ptr = (uintptr_t)p->in, .out_ptr = (uintptr_t)p->out,
		.in_len = (uint32_t)p->size, .out_len = (uint32_t)p->size,
	};
	int rc = result(ioctl(p->fd, SPOTLESS_IOC_ECHO, &e));

	if (!rc && (e.out_written != p->size || memcmp(p->in, p->out, p->size)))
		return -EPROTO;
	return rc;
}

static int run_batch(struct path *p)
{
	unsigned char in[256], out[1024];
	struct spotless_batch_writer w;
	struct spotless_ioc_batch b;
	size_t len;

	spotless_batch_begin(&w, in, sizeof(in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 2, SPOTLESS_CLIENT_BUFFER_SIZE);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(struct spotless_info));
	len = spotless_batch_end(&w);
	memset(&b, 0, sizeof(b));
	b.in_ptr = (uintptr_t)in;
	b.in_len = (uint32_t)len;
	b.out_ptr = (uintptr_t)out;
	b.out_len = sizeof(out);
	return result(ioctl(p->fd, SPOTLESS_IOC_BATCH, &b));
}

static int run_post(struct path *p)
{
	struct spotless_ioc_post post = { .payload_ptr = (uintptr_t)"x", .payload_len = 1 };

	return result(ioctl(p->fd, SPOTLESS_IOC_POST, &post));
}

static int run_info(struct path *p)
{
	struct spotless_info info;

	return result(ioctl(p->fd, SPOTLESS_IOC_INFO, &info));
}

static int run_stats(struct path *p)
{
	struct spotless_stats st;

	return result(ioctl(p->fd, SPOTLESS_IOC_STATS, &st));
}

static void teardown(struct path *p)
{
	if (p->fd >= 0)
		close(p->fd);
	if (p->poster >= 0)
		close(p->poster);
	p->fd = p->poster = -1;
}

/* One path, n = 1, 2, ... until the request runs untouched. */
static void walk(struct path *p)
{
	unsigned int n, points = 0;
	int bad = 0;

	for (n = 1; n < 10000; n++) {
		uint64_t before = outstanding();
		int rc, fired;

		p->fd = p->poster = -1;
		if (p->setup && p->setup(p)) {
			printf("#   %s: setup failed (%s)\n", p->name, strerror(errno));
			bad++;
			teardown(p);
			break;
		}
		arm(n);
		rc = p->run(p);
		fired = injected();
		arm(0);
		if (!fired) {
			if (rc != p->untouched) {
				printf("#   %s: untouched run gave %d, not %d\n", p->name, rc,
				       p->untouched);
				bad++;
			}
			teardown(p);
			break;
		}
		points++;
		if (rc != p->untouched && rc != -ENOMEM && rc != -EFAULT) {
			printf("#   %s: point %u: errno %d (%s)\n", p->name, n, -rc, strerror(-rc));
			bad++;
		}
		if (p->check && rc != p->untouched && !p->check(p)) {
			printf("#   %s: point %u: the state after the failure is wrong\n",
			       p->name, n);
			bad++;
		}
		teardown(p);
		if (outstanding() != before) {
			printf("#   %s: point %u: %llu allocations outstanding, %llu before\n",
			       p->name, n, (unsigned long long)outstanding(),
			       (unsigned long long)before);
			bad++;
		}
		if (!exchange_ok()) {
			printf("#   %s: point %u: the device no longer answers\n", p->name, n);
			bad++;
			break;
		}
	}
	printf("#   %s: %u fault points\n", p->name, points);
	points_total += points;
	if (bad)
		points_failed++;
	CHECK_EQ(bad, 0);
	CHECK(points > 0 || !strcmp(p->name, "poll_first"));
}

static struct path *current_path;

static void run_current(void)
{
	walk(current_path);
}

int main(void)
{
	static unsigned char in[MIB], out[MIB];
	static struct path paths[] = {
		{ .name = "open", .run = run_open },
		{ .name = "wait_first", .setup = setup_rdwr, .run = run_first_wait,
		  .untouched = -EAGAIN },
		{ .name = "read_first", .setup = setup_rdwr, .run = run_first_read,
		  .untouched = -EAGAIN },
		{ .name = "poll_first", .setup = setup_rdwr, .run = run_first_poll },
		{ .name = "wait_delivers_record", .setup = setup_record, .run = run_wait_record,
		  .check = check_record_kept },
		{ .name = "message", .setup = setup_rdwr, .run = run_message },
		{ .name = "echo_100", .setup = setup_rdwr, .run = run_echo, .size = 100 },
		{ .name = "echo_5000", .setup = setup_rdwr, .run = run_echo, .size = 5000 },
		{ .name = "echo_64k", .setup = setup_rdwr, .run = run_echo, .size = 65536 },
		{ .name = "echo_1m", .setup = setup_rdwr, .run = run_echo, .size = MIB },
		{ .name = "batch", .setup = setup_rdwr, .run = run_batch },
		{ .name = "post", .setup = setup_rdwr, .run = run_post },
		{ .name = "info", .setup = setup_rdwr, .run = run_info },
		{ .name = "stats", .setup = setup_rdwr, .run = run_stats },
	};
	char name[64];
	size_t i;

	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0) {
		perror("/proc/thread-self/fail-nth (a kernel with fault injection?)");
		return 2;
	}
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 31 + 7);
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		paths[i].in = in;
		paths[i].out = out;
		current_path = &paths[i];
		snprintf(name, sizeof(name), "fault_injection_%s", paths[i].name);
		check_run(name, run_current);
	}
	printf("# fault injection: %lu fault points exercised, %lu paths with a problem\n",
	       points_total, points_failed);
	return check_summary("fault injection");
}
