// SPDX-License-Identifier: MIT
/*
 * End-to-end tests against the loaded spotless.ko, run as root inside the
 * QEMU guest by scripts/guest/tests.sh, built twice: 64-bit, and 32-bit
 * (gcc -m32) to go through compat_ioctl. The module must be loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "edges.h"
#include "driver_checks.h"
#include "spotless.h"

/* What protocol_cases.h needs to know about this OS. */
#define EXPECT_OS	SPOTLESS_OS_LINUX
#define E_TOO_SMALL	ERANGE
#define E_TOO_LARGE	EMSGSIZE
#define E_INVALID	EINVAL
static const enum spotless_echo_method echo_methods[] = { SPOTLESS_ECHO_BUFFERED };
#define N_ECHO_METHODS	1

#include "protocol_cases.h"
#include "event_cases.h"
#include "general_call_cases.h"
#define QUEUE_SLEEP_MS(ms)	usleep((ms) * 1000)
#define QUEUE_UNAVAILABLE_1	ENOSYS	/* no io_uring in this kernel */
#define QUEUE_UNAVAILABLE_2	EPERM	/* io_uring switched off */
#include "queue_cases.h"

_Static_assert(sizeof(struct spotless_ioc_echo) == 40 && sizeof(struct spotless_ioc_batch) == 40,
	       "ECHO and BATCH arguments have one layout on 32 and 64 bits");
_Static_assert(sizeof(struct spotless_ioc_message) == 48,
	       "struct spotless_ioc_message has one layout on 32 and 64 bits");

/* A kernel address: never a valid user pointer. */
#define KERNEL_ADDRESS	0xffffffff81000000ULL

static size_t page_size;

/*
 * Racing sides run on different CPUs: each thread that calls this is pinned
 * to the next CPU in turn (the guests have two; on one CPU it does nothing).
 */
static void pin_next_cpu(void)
{
	static int next;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (cpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(__atomic_fetch_add(&next, 1, __ATOMIC_RELAXED) % cpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static int open_device(void)
{
	return open(SPOTLESS_LINUX_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

/* One SPOTLESS_IOC_MESSAGE; returns 0 or the errno. */
static int message(int fd, struct spotless_ioc_message *msg)
{
	return ioctl(fd, SPOTLESS_IOC_MESSAGE, msg) < 0 ? errno : 0;
}

static struct spotless_ioc_message make_msg(const void *in, uint32_t in_len,
					void *out, uint32_t out_len)
{
	struct spotless_ioc_message msg;

	memset(&msg, 0, sizeof(msg));
	msg.in_ptr = (uintptr_t)in;
	msg.in_len = in_len;
	msg.out_ptr = (uintptr_t)out;
	msg.out_len = out_len;
	return msg;
}

/* Two pages, the second unmapped: returns the start of the first. */
static unsigned char *page_before_hole(void)
{
	unsigned char *p = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p + page_size, page_size);
	memset(p, 'h', page_size);
	return p;
}

static void *unmapped_address(void)
{
	void *p = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(p, page_size);
	return p;
}

/* ---- The tutorial exchange -------------------------------------------- */

static void test_tutorial_exchange(void)
{
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = { 0 };
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg;

	CHECK(fd >= 0);
	memcpy(in, tutorial_message, sizeof(tutorial_message));
	memset(out, GUARD, sizeof(out));
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	CHECK_EQ(message(fd, &msg), 0);
	CHECK_EQ(msg.out_written, 22);
	CHECK(!memcmp(out, "ohai from them kernelz", 22));
	/* On Linux the driver copies the NUL too when there is room. */
	CHECK_EQ(out[22], 0);
	CHECK(untouched(out, 23, sizeof(out)));
	close(fd);
}

static void test_library_send_message(void)
{
	struct spotless_handle *dev = NULL;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	char too_long[200];
	size_t len = 0;

	CHECK_EQ(spotless_open(&dev), 0);
	CHECK_EQ(spotless_send_message(dev, tutorial_message, reply, &len), 0);
	CHECK_EQ(len, 22);
	CHECK(!strcmp(reply, SPOTLESS_REPLY));
	memset(too_long, 'x', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	CHECK_EQ(spotless_send_message(dev, too_long, reply, &len), EINVAL);
	CHECK_EQ(len, 0);
	spotless_close(dev);
}

/* ---- Message lengths -------------------------------------------------- */

static void check_message(uint32_t in_len, size_t text_len, int nul)
{
	int fd = open_device();
	unsigned char *in = malloc(in_len);
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE + SLACK];
	struct spotless_ioc_message msg;
	uint32_t i;

	for (i = 0; i < in_len; i++)
		in[i] = (unsigned char)('a' + i % 26);
	if (nul)
		in[text_len] = 0;
	memset(out, GUARD, sizeof(out));
	msg = make_msg(in, in_len, out, SPOTLESS_CLIENT_BUFFER_SIZE);
	CHECK_EQ(message(fd, &msg), 0);
	CHECK_EQ(msg.out_written, 22);
	CHECK(!memcmp(out, SPOTLESS_REPLY, 23));
	CHECK(untouched(out, 23, sizeof(out)));
	free(in);
	close(fd);
}

static void test_message_length_0(void) { check_message(128, 0, 1); }
#define MESSAGE_LENGTH_TEST_(n) \
	static void test_message_length_##n(void) { check_message(128, n, 1); }
SPOTLESS_MESSAGE_EDGES(MESSAGE_LENGTH_TEST_)
#define RUN_MESSAGE_LENGTH_(n) RUN_TEST(test_message_length_##n);
static void test_message_length_128_no_nul(void) { check_message(128, 128, 0); }
static void test_message_length_4096(void) { check_message(4096, 4096, 0); }

static void test_empty_input_refused(void)
{
	int fd = open_device();
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg = make_msg(NULL, 0, out, sizeof(out));

	CHECK_EQ(message(fd, &msg), EINVAL);
	CHECK_EQ(msg.out_written, 0);
	close(fd);
	CHECK(exchange_ok());
}

static void test_input_over_limit_refused(void)
{
	int fd = open_device();
	uint32_t len = SPOTLESS_MESSAGE_MAX_INPUT + 1;
	char *in = calloc(1, len);
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg = make_msg(in, len, out, sizeof(out));

	memset(out, GUARD, sizeof(out));
	CHECK_EQ(message(fd, &msg), EMSGSIZE);
	CHECK(untouched(out, 0, sizeof(out)));
	/* Judged by its size: even an unusable pointer gets EMSGSIZE. */
	msg = make_msg(NULL, 0xFFFFFFFFu, out, sizeof(out));
	CHECK_EQ(message(fd, &msg), EMSGSIZE);
	free(in);
	close(fd);
	CHECK(exchange_ok());
}

/* ---- Output sizes, with guard bytes ----------------------------------- */

static void check_output(uint32_t out_len)
{
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hi";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE + SLACK];
	struct spotless_ioc_message msg;
	int err;

	memset(out, GUARD, sizeof(out));
	msg = make_msg(in, sizeof(in), out_len ? out : NULL, out_len);
	err = message(fd, &msg);
	if (out_len < SPOTLESS_REPLY_LEN) {
		CHECK_EQ(err, ERANGE);
		CHECK_EQ(msg.out_written, 0);
		CHECK(untouched(out, 0, sizeof(out)));
	} else {
		size_t written = out_len > 22 ? 23 : 22;

		CHECK_EQ(err, 0);
		CHECK_EQ(msg.out_written, 22);
		CHECK(!memcmp(out, SPOTLESS_REPLY, written));
		CHECK(untouched(out, written, sizeof(out)));
	}
	close(fd);
	CHECK(exchange_ok());
}

#define OUTPUT_SIZE_TEST_(n) static void test_output_size_##n(void) { check_output(n); }
SPOTLESS_REPLY_ROOM_EDGES(OUTPUT_SIZE_TEST_)
#define RUN_OUTPUT_SIZE_(n) RUN_TEST(test_output_size_##n);

/* ---- Unknown commands, flags and reserved fields ---------------------- */

static void test_unknown_commands_enotty(void)
{
	static const unsigned long cmds[] = {
		0, 0xFFFFFFFFul, IOCTL_SPOTLESS,
		SPOTLESS_IOC_MESSAGE + 1,
		_IOWR(SPOTLESS_IOC_TYPE, 0x02, struct spotless_ioc_message),
		_IOWR(SPOTLESS_IOC_TYPE, 0x1F, struct spotless_ioc_message),
		_IOR(SPOTLESS_IOC_TYPE, 0x01, struct spotless_ioc_message),
		_IOW(SPOTLESS_IOC_TYPE, 0x01, struct spotless_ioc_message),
		_IOWR(SPOTLESS_IOC_TYPE, 0x01, __u32),	/* wrong size */
		_IO(SPOTLESS_IOC_TYPE, 0x01),
	};
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg = make_msg(in, sizeof(in), out, sizeof(out));
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		memset(out, GUARD, sizeof(out));
		CHECK_EQ(ioctl(fd, cmds[i], &msg) < 0 ? errno : 0, ENOTTY);
		CHECK(untouched(out, 0, sizeof(out)));
	}
	close(fd);
	CHECK(exchange_ok());
}

/* ---- Structures that grow by size (wire_linux.h) ------------------------ */

/* cmd with another size in its number: how an older or newer caller's
 * header spells the same command. */
static unsigned long with_size(unsigned long cmd, size_t size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

/* A newer caller's argument: ours, then NEWER bytes we do not know. */
union newer_arg {
	struct spotless_ioc_message msg;
	struct spotless_ioc_echo echo;
	struct spotless_ioc_batch batch;
	struct spotless_ioc_post post;
	struct spotless_ioc_call call;
	unsigned char bytes[sizeof(struct spotless_stats) + NEWER];
};

/* Every command's number with a size below its first version's, or another
 * direction, is not a command: ENOTTY, counted as unknown. */
static void test_abi_older_size_or_direction_unknown(void)
{
	static const unsigned long cmds[] = {
		SPOTLESS_IOC_MESSAGE, SPOTLESS_IOC_INFO, SPOTLESS_IOC_STATS, SPOTLESS_IOC_ECHO,
		SPOTLESS_IOC_BATCH, SPOTLESS_IOC_POST, SPOTLESS_IOC_WAIT_EVENT, SPOTLESS_IOC_CALL,
	};
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	union newer_arg arg;
	int fd = open_device();
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		memset(&arg, 0, sizeof(arg));
		CHECK_EQ(ioctl(fd, with_size(cmds[i], _IOC_SIZE(cmds[i]) - 8), &arg) < 0 ? errno : 0,
			 ENOTTY);
		CHECK_EQ(ioctl(fd, _IOC(_IOC_DIR(cmds[i]) ^ _IOC_WRITE, _IOC_TYPE(cmds[i]),
					_IOC_NR(cmds[i]), _IOC_SIZE(cmds[i])), &arg) < 0 ? errno : 0,
			 ENOTTY);
		CHECK(all_bytes(arg.bytes, sizeof(arg), 0));
	}
	b = stats_of(dev);
	CHECK_EQ(b.device.requests[SPOTLESS_STAT_UNKNOWN] - a.device.requests[SPOTLESS_STAT_UNKNOWN],
		 2 * sizeof(cmds) / sizeof(cmds[0]));
	close(fd);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* A newer caller's larger argument with a zero tail works as the first
 * version; with a non-zero tail it is E2BIG, nothing done, counted. Its
 * tail is never written, nor are its input fields. */
static void test_abi_newer_arguments_in(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "newer caller";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE + 8];
	unsigned char records[64], answers[128];
	struct spotless_batch_writer w;
	union newer_arg arg;
	int fd = open_device(), round;

	for (round = 0; round < 2; round++) {
		unsigned char tail = round ? 0x01 : 0x00;
		int want = round ? E2BIG : 0;

		/* MESSAGE */
		memset(&arg, 0, sizeof(arg));
		arg.msg = make_msg(in, sizeof(in), out, sizeof(out));
		arg.bytes[sizeof(arg.msg) + NEWER - 1] = tail;
		memset(out, GUARD, sizeof(out));
		CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_MESSAGE, sizeof(arg.msg) + NEWER),
			       &arg) < 0 ? errno : 0, want);
		CHECK_EQ(arg.msg.out_written, round ? 0 : SPOTLESS_REPLY_LEN);
		CHECK(round ? untouched(out, 0, sizeof(out)) :
		      !memcmp(out, SPOTLESS_REPLY, SPOTLESS_REPLY_LEN));
		CHECK(all_bytes(arg.bytes + sizeof(arg.msg), NEWER - 1, 0));

		/* ECHO: only out_written and crc32c are written back. */
		memset(&arg, 0, sizeof(arg));
		arg.echo.in_ptr = (uintptr_t)in;
		arg.echo.out_ptr = (uintptr_t)out;
		arg.echo.in_len = 12;
		arg.echo.out_len = sizeof(out);
		arg.bytes[sizeof(arg.echo)] = tail;
		memset(out, GUARD, sizeof(out));
		CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_ECHO, sizeof(arg.echo) + NEWER), &arg) < 0 ?
			 errno : 0, want);
		CHECK_EQ(arg.echo.out_written, round ? 0 : 12);
		CHECK_EQ(arg.echo.crc32c, round ? 0 : crc32c_reference((const unsigned char *)in, 12));
		CHECK_EQ(arg.echo.in_len, 12);
		CHECK_EQ(arg.echo.out_len, sizeof(out));
		CHECK(round ? untouched(out, 0, sizeof(out)) : !memcmp(out, in, 12));

		/* BATCH of one INFO: only out_written is written back. */
		memset(&arg, 0, sizeof(arg));
		spotless_batch_begin(&w, records, sizeof(records));
		CHECK_EQ(spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0,
					    sizeof(struct spotless_info)), 0);
		arg.batch.in_ptr = (uintptr_t)records;
		arg.batch.in_len = (uint32_t)spotless_batch_end(&w);
		arg.batch.out_ptr = (uintptr_t)answers;
		arg.batch.out_len = sizeof(answers);
		arg.bytes[sizeof(arg.batch) + 1] = tail;
		CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_BATCH, sizeof(arg.batch) + NEWER), &arg) < 0 ?
			 errno : 0, want);
		CHECK_EQ(arg.batch.out_written, round ? 0 : w.out_needed);
		CHECK_EQ(arg.batch.out_len, sizeof(answers));

		/* POST */
		memset(&arg, 0, sizeof(arg));
		arg.post.payload_ptr = (uintptr_t)in;
		arg.post.payload_len = 4;
		arg.bytes[sizeof(arg.post) + 3] = tail;
		CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_POST, sizeof(arg.post) + NEWER), &arg) < 0 ?
			 errno : 0, want);

		/* CALL carrying INFO */
		memset(&arg, 0, sizeof(arg));
		arg.call.code = IOCTL_SPOTLESS_INFO;
		arg.call.out_ptr = (uintptr_t)out;
		arg.call.out_len = sizeof(struct spotless_info);
		arg.bytes[sizeof(arg.call) + 8] = tail;
		CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_CALL, sizeof(arg.call) + NEWER), &arg) < 0 ?
			 errno : 0, want);
		CHECK_EQ(arg.call.out_written, round ? 0 : sizeof(struct spotless_info));
	}
	b = stats_of(dev);
	CHECK_EQ(b.device.errors[SPOTLESS_STATUS_UNKNOWN_FIELDS] -
		 a.device.errors[SPOTLESS_STATUS_UNKNOWN_FIELDS], 5);
	close(fd);
	spotless_close(dev);
	CHECK(exchange_ok());
}

/* An answer of size bytes asked for with NEWER more: ours (its first field
 * says our size), then zeros to the caller's size, nothing past it. */
static void check_newer_answer(int fd, unsigned long cmd, uint32_t size)
{
	unsigned char guard[sizeof(union newer_arg) + 16];
	uint32_t said;

	memset(guard, GUARD, sizeof(guard));
	CHECK_EQ(ioctl(fd, with_size(cmd, size + NEWER), guard) < 0 ? errno : 0, 0);
	memcpy(&said, guard, sizeof(said));
	CHECK_EQ(said, size);
	CHECK(all_bytes(guard + size, NEWER, 0));
	CHECK(untouched(guard, size + NEWER, sizeof(guard)));
}

/* A newer caller's larger answer: ours, then zeros to its size, never past;
 * the size fields say ours. */
static void test_abi_newer_answers_out(void)
{
	union newer_arg arg;
	struct spotless_event ev;
	struct pollfd pfd;
	int fd = open_device();
	unsigned char guard[sizeof(arg) + 16];
	unsigned char *buf = guard;

	check_newer_answer(fd, SPOTLESS_IOC_INFO, sizeof(struct spotless_info));
	check_newer_answer(fd, SPOTLESS_IOC_STATS, sizeof(struct spotless_stats));

	/* WAIT_EVENT: subscribe, post, take the record with a newer size. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK_EQ(poll(&pfd, 1, 0), 0);
	memset(&arg, 0, sizeof(arg));
	arg.post.payload_ptr = (uintptr_t)"grow";
	arg.post.payload_len = 4;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_POST, &arg.post) < 0 ? errno : 0, 0);
	memset(guard, GUARD, sizeof(guard));
	CHECK_EQ(ioctl(fd, with_size(SPOTLESS_IOC_WAIT_EVENT, sizeof(ev) + NEWER), buf) < 0 ?
		 errno : 0, 0);
	memcpy(&ev, buf, sizeof(ev));
	CHECK_EQ(ev.kind, SPOTLESS_EVENT_POSTED);
	CHECK(!memcmp(ev.payload, "grow", 4));
	CHECK(all_bytes(buf + sizeof(ev), NEWER, 0));
	CHECK(untouched(buf, sizeof(ev) + NEWER, sizeof(guard)));
	close(fd);
	CHECK(exchange_ok());
}

/* SPOTLESS_IOC_CALL's own refusals, each with a test, and the driver
 * answering afterwards. */
static void test_call_refusals(void)
{
	int fd = open_device();
	unsigned char out[64];
	struct spotless_ioc_call call;

	memset(&call, 0, sizeof(call));
	call.code = IOCTL_SPOTLESS_WAIT_EVENT;	/* waits: not carried */
	call.out_ptr = (uintptr_t)out;
	call.out_len = sizeof(out);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EINVAL);
	call.code = IOCTL_SPOTLESS_ECHO_IN_DIRECT;	/* Windows' method */
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EINVAL);
	call.code = IOCTL_SPOTLESS_INFO;
	call.flags = 1;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EINVAL);
	call.flags = 0;
	call.reserved = 1;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EINVAL);
	call.reserved = 0;
	call.code = 0x12345678;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, ENOTTY);
	call.code = IOCTL_SPOTLESS_INFO;
	call.out_ptr = KERNEL_ADDRESS;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EFAULT);
	call.code = IOCTL_SPOTLESS_ECHO_BUFFERED;
	call.in_ptr = KERNEL_ADDRESS;
	call.in_len = 8;
	call.out_ptr = (uintptr_t)out;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, &call) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_CALL, (void *)(uintptr_t)KERNEL_ADDRESS) < 0 ? errno : 0,
		 EFAULT);
	close(fd);
	CHECK(exchange_ok());
}

/* POST by the general call reaches a subscriber, as POST does. */
static void test_call_carries_post(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_event ev;
	size_t written = 9;

	CHECK_EQ(spotless_wait_event(dev, 0, &ev), SPOTLESS_E_TIMEOUT);	/* subscribes */
	CHECK_EQ(spotless_command(dev, IOCTL_SPOTLESS_POST, "by call", 7, NULL, 0, &written), 0);
	CHECK_EQ(written, 0);
	CHECK_EQ(spotless_wait_event(dev, 1000, &ev), 0);
	CHECK_EQ(ev.payload_len, 7);
	CHECK(!memcmp(ev.payload, "by call", 7));
	CHECK_EQ(spotless_error_kind(spotless_command(dev, IOCTL_SPOTLESS_POST, NULL, 0, NULL, 0,
						      &written)),
		 SPOTLESS_ERROR_INVALID_ARGUMENT);
	spotless_close(dev);
}

/* The library's handle is the descriptor: poll it, open by name and path. */
static void test_library_native_handle_and_paths(void)
{
	struct spotless_handle *dev = NULL, *by_path = NULL;
	struct pollfd pfd;

	CHECK_EQ(spotless_open_path(SPOTLESS_LINUX_DEVICE_NAME, &dev), 0);
	CHECK_EQ(spotless_open_path(SPOTLESS_LINUX_DEVICE_PATH, &by_path), 0);
	pfd.fd = (int)spotless_native_handle(dev);
	pfd.events = POLLIN;
	CHECK_EQ(poll(&pfd, 1, 0), 0);		/* subscribed, nothing queued */
	CHECK_EQ(spotless_post(by_path, "x", 1), 0);
	CHECK_EQ(poll(&pfd, 1, 1000), 1);
	CHECK(pfd.revents & POLLIN);
	spotless_close(by_path);
	spotless_close(dev);
}

static void test_flags_and_reserved_must_be_zero(void)
{
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg;

	memset(out, GUARD, sizeof(out));
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	msg.flags = 1;
	CHECK_EQ(message(fd, &msg), EINVAL);
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	msg.flags = 0x80000000u;
	CHECK_EQ(message(fd, &msg), EINVAL);
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	msg.reserved[0] = 1;
	CHECK_EQ(message(fd, &msg), EINVAL);
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	msg.reserved[1] = 1ULL << 63;
	CHECK_EQ(message(fd, &msg), EINVAL);
	CHECK(untouched(out, 0, sizeof(out)));
	/* out_written is an output: whatever the caller left there is ignored. */
	msg = make_msg(in, sizeof(in), out, sizeof(out));
	msg.out_written = 12345;
	CHECK_EQ(message(fd, &msg), 0);
	CHECK_EQ(msg.out_written, 22);
	close(fd);
	CHECK(exchange_ok());
}

/* ---- Bad pointers: EFAULT, and the module still answers --------------- */

static void test_bad_argument_pointer(void)
{
	int fd = open_device();
	unsigned char *hole = page_before_hole();

	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_MESSAGE, NULL) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_MESSAGE, unmapped_address()) < 0 ? errno : 0,
		 EFAULT);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_MESSAGE, (unsigned long)KERNEL_ADDRESS) < 0
		 ? errno : 0, EFAULT);
	/* The structure itself runs into an unmapped page. */
	CHECK(hole != NULL);
	if (hole)
		CHECK_EQ(ioctl(fd, SPOTLESS_IOC_MESSAGE, hole + page_size - 16) < 0
			 ? errno : 0, EFAULT);
	close(fd);
	if (hole)
		munmap(hole, page_size);
	CHECK(exchange_ok());
}

static void check_bad_in(uint64_t in_ptr, uint32_t in_len)
{
	int fd = open_device();
	unsigned char out[SPOTLESS_CLIENT_BUFFER_SIZE];
	struct spotless_ioc_message msg = make_msg(NULL, in_len, out, sizeof(out));

	msg.in_ptr = in_ptr;
	memset(out, GUARD, sizeof(out));
	CHECK_EQ(message(fd, &msg), EFAULT);
	CHECK(untouched(out, 0, sizeof(out)));
	close(fd);
	CHECK(exchange_ok());
}

static void check_bad_out(uint64_t out_ptr)
{
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	struct spotless_ioc_message msg = make_msg(in, sizeof(in), NULL, 128);

	msg.out_ptr = out_ptr;
	CHECK_EQ(message(fd, &msg), EFAULT);
	close(fd);
	CHECK(exchange_ok());
}

static void test_bad_input_pointers(void)
{
	unsigned char *hole = page_before_hole();

	check_bad_in(0, 16);
	check_bad_in((uintptr_t)unmapped_address(), 16);
	check_bad_in(KERNEL_ADDRESS, 16);
	check_bad_in(~0ULL - 8, 16);	/* wraps around */
	CHECK(hole != NULL);
	if (hole) {
		/* 100 bytes that start 10 bytes before an unmapped page. */
		check_bad_in((uintptr_t)(hole + page_size - 10), 100);
		munmap(hole, page_size);
	}
}

static void test_bad_output_pointers(void)
{
	unsigned char *hole = page_before_hole();

	check_bad_out(0);
	check_bad_out((uintptr_t)unmapped_address());
	check_bad_out(KERNEL_ADDRESS);
	CHECK(hole != NULL);
	if (hole) {
		check_bad_out((uintptr_t)(hole + page_size - 10));
		munmap(hole, page_size);
	}
}

/* A read-only output page: the copy out fails, nothing is reported. */
static void test_read_only_output(void)
{
	int fd = open_device();
	char in[SPOTLESS_CLIENT_BUFFER_SIZE] = "hello";
	unsigned char *ro = mmap(NULL, page_size, PROT_READ,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct spotless_ioc_message msg = make_msg(in, sizeof(in), ro, 128);

	CHECK(ro != MAP_FAILED);
	CHECK_EQ(message(fd, &msg), EFAULT);
	munmap(ro, page_size);
	close(fd);
	CHECK(exchange_ok());
}

/* ---- Access ------------------------------------------------------------- */

/* /dev/spotless is 0600: a user other than root is refused at open. */
static void test_non_root_user_refused(void)
{
	pid_t pid = fork();
	int status = 0;

	CHECK(pid >= 0);
	if (pid == 0) {
		int fd;

		if (setgid(1000) || setuid(1000))
			_exit(100);
		fd = open_device();
		_exit(fd < 0 ? (errno == EACCES ? 0 : 101) : 102);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), 0);
}

/* ---- Protocol v1: the Linux argument structures ------------------------ */

static int echo_raw(int fd, struct spotless_ioc_echo *echo)
{
	return ioctl(fd, SPOTLESS_IOC_ECHO, echo) < 0 ? errno : 0;
}

static int batch_raw(int fd, struct spotless_ioc_batch *batch)
{
	return ioctl(fd, SPOTLESS_IOC_BATCH, batch) < 0 ? errno : 0;
}

/* Outstanding allocations on a fresh handle: its own state only. */
static void test_echo_direct_methods_not_on_linux(void)
{
	struct spotless_handle *dev = open_checked();
	unsigned char buf[16] = "abc";
	uint32_t crc;

	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_IN_DIRECT, buf, 3, buf, 16, &crc),
		 SPOTLESS_E_NOT_SUPPORTED);
	CHECK_EQ(spotless_echo(dev, SPOTLESS_ECHO_OUT_DIRECT, buf, 3, buf, 16, &crc),
		 SPOTLESS_E_NOT_SUPPORTED);
	spotless_close(dev);
}

static void test_echo_bad_arguments(void)
{
	int fd = open_device();
	/* Mapped before the hole is made, so that it cannot land in it. */
	void *ro = mmap(NULL, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *hole = page_before_hole();
	unsigned char in[64] = "payload", out[64] = { 0 };
	struct spotless_ioc_echo e;
	struct spotless_ioc_echo base = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = 64, .out_len = 64,
	};

	e = base;
	CHECK_EQ(echo_raw(fd, &e), 0);
	CHECK_EQ(e.out_written, 64);
	CHECK_EQ(e.crc32c, crc32c_reference(in, 64));
	e = base, e.flags = 1;
	CHECK_EQ(echo_raw(fd, &e), EINVAL);
	e = base, e.reserved = 1;
	CHECK_EQ(echo_raw(fd, &e), EINVAL);
	e = base, e.out_len = 63;
	CHECK_EQ(echo_raw(fd, &e), ERANGE);
	e = base, e.in_len = SPOTLESS_ECHO_MAX + 1, e.out_len = SPOTLESS_ECHO_MAX + 1;
	CHECK_EQ(echo_raw(fd, &e), EMSGSIZE);
	e = base, e.in_ptr = KERNEL_ADDRESS;
	CHECK_EQ(echo_raw(fd, &e), EFAULT);
	e = base, e.out_ptr = KERNEL_ADDRESS;
	CHECK_EQ(echo_raw(fd, &e), EFAULT);
	e = base, e.out_ptr = (uintptr_t)ro;
	CHECK_EQ(echo_raw(fd, &e), EFAULT);
	if (hole) {
		/* The payload runs into an unmapped page. */
		e = base, e.in_ptr = (uintptr_t)(hole + page_size - 32);
		CHECK_EQ(echo_raw(fd, &e), EFAULT);
		e = base, e.out_ptr = (uintptr_t)(hole + page_size - 32);
		CHECK_EQ(echo_raw(fd, &e), EFAULT);
		munmap(hole, page_size);
	}
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_ECHO, NULL) < 0 ? errno : 0, EFAULT);
	e = base, e.in_ptr = (uintptr_t)unmapped_address();
	CHECK_EQ(echo_raw(fd, &e), EFAULT);
	munmap(ro, page_size);
	close(fd);
	check_no_leak();
	CHECK(exchange_ok());
}

static void test_batch_bad_arguments(void)
{
	int fd = open_device();
	struct spotless_ioc_batch b, base;
	size_t need, len = message_batch(2, &need);

	memset(&base, 0, sizeof(base));
	base.in_ptr = (uintptr_t)batch_in;
	base.out_ptr = (uintptr_t)batch_out;
	base.in_len = (uint32_t)len;
	base.out_len = (uint32_t)need;
	b = base;
	CHECK_EQ(batch_raw(fd, &b), 0);
	CHECK_EQ(b.out_written, need);
	b = base, b.flags = 2;
	CHECK_EQ(batch_raw(fd, &b), EINVAL);
	b = base, b.reserved = 1;
	CHECK_EQ(batch_raw(fd, &b), EINVAL);
	b = base, b.in_ptr = (uintptr_t)unmapped_address();
	CHECK_EQ(batch_raw(fd, &b), EFAULT);
	b = base, b.out_ptr = KERNEL_ADDRESS;
	CHECK_EQ(batch_raw(fd, &b), EFAULT);
	b = base, b.in_len = 0;
	CHECK_EQ(batch_raw(fd, &b), EINVAL);
	b = base, b.out_len = 0;
	CHECK_EQ(batch_raw(fd, &b), ERANGE);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_BATCH, NULL) < 0 ? errno : 0, EFAULT);
	close(fd);
	check_no_leak();
	CHECK(exchange_ok());
}

/*
 * A code's access bits (those of its Windows code) hold on Linux too: the
 * tutorial's code needs a descriptor open for writing, STATS one open for
 * reading, BATCH both (so no record reaches past them); INFO neither.
 */
static void test_access_by_open_mode(void)
{
	int ro = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	int wo = open(SPOTLESS_LINUX_DEVICE_PATH, O_WRONLY | O_CLOEXEC);
	int rw;
	char in[8] = "hi";
	unsigned char out[64];
	struct spotless_ioc_message msg = make_msg(in, sizeof(in), out, sizeof(out));
	struct spotless_info info;
	struct spotless_stats st;
	struct spotless_ioc_batch b;
	struct spotless_batch_writer w;
	struct spotless_batch_reader r;
	struct spotless_batch_header hdr;
	struct spotless_batch_result res;
	const void *answer;

	CHECK(ro >= 0 && wo >= 0);
	CHECK_EQ(message(ro, &msg), EBADF);
	CHECK_EQ(message(wo, &msg), 0);
	CHECK_EQ(ioctl(wo, SPOTLESS_IOC_STATS, &st) < 0 ? errno : 0, EBADF);
	CHECK_EQ(ioctl(ro, SPOTLESS_IOC_STATS, &st) < 0 ? errno : 0, 0);
	CHECK_EQ(ioctl(wo, SPOTLESS_IOC_INFO, &info) < 0 ? errno : 0, 0);

	spotless_batch_begin(&w, batch_in, sizeof(batch_in));
	spotless_batch_add(&w, IOCTL_SPOTLESS, "hi", 3, 23);
	spotless_batch_add(&w, IOCTL_SPOTLESS_INFO, NULL, 0, sizeof(info));
	memset(&b, 0, sizeof(b));
	b.in_ptr = (uintptr_t)batch_in;
	b.in_len = (uint32_t)spotless_batch_end(&w);
	b.out_ptr = (uintptr_t)batch_out;
	b.out_len = (uint32_t)w.out_needed;
	CHECK_EQ(batch_raw(ro, &b), EBADF);
	CHECK_EQ(batch_raw(wo, &b), EBADF);
	rw = open_device();
	CHECK_EQ(batch_raw(rw, &b), 0);
	CHECK_EQ(spotless_batch_read(&r, batch_out, b.out_written, &hdr), 0);
	CHECK_EQ(hdr.failed, 0);
	CHECK_EQ(spotless_batch_next(&r, &res, &answer), 1);
	CHECK_EQ(res.status, SPOTLESS_STATUS_OK);
	close(rw);
	close(ro);
	close(wo);
	check_no_leak();
}

/* Refusals before the core are counted too. */
static void test_refusals_counted(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	unsigned char in[8] = "x", out[8] = { 0 };
	struct spotless_ioc_echo e = {
		.in_ptr = (uintptr_t)in, .out_ptr = (uintptr_t)out,
		.in_len = 8, .out_len = 8, .flags = 1,
	};
	int fd = open_device();

	CHECK_EQ(echo_raw(fd, &e), EINVAL);
	close(fd);
	b = stats_of(dev);
	CHECK_EQ(b.device.errors[SPOTLESS_STATUS_BAD_REQUEST] -
		 a.device.errors[SPOTLESS_STATUS_BAD_REQUEST], 1);
	CHECK_EQ(b.device.requests[SPOTLESS_STAT_ECHO] -
		 a.device.requests[SPOTLESS_STAT_ECHO], 1);
	spotless_close(dev);
}

/* ---- Events ------------------------------------------------------------- */

_Static_assert(sizeof(struct spotless_event) == 104 && sizeof(struct spotless_ioc_post) == 16,
	       "event records have one layout on 32 and 64 bits");

static int post(int fd, const char *text)
{
	struct spotless_ioc_post p = { .payload_ptr = (uintptr_t)text, .payload_len = (uint32_t)strlen(text) };

	return ioctl(fd, SPOTLESS_IOC_POST, &p) < 0 ? errno : 0;
}

static int wait_event(int fd, struct spotless_event *ev)
{
	return ioctl(fd, SPOTLESS_IOC_WAIT_EVENT, ev) < 0 ? errno : 0;
}

/* A descriptor subscribed to events, with an empty queue, non-blocking. */
static int subscriber(void)
{
	int fd = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct spotless_event ev;

	CHECK(fd >= 0);
	CHECK_EQ(wait_event(fd, &ev), EAGAIN);	/* subscribes; nothing yet */
	return fd;
}

static void test_events_poll_and_read(void)
{
	int w = subscriber(), poster = open_device();
	struct pollfd pfd = { .fd = w, .events = POLLIN };
	struct spotless_event evs[3];
	struct spotless_event ev;

	CHECK_EQ(wait_event(w, &ev), 0);		/* the poster's open */
	CHECK_EQ(poll(&pfd, 1, 50), 0);			/* a wait that times out */
	CHECK_EQ(post(poster, "a"), 0);
	CHECK_EQ(post(poster, "b"), 0);
	CHECK_EQ(poll(&pfd, 1, 1000), 1);
	CHECK(pfd.revents & POLLIN);
	CHECK_EQ(read(w, evs, sizeof(evs[0]) - 1), -1);
	CHECK_EQ(errno, EINVAL);
	CHECK_EQ(read(w, evs, sizeof(evs)), (ssize_t)(2 * sizeof(evs[0])));
	CHECK(evs[0].payload[0] == 'a' && evs[1].payload[0] == 'b');
	CHECK_EQ(read(w, evs, sizeof(evs)), -1);
	CHECK_EQ(errno, EAGAIN);
	close(poster);
	close(w);
}

static void test_events_bad_requests(void)
{
	int fd = open_device(), ro = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	int wo = open(SPOTLESS_LINUX_DEVICE_PATH, O_WRONLY | O_CLOEXEC);
	char big[SPOTLESS_EVENT_PAYLOAD_MAX + 2];
	struct spotless_ioc_post p = { .payload_ptr = (uintptr_t)"x", .payload_len = 1, .flags = 1 };
	struct spotless_event ev;

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_POST, &p) < 0 ? errno : 0, EINVAL);
	CHECK_EQ(post(fd, ""), EINVAL);
	CHECK_EQ(post(fd, big), EMSGSIZE);
	p.flags = 0;
	p.payload_ptr = KERNEL_ADDRESS;
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_POST, &p) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(ioctl(fd, SPOTLESS_IOC_POST, NULL) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(post(ro, "x"), EBADF);
	CHECK_EQ(wait_event(wo, &ev), EBADF);
	close(fd);
	close(ro);
	close(wo);
	check_no_leak();
	CHECK(exchange_ok());
}

/* poll on a descriptor not open for reading: nothing now or ever, and no
 * queue made for it (a level-triggered loop must not spin on it). */
static void test_events_poll_write_only_reports_nothing(void)
{
	int wo = open(SPOTLESS_LINUX_DEVICE_PATH, O_WRONLY | O_CLOEXEC), poster = open_device();
	struct pollfd pfd = { .fd = wo, .events = POLLIN };

	CHECK(wo >= 0);
	CHECK_EQ(poll(&pfd, 1, 0), 0);
	CHECK_EQ(post(poster, "to nobody"), 0);
	CHECK_EQ(poll(&pfd, 1, 50), 0);
	CHECK_EQ(pfd.revents, 0);
	close(poster);
	close(wo);
	check_no_leak();
}

/*
 * A record whose copy to the caller fails stays queued: the next wait or
 * read gets it. Only what reached the caller is counted as delivered.
 */
static void test_events_failed_copy_keeps_the_record(void)
{
	int w = subscriber(), poster = open_device();
	struct spotless_stats before, after;
	struct spotless_event ev;

	CHECK_EQ(wait_event(w, &ev), 0);		/* the poster's open */
	CHECK_EQ(post(poster, "kept"), 0);
	memset(&before, 0, sizeof(before));
	CHECK_EQ(ioctl(w, SPOTLESS_IOC_STATS, &before), 0);
	CHECK_EQ(ioctl(w, SPOTLESS_IOC_WAIT_EVENT, unmapped_address()) < 0 ? errno : 0, EFAULT);
	CHECK_EQ(read(w, unmapped_address(), sizeof(ev)), -1);
	CHECK_EQ(errno, EFAULT);
	memset(&after, 0, sizeof(after));
	CHECK_EQ(ioctl(w, SPOTLESS_IOC_STATS, &after), 0);
	CHECK_EQ(after.handle.bytes_out, before.handle.bytes_out + sizeof(after));
	CHECK_EQ(wait_event(w, &ev), 0);
	CHECK(ev.kind == SPOTLESS_EVENT_POSTED && !memcmp(ev.payload, "kept", 4));
	CHECK_EQ(ev.lost, 0);
	CHECK_EQ(wait_event(w, &ev), EAGAIN);
	close(poster);
	close(w);
	check_no_leak();
}

/* Records, not a byte stream: the device has no file position. */
static void test_device_has_no_file_position(void)
{
	int fd = open_device();
	char byte;

	CHECK_EQ(lseek(fd, 0, SEEK_SET), -1);
	CHECK_EQ(errno, ESPIPE);
	CHECK_EQ(pread(fd, &byte, 1, 0), -1);
	CHECK_EQ(errno, ESPIPE);
	close(fd);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* A blocking wait ends on a signal (no SA_RESTART: EINTR), and leaks nothing. */
static void test_events_signal_ends_a_wait(void)
{
	struct sigaction sa, old;
	struct spotless_event ev;
	int fd = open_device();
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, &old);
	for (i = 0; i < 3; i++) {
		ualarm(50000, 0);
		CHECK_EQ(wait_event(fd, &ev), EINTR);
	}
	sigaction(SIGALRM, &old, NULL);
	close(fd);
	check_no_leak();
}

/* One thread blocked in WAIT_EVENT on a descriptor; the other's calls. */
struct nonblock_race {
	int fd;
	int blocked_result;
	int done;			/* the second thread's call has returned */
	int second_result;
	struct spotless_event ev;
};

static void *blocked_waiter(void *arg)
{
	struct nonblock_race *r = arg;
	struct spotless_event ev;

	pin_next_cpu();
	r->blocked_result = wait_event(r->fd, &ev);
	return NULL;
}

static void *nonblocking_caller(void *arg)
{
	struct nonblock_race *r = arg;

	pin_next_cpu();
	r->second_result = wait_event(r->fd, &r->ev);
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * O_NONBLOCK never sleeps: a thread that sets it on a descriptor while
 * another thread of the same descriptor sleeps in WAIT_EVENT gets EAGAIN at
 * once, not a sleep behind the sleeper. (The wait below only bounds a hang:
 * a correct module answers well within it.)
 */
static void test_events_nonblock_never_sleeps_behind_a_waiter(void)
{
	struct nonblock_race r = { .fd = open_device() };
	pthread_t waiter, second;
	struct spotless_event ev;
	int i, poster = open_device();

	CHECK_EQ(fcntl(r.fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(wait_event(r.fd, &ev), EAGAIN);	/* subscribes */
	CHECK_EQ(fcntl(r.fd, F_SETFL, 0), 0);
	CHECK_EQ(pthread_create(&waiter, NULL, blocked_waiter, &r), 0);
	usleep(200000);					/* it is asleep by now */
	CHECK_EQ(fcntl(r.fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(pthread_create(&second, NULL, nonblocking_caller, &r), 0);
	for (i = 0; i < 500 && !__atomic_load_n(&r.done, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	CHECK_EQ(__atomic_load_n(&r.done, __ATOMIC_ACQUIRE), 1);
	/* read(2) the same way (not tried when the ioctl slept: it would too). */
	if (__atomic_load_n(&r.done, __ATOMIC_ACQUIRE)) {
		char buf[sizeof(struct spotless_event)];

		CHECK_EQ(read(r.fd, buf, sizeof(buf)) < 0 ? errno : 0, EAGAIN);
	}
	/* One post releases the sleeper (and the second thread if it slept). */
	CHECK_EQ(post(poster, "wake"), 0);
	pthread_join(waiter, NULL);
	pthread_join(second, NULL);
	CHECK_EQ(r.second_result, EAGAIN);
	CHECK_EQ(r.blocked_result, 0);
	close(poster);
	close(r.fd);
	check_no_leak();
}

/* The guest gives the races below two CPUs (scripts/lib/guest_suite.sh). */
static void test_guest_has_two_cpus(void)
{
	CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 2);
}

/* A thread asleep in read(), poll() or WAIT_EVENT on one CPU; a post from
 * the other wakes it with the record. */
struct sleeper {
	int fd;
	int how;		/* 0 read, 1 poll then WAIT_EVENT, 2 WAIT_EVENT */
	int result;
	struct spotless_event ev;
};

static void *sleep_for_event(void *arg)
{
	struct sleeper *s = arg;
	struct pollfd pfd = { .fd = s->fd, .events = POLLIN };

	pin_next_cpu();
	if (s->how == 0) {
		s->result = read(s->fd, &s->ev, sizeof(s->ev)) == sizeof(s->ev) ? 0 : errno;
		return NULL;
	}
	if (s->how == 1 && poll(&pfd, 1, -1) != 1) {
		s->result = errno;
		return NULL;
	}
	s->result = wait_event(s->fd, &s->ev);
	return NULL;
}

static void test_events_post_wakes_sleepers_on_another_cpu(void)
{
	int how, round, poster = open_device();

	pin_next_cpu();
	for (how = 0; how < 3; how++) {
		for (round = 0; round < 20; round++) {
			struct sleeper s = { .fd = open_device(), .how = how, .result = -1 };
			struct spotless_event ev;
			pthread_t t;

			CHECK_EQ(fcntl(s.fd, F_SETFL, O_NONBLOCK), 0);
			CHECK_EQ(wait_event(s.fd, &ev), EAGAIN);	/* subscribes */
			CHECK_EQ(fcntl(s.fd, F_SETFL, 0), 0);
			CHECK_EQ(pthread_create(&t, NULL, sleep_for_event, &s), 0);
			usleep(round * 500);	/* asleep, or on its way to it */
			CHECK_EQ(post(poster, "wake"), 0);
			pthread_join(t, NULL);
			CHECK_EQ(s.result, 0);
			CHECK_EQ(s.ev.kind, SPOTLESS_EVENT_POSTED);
			CHECK(!memcmp(s.ev.payload, "wake", 4));
			close(s.fd);
		}
	}
	close(poster);
	check_no_leak();
}

/* close() of a descriptor while another thread of the process sleeps in
 * WAIT_EVENT on it: the sleeper keeps the file until it returns (the
 * kernel's reference), gets the next event, and nothing leaks. */
static void test_events_close_while_a_thread_waits(void)
{
	struct sleeper s = { .fd = open_device(), .how = 2, .result = -1 };
	struct spotless_event ev;
	pthread_t t;
	int poster = open_device();

	CHECK_EQ(fcntl(s.fd, F_SETFL, O_NONBLOCK), 0);
	CHECK_EQ(wait_event(s.fd, &ev), EAGAIN);
	CHECK_EQ(fcntl(s.fd, F_SETFL, 0), 0);
	CHECK_EQ(pthread_create(&t, NULL, sleep_for_event, &s), 0);
	usleep(100000);
	CHECK_EQ(close(s.fd), 0);
	CHECK_EQ(post(poster, "after close"), 0);
	pthread_join(t, NULL);
	CHECK_EQ(s.result, 0);
	CHECK(!memcmp(s.ev.payload, "after close", 11));
	close(poster);
	check_no_leak();
}

/* munmap() of ECHO's buffers by one thread while another sends them: each
 * ECHO succeeds or fails with EFAULT, the module answers afterwards and
 * nothing leaks. */
struct unmapper {
	unsigned char *buf;
	size_t len;
	int echoes, faults, others;
};

static void *echo_from_buffer(void *arg)
{
	struct unmapper *u = arg;
	int fd = open_device(), i;

	pin_next_cpu();
	for (i = 0; i < 200; i++) {
		struct spotless_ioc_echo e = {
			.in_ptr = (uintptr_t)u->buf, .out_ptr = (uintptr_t)u->buf,
			.in_len = (uint32_t)u->len, .out_len = (uint32_t)u->len,
		};
		int err = ioctl(fd, SPOTLESS_IOC_ECHO, &e) < 0 ? errno : 0;

		if (!err)
			u->echoes++;
		else if (err == EFAULT)
			u->faults++;
		else
			u->others++;
	}
	close(fd);
	return NULL;
}

static void test_echo_munmap_during_requests(void)
{
	struct unmapper u = { .len = 256 * 1024 };
	pthread_t t;

	u.buf = mmap(NULL, u.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(u.buf != MAP_FAILED);
	memset(u.buf, 'm', u.len);
	pin_next_cpu();
	CHECK_EQ(pthread_create(&t, NULL, echo_from_buffer, &u), 0);
	usleep(20000);
	CHECK_EQ(munmap(u.buf, u.len), 0);
	/* Held inaccessible, so that nothing else is mapped where the ECHOs
	 * still write (this process maps nothing in between). */
	CHECK(mmap(u.buf, u.len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == u.buf);
	pthread_join(t, NULL);
	munmap(u.buf, u.len);
	CHECK_EQ(u.others, 0);
	CHECK_EQ(u.echoes + u.faults, 200);
	CHECK(exchange_ok());
	check_no_leak();
}

/* A watcher in another process receives what this one posts, in order. */
static void test_events_across_processes(void)
{
	int ready[2], status, i;
	pid_t child;

	CHECK_EQ(pipe(ready), 0);
	child = fork();
	if (child == 0) {
		int fd = open(SPOTLESS_LINUX_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		struct spotless_event ev;
		char text[16];
		int bad = 0;

		bad |= fd < 0;
		bad |= wait_event(fd, &ev) != EAGAIN;	/* subscribes */
		bad |= fcntl(fd, F_SETFL, 0) != 0;	/* then blocking waits */
		bad |= write(ready[1], "r", 1) != 1;
		for (i = 0; i < 20 && !bad; i++) {
			do {
				bad |= ioctl(fd, SPOTLESS_IOC_WAIT_EVENT, &ev) != 0;
			} while (!bad && ev.kind != SPOTLESS_EVENT_POSTED);
			snprintf(text, sizeof(text), "post %d", i);
			bad |= ev.payload_len != strlen(text) ||
			       memcmp(ev.payload, text, ev.payload_len) != 0;
		}
		_exit(bad);
	}
	{
		char c;
		int fd = open_device();
		char text[16];

		CHECK_EQ(read(ready[0], &c, 1), 1);
		for (i = 0; i < 20; i++) {
			snprintf(text, sizeof(text), "post %d", i);
			CHECK_EQ(post(fd, text), 0);
		}
		CHECK_EQ(waitpid(child, &status, 0), child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		close(fd);
	}
	close(ready[0]);
	close(ready[1]);
	check_no_leak();
}

/* Subscribing and closing, many times: every queue is freed. */
static void test_events_1000_subscribe_close_cycles(void)
{
	int i;

	for (i = 0; i < 1000; i++)
		close(subscriber());
	check_no_leak();
}

/* ---- Load --------------------------------------------------------------- */

#define THREAD_EXCHANGES 2000

static void *exchange_thread(void *arg)
{
	struct spotless_handle *dev;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;
	int *failures = arg;
	int i;

	pin_next_cpu();
	if (spotless_open(&dev)) {
		__atomic_add_fetch(failures, THREAD_EXCHANGES, __ATOMIC_RELAXED);
		return NULL;
	}
	for (i = 0; i < THREAD_EXCHANGES; i++)
		if (spotless_send_message(dev, tutorial_message, reply, &len) ||
		    len != 22 || strcmp(reply, SPOTLESS_REPLY))
			__atomic_add_fetch(failures, 1, __ATOMIC_RELAXED);
	spotless_close(dev);
	return NULL;
}

static void test_two_threads_2000_exchanges(void)
{
	pthread_t threads[2];
	int failures = 0;
	int i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&threads[i], NULL, exchange_thread, &failures), 0);
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	CHECK_EQ(failures, 0);
}

static void test_two_processes_2000_exchanges(void)
{
	pid_t pids[2];
	int i, status;

	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		CHECK(pids[i] >= 0);
		if (pids[i] == 0) {
			int failures = 0;

			exchange_thread(&failures);
			_exit(failures ? 1 : 0);
		}
	}
	for (i = 0; i < 2; i++) {
		CHECK_EQ(waitpid(pids[i], &status, 0), pids[i]);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
}

/* Two threads on one handle: its counters are exact. */
static void *shared_handle_thread(void *arg)
{
	struct spotless_handle *dev = arg;
	char reply[SPOTLESS_CLIENT_BUFFER_SIZE];
	size_t len;
	int i;

	pin_next_cpu();
	for (i = 0; i < THREAD_EXCHANGES; i++)
		spotless_send_message(dev, "shared", reply, &len);
	return NULL;
}

static void test_two_threads_one_handle_exact_counters(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_stats a = stats_of(dev), b;
	pthread_t threads[2];
	int i;

	for (i = 0; i < 2; i++)
		CHECK_EQ(pthread_create(&threads[i], NULL, shared_handle_thread, dev), 0);
	for (i = 0; i < 2; i++)
		pthread_join(threads[i], NULL);
	b = stats_of(dev);
	CHECK_EQ(b.handle.requests[SPOTLESS_STAT_MESSAGE] -
		 a.handle.requests[SPOTLESS_STAT_MESSAGE], 2 * THREAD_EXCHANGES);
	CHECK_EQ(b.handle.bytes_out - a.handle.bytes_out,
		 2 * THREAD_EXCHANGES * 22 + sizeof(struct spotless_stats));
	CHECK_EQ(b.device.requests[SPOTLESS_STAT_MESSAGE] -
		 a.device.requests[SPOTLESS_STAT_MESSAGE], 2 * THREAD_EXCHANGES);
	spotless_close(dev);
}

static void test_300_open_exchange_close_cycles(void)
{
	int i, failures = 0;

	for (i = 0; i < 300; i++)
		if (!exchange_ok())
			failures++;
	CHECK_EQ(failures, 0);
}

/* The driver-management calls refuse a NULL to write through. */
static void test_driver_calls_refuse_null(void)
{
	CHECK_EQ(spotless_error_kind(spotless_driver_query(NULL)), SPOTLESS_ERROR_INVALID_ARGUMENT);
	CHECK_EQ(spotless_driver_signing_warning(NULL, 10), 0);
}

/* ---- The library's queue: what is Linux's own ----------------------- */

/* A process that exits with 128 commands submitted and none reaped (one a
 * WAIT_EVENT that stays pending), and one with 64 taken and never submitted: the ring goes with the process, the
 * module's handles and allocations return, and it answers. */
static void test_queue_exit_with_commands_in_flight(void)
{
	static unsigned char in[64], out[128][64 + TRAILER_ROOM];
	pid_t pid;
	int status, submit;

	for (submit = 1; submit >= 0; submit--) {
		pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			struct spotless_handle *dev = NULL;
			struct spotless_queue *q = NULL;
			static struct spotless_event event;
			unsigned int i, echoes = submit ? 127 : 64, sent = 0;

			if (spotless_open(&dev) || spotless_queue_create(dev, 128, &q))
				_exit(2);
			for (i = 0; i < echoes; i++)
				if (spotless_queue_command(q, IOCTL_SPOTLESS_ECHO_BUFFERED, in,
							   sizeof(in), out[i], sizeof(out[i]), i))
					_exit(3);
			if (!submit)
				_exit(0);
			/* A WAIT_EVENT pending in the ring, beside the echoes. */
			if (spotless_queue_command(q, IOCTL_SPOTLESS_WAIT_EVENT, NULL, 0, &event,
						   sizeof(event), 127))
				_exit(3);
			if (spotless_queue_submit(q, &sent) || sent != 128)
				_exit(4);
			_exit(0);
		}
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* io_uring ends a dead process's ring in a worker, after the exit: the
	 * cancelled poll lets go of the file then. */
	wait_for_other_handles_closed();
	check_no_leak();
}

/* What only the Linux queue does: two queues on one handle; a bad address
 * refused with EFAULT. */
static void test_queue_linux_only(void)
{
	struct spotless_handle *dev = open_checked();
	struct spotless_queue *q1 = NULL, *q2 = NULL;
	struct spotless_completion c[4];
	unsigned char out[64 + TRAILER_ROOM];
	unsigned int count;

	CHECK_EQ(spotless_queue_create(dev, 4, &q1), 0);
	CHECK_EQ(spotless_queue_create(dev, 4, &q2), 0);
	if (!q1 || !q2)
		goto out;
	CHECK_EQ(spotless_queue_command(q1, IOCTL_SPOTLESS_ECHO_BUFFERED, (void *)16, 64, out,
					sizeof(out), 1), 0);
	CHECK_EQ(spotless_queue_command(q2, IOCTL_SPOTLESS_INFO, NULL, 0, out,
					sizeof(struct spotless_info), 2), 0);
	CHECK_EQ(spotless_queue_submit(q1, NULL), 0);
	CHECK_EQ(spotless_queue_submit(q2, NULL), 0);
	CHECK_EQ(spotless_queue_reap(q1, c, 4, 1, QUEUE_WAIT_MS, &count), 0);
	CHECK_EQ(count, 1);
	CHECK_EQ(c[0].err, EFAULT);
	CHECK_EQ(c[0].user_data, 1);
	CHECK_EQ(spotless_queue_reap(q2, c, 4, 1, QUEUE_WAIT_MS, &count), 0);
	CHECK_EQ(count, 1);
	CHECK_EQ(c[0].err, 0);
	CHECK_EQ(c[0].user_data, 2);
out:
	spotless_queue_destroy(q1);
	spotless_queue_destroy(q2);
	spotless_close(dev);
	check_no_leak();
}

#include "linux_uring.h"

int main(void)
{
	page_size = (size_t)sysconf(_SC_PAGESIZE);

	RUN_TEST(test_tutorial_exchange);
	RUN_TEST(test_library_send_message);
	RUN_TEST(test_message_length_0);
	SPOTLESS_MESSAGE_EDGES(RUN_MESSAGE_LENGTH_)
	RUN_TEST(test_message_length_128_no_nul);
	RUN_TEST(test_message_length_4096);
	RUN_TEST(test_empty_input_refused);
	RUN_TEST(test_input_over_limit_refused);
	SPOTLESS_REPLY_ROOM_EDGES(RUN_OUTPUT_SIZE_)
	RUN_TEST(test_unknown_commands_enotty);
	RUN_TEST(test_flags_and_reserved_must_be_zero);
	RUN_TEST(test_bad_argument_pointer);
	RUN_TEST(test_bad_input_pointers);
	RUN_TEST(test_bad_output_pointers);
	RUN_TEST(test_read_only_output);
	RUN_TEST(test_non_root_user_refused);
	RUN_TEST(test_two_threads_2000_exchanges);
	RUN_TEST(test_two_processes_2000_exchanges);
	RUN_TEST(test_300_open_exchange_close_cycles);
	RUN_TEST(test_info_v1);
	RUN_TEST(test_library_refuses_a_length_without_a_buffer);
	RUN_TEST(test_driver_calls_refuse_null);
	run_general_call_cases();
	if (queue_available()) {
		run_queue_cases();
		RUN_TEST(test_queue_exit_with_commands_in_flight);
		RUN_TEST(test_queue_linux_only);
	}
	RUN_TEST(test_abi_older_size_or_direction_unknown);
	RUN_TEST(test_abi_newer_arguments_in);
	RUN_TEST(test_abi_newer_answers_out);
	RUN_TEST(test_call_refusals);
	RUN_TEST(test_call_carries_post);
	RUN_TEST(test_library_native_handle_and_paths);
	RUN_ECHO_SIZE_CASES(RUN_TEST);
	RUN_TEST(test_echo_above_limit_refused);
	RUN_TEST(test_echo_output_one_short_refused);
	RUN_TEST(test_echo_direct_methods_not_on_linux);
	RUN_TEST(test_echo_bad_arguments);
	RUN_TEST(test_batch_records_fail_alone);
	RUN_TEST(test_batch_limits);
	RUN_TEST(test_batch_bad_arguments);
	RUN_TEST(test_refusals_counted);
	RUN_TEST(test_access_by_open_mode);
	RUN_TEST(test_stats_fresh_handle);
	RUN_TEST(test_stats_after_known_sequence);
	RUN_TEST(test_stats_many_handles);
	RUN_TEST(test_two_threads_one_handle_exact_counters);
	RUN_EVENT_CASES();
	RUN_TEST(test_events_poll_and_read);
	RUN_TEST(test_events_bad_requests);
	RUN_TEST(test_events_poll_write_only_reports_nothing);
	RUN_TEST(test_events_failed_copy_keeps_the_record);
	RUN_TEST(test_device_has_no_file_position);
	RUN_TEST(test_events_signal_ends_a_wait);
	RUN_TEST(test_events_nonblock_never_sleeps_behind_a_waiter);
	RUN_TEST(test_guest_has_two_cpus);
	RUN_TEST(test_events_post_wakes_sleepers_on_another_cpu);
	RUN_TEST(test_events_close_while_a_thread_waits);
	RUN_TEST(test_echo_munmap_during_requests);
	RUN_TEST(test_events_across_processes);
	RUN_TEST(test_events_1000_subscribe_close_cycles);
	RUN_TEST(test_uring_commands);
	return check_summary(sizeof(void *) == 4 ? "module end-to-end tests (32-bit, compat_ioctl)"
						 : "module end-to-end tests (64-bit)");
}
