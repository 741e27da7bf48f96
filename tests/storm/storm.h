/* SPDX-License-Identifier: MIT */
/*
 * The IOCTL storm: random requests at the loaded driver from several threads,
 * then proof that it still answers and has freed everything. storm.c is the
 * portable part; os_windows.c and os_linux.c make the requests in each
 * OS's raw terms (control codes and buffers; ioctl numbers and pointers).
 */
#ifndef SPOTLESS_STORM_H
#define SPOTLESS_STORM_H

#include <stddef.h>
#include <stdint.h>

/* A small, fast, seedable generator (xorshift64*), one per thread. */
struct storm_rng {
	uint64_t state;
};

static inline uint64_t storm_next(struct storm_rng *r)
{
	r->state ^= r->state >> 12;
	r->state ^= r->state << 25;
	r->state ^= r->state >> 27;
	return r->state * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t storm_below(struct storm_rng *r, uint32_t n)
{
	return (uint32_t)(storm_next(r) % n);
}

/* What one request was, for the report when something goes wrong. */
struct storm_record {
	uint32_t code;		/* control code / ioctl number */
	uint32_t in_len;
	uint32_t out_len;
	uint32_t how;		/* backend's note: pointer kinds, batch, ... */
	int result;		/* 0 or the OS's error number */
};

/* ---- Shared by the backends (storm.c) ------------------------------------ */

/* Valid buffers for this thread, STORM_BIG bytes each: made on its first
 * call, the input filled with a pattern. Returns 0, or -1 out of memory. */
#define STORM_BIG	(1024u * 1024u + 4096u)
int storm_thread_buffers(unsigned char **in, unsigned char **out);

/* A length around every limit (0, 1, 4095-4097, 1 MiB +- ...) or random. */
uint32_t storm_pick_len(struct storm_rng *r);

/* A batch of 1-20 random records in buf (64 KiB at least), well formed and
 * now and then damaged at one byte; returns its length. */
/* A code of the command table, or (now and then) one that is none. */
uint32_t storm_pick_code(struct storm_rng *r);
uint32_t storm_make_batch(struct storm_rng *r, unsigned char *buf);

/* ---- What each backend provides ---------------------------------------- */

struct storm_handle;

/* Once, before any thread starts: buffers, special pages. */
int storm_os_init(void);

/* Open / close the device raw (NULL when it cannot be opened). */
struct storm_handle *storm_os_open(void);
void storm_os_close(struct storm_handle *h);

/* One random request; fills rec and returns the OS's error number or 0. */
int storm_os_request(struct storm_handle *h, struct storm_rng *rng,
		     struct storm_record *rec);

/* Short text for a backend's error number (for the tally). */
const char *storm_os_error_name(int err);

/* Threads, the clock and sleep are the platform layer's (platform/). */

#endif /* SPOTLESS_STORM_H */
