/* SPDX-License-Identifier: MIT */
/*
 * A very small test runner shared by the host and the Windows test programs.
 * Each test prints "ok - NAME" or "not ok - NAME" (with the failed checks
 * above it); check_summary() prints "SUITE: N passed, N failed" and returns
 * the exit status. tests/run.sh adds up the ok / not ok lines of all suites.
 */
#ifndef SPOTLESS_CHECK_H
#define SPOTLESS_CHECK_H

#include <stdio.h>

static int check_passed;
static int check_failed;
static int check_test_failed;

static void check_fail_at(const char *file, int line, const char *what)
{
	printf("#   %s:%d: check failed: %s\n", file, line, what);
	check_test_failed = 1;
}

#define CHECK(cond) \
	do { \
		if (!(cond)) \
			check_fail_at(__FILE__, __LINE__, #cond); \
	} while (0)

/* Equality of two integers, printing both values when they differ. */
#define CHECK_EQ(actual, expected) \
	do { \
		unsigned long long check_a_ = (unsigned long long)(actual); \
		unsigned long long check_e_ = (unsigned long long)(expected); \
		if (check_a_ != check_e_) { \
			char check_buf_[256]; \
			snprintf(check_buf_, sizeof(check_buf_), \
				 "%s == %s (got %llu / 0x%llx, want %llu / 0x%llx)", \
				 #actual, #expected, check_a_, check_a_, \
				 check_e_, check_e_); \
			check_fail_at(__FILE__, __LINE__, check_buf_); \
		} \
	} while (0)

static void check_run(const char *name, void (*test)(void))
{
	check_test_failed = 0;
	test();
	if (check_test_failed) {
		check_failed++;
		printf("not ok - %s\n", name);
	} else {
		check_passed++;
		printf("ok - %s\n", name);
	}
	fflush(stdout);
}

#define RUN_TEST(test) check_run(#test, test)

static int check_summary(const char *suite)
{
	printf("# %s: %d passed, %d failed\n", suite, check_passed, check_failed);
	fflush(stdout);
	return check_failed ? 1 : 0;
}

#endif /* SPOTLESS_CHECK_H */
