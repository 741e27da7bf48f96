// SPDX-License-Identifier: MIT
/*
 * The command table and the status table, checked as data, and the rules the
 * core derives from them: sizes that grow, a driver's own row answered. Built
 * with the example driver's configuration (examples/hello) so that a
 * driver's row is in the table, as in hello.sys and hello.ko.
 *
 * --print-example prints the example command's code, function, capability
 * bit and counter slot, which tests/run.sh finds in docs/architecture.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "counted.h"
#include "spotless_core.h"

#define RW	(SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS)

static const struct {
	unsigned int bit;
	const char *name;
} caps[] = {
#define CAP_(bit, name) { bit, name },
	SPOTLESS_CAPABILITIES(CAP_)
};
#define N_CAPS	(sizeof(caps) / sizeof(caps[0]))

static int cap_named(uint64_t capability)
{
	size_t i;

	for (i = 0; i < N_CAPS; i++)
		if (capability == 1ull << caps[i].bit)
			return 1;
	return 0;
}

static void test_rows_are_consistent(void)
{
	unsigned int i, j;

	CHECK(spotless_command_count >= 11);	/* the protocol's 10 and GREET */
	for (i = 0; i < spotless_command_count; i++) {
		const struct spotless_command *c = &spotless_command_table[i];

		CHECK(spotless_command_find(c->code) == c);
		CHECK(!c->in_struct || c->in_struct <= c->in_max);
		CHECK(!c->out_struct || c->out_struct <= c->out_max);
		CHECK(c->slot < SPOTLESS_STAT_SLOTS && c->slot != SPOTLESS_STAT_UNKNOWN);
		CHECK(cap_named(c->capability));
		CHECK(c->counter && *c->counter);
		CHECK_EQ(SPOTLESS_CODE_DEVICE(c->code), SPOTLESS_FILE_DEVICE_UNKNOWN);
		/* A number of its own carries the first version's size. */
		if (c->linux_cmd)
			CHECK_EQ((c->linux_cmd >> 8) & 0xFF, SPOTLESS_IOC_TYPE);
		for (j = i + 1; j < spotless_command_count; j++) {
			const struct spotless_command *d = &spotless_command_table[j];

			CHECK(c->code != d->code);
			CHECK(!c->linux_cmd || (c->linux_cmd & 0xFF) != (d->linux_cmd & 0xFF));
			/* Rows share a slot or a bit only as one command's methods
			 * (ECHO) or one capability (events). */
			if (c->slot == d->slot)
				CHECK(c->counter && d->counter && !strcmp(c->counter, d->counter));
		}
	}
	CHECK(spotless_command_find(0x12345678) == NULL);
	CHECK(spotless_command_find(IOCTL_SPOTLESS) == &spotless_command_table[0]);
}

/* Every named bit below 32 is a row's, or one of the two that are none. */
static void test_capability_bits_all_accounted(void)
{
	size_t i, j;

	for (i = 0; i < N_CAPS; i++) {
		uint64_t bit = 1ull << caps[i].bit;
		int rows = 0;
		unsigned int r;

		for (j = i + 1; j < N_CAPS; j++)
			CHECK(caps[i].bit != caps[j].bit && strcmp(caps[i].name, caps[j].name));
		for (r = 0; r < spotless_command_count; r++)
			rows += spotless_command_table[r].capability == bit;
		if (bit == SPOTLESS_CAP_CRC32C_INSTRUCTION || bit == SPOTLESS_CAP_CALL)
			CHECK_EQ(rows, 0);
		else
			CHECK(rows >= 1);
	}
}

static void test_statuses_are_consistent(void)
{
	int s, t;

	for (s = 0; s < SPOTLESS_STATUS_COUNT; s++) {
		CHECK(spotless_status_name((uint32_t)s) != NULL);
		CHECK(strcmp(spotless_status_text((uint32_t)s), "unknown status") != 0);
		for (t = s + 1; t < SPOTLESS_STATUS_COUNT; t++)
			CHECK(strcmp(spotless_status_name((uint32_t)s),
				     spotless_status_name((uint32_t)t)) != 0);
	}
	CHECK_EQ(SPOTLESS_STATUS_COUNT <= SPOTLESS_STAT_SLOTS, 1);
}

static struct spotless_device_state dev;
static struct spotless_handle_state handle;

static struct spotless_result call(uint32_t code, const void *in, size_t in_len, void *out,
				   size_t out_len)
{
	struct spotless_request req = { code, in, in_len, out, out_len, 0 };
	struct spotless_result res;

	spotless_core_handle(&dev, &handle, &req, &res);
	return res;
}

static int zeros(const unsigned char *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from])
			return 0;
	return 1;
}

/* Answers grow to the caller's room (up to SPOTLESS_STRUCT_MAX), inputs
 * with a zero tail; an older caller's smaller structure is refused. */
static void test_core_sizes_grow(void)
{
	unsigned char *out = malloc(SPOTLESS_STRUCT_MAX + 100);
	unsigned char trailer[16] = { 0 };
	struct spotless_result res;
	uint32_t size;

	memset(out, 0xEE, SPOTLESS_STRUCT_MAX + 100);
	res = call(IOCTL_SPOTLESS_INFO, NULL, 0, out, sizeof(struct spotless_info) + 64);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, sizeof(struct spotless_info) + 64);
	memcpy(&size, out, sizeof(size));
	CHECK_EQ(size, sizeof(struct spotless_info));
	CHECK(zeros(out, sizeof(struct spotless_info), res.information));
	CHECK_EQ(out[res.information], 0xEE);

	res = call(IOCTL_SPOTLESS_STATS, NULL, 0, out, SPOTLESS_STRUCT_MAX + 100);
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, SPOTLESS_STRUCT_MAX);
	CHECK_EQ(out[SPOTLESS_STRUCT_MAX], 0xEE);

	res = call(IOCTL_SPOTLESS_INFO, NULL, 0, out, sizeof(struct spotless_info) - 1);
	CHECK_EQ(res.status, SPOTLESS_ERR_OUTPUT_TOO_SMALL);

	/* IN_DIRECT's trailer: the payload is empty, its CRC32C 0. */
	res = call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, sizeof(trailer), NULL, 0);
	CHECK_EQ(res.status, SPOTLESS_OK);
	trailer[15] = 1;
	res = call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, sizeof(trailer), NULL, 0);
	CHECK_EQ(res.status, SPOTLESS_ERR_UNKNOWN_FIELDS);
	CHECK_EQ(counted(&dev).errors[SPOTLESS_STATUS_UNKNOWN_FIELDS], 1);
	res = call(IOCTL_SPOTLESS_ECHO_IN_DIRECT, trailer, 4, NULL, 0);
	CHECK_EQ(res.status, SPOTLESS_ERR_BAD_REQUEST);
	free(out);
}

/* The driver's own row: answered by its handler, counted in its slot,
 * its capability in INFO, carried by a BATCH. */
static void test_driver_row_answered(void)
{
	unsigned char out[128], batch_in[128], batch_out[256];
	struct spotless_info info;
	struct spotless_batch_header hdr = { sizeof(hdr), 1, 0, 0 };
	struct spotless_batch_record rec = { SPOTLESS_BATCH_PAD(sizeof(rec) + 2),
					     IOCTL_HELLO_GREET, 2, 16 };
	struct spotless_batch_result result;
	struct spotless_result res;
	uint64_t before = counted(&dev).requests[HELLO_STAT_GREET];

	res = call(IOCTL_HELLO_GREET, "you", 3, out, sizeof(out));
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK_EQ(res.information, 10);
	CHECK(!memcmp(out, "hello, you", 10));
	CHECK_EQ(counted(&dev).requests[HELLO_STAT_GREET] - before, 1);
	CHECK_EQ(call(IOCTL_HELLO_GREET, NULL, 0, out, sizeof(out)).status,
		 SPOTLESS_ERR_EMPTY_INPUT);
	CHECK_EQ(call(IOCTL_HELLO_GREET, out, HELLO_NAME_MAX + 1, out, sizeof(out)).status,
		 SPOTLESS_ERR_INPUT_TOO_LARGE);

	memset(&info, 0, sizeof(info));
	res = call(IOCTL_SPOTLESS_INFO, NULL, 0, &info, sizeof(info));
	CHECK_EQ(res.status, SPOTLESS_OK);
	CHECK(info.capabilities & HELLO_CAP_GREET);

	memset(batch_in, 0, sizeof(batch_in));
	memcpy(batch_in, &hdr, sizeof(hdr));
	memcpy(batch_in + sizeof(hdr), &rec, sizeof(rec));
	memcpy(batch_in + sizeof(hdr) + sizeof(rec), "me", 2);
	res = call(IOCTL_SPOTLESS_BATCH, batch_in, sizeof(hdr) + rec.length, batch_out,
		   sizeof(batch_out));
	CHECK_EQ(res.status, SPOTLESS_OK);
	memcpy(&result, batch_out + sizeof(hdr), sizeof(result));
	CHECK_EQ(result.status, SPOTLESS_STATUS_OK);
	CHECK_EQ(result.information, 9);
	CHECK(!memcmp(batch_out + sizeof(hdr) + sizeof(result), "hello, me", 9));
	CHECK_EQ(counted(&dev).requests[HELLO_STAT_GREET] - before, 4);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--print-example")) {
		printf("code 0x%08x function 0x%03x capability bit %u counter slot %u\n",
		       (unsigned int)IOCTL_HELLO_GREET,
		       (unsigned int)SPOTLESS_CODE_FUNCTION(IOCTL_HELLO_GREET),
		       (unsigned int)__builtin_ctzll(HELLO_CAP_GREET),
		       (unsigned int)HELLO_STAT_GREET);
		return 0;
	}
	spotless_core_device_init(&dev, SPOTLESS_OS_WINDOWS);
	spotless_core_handle_opened(&dev, &handle, RW);
	RUN_TEST(test_rows_are_consistent);
	RUN_TEST(test_capability_bits_all_accounted);
	RUN_TEST(test_statuses_are_consistent);
	RUN_TEST(test_core_sizes_grow);
	RUN_TEST(test_driver_row_answered);
	return check_summary("command table");
}
