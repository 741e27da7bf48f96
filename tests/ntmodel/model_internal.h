/* SPDX-License-Identifier: MIT */
/*
 * What the model's files share: the per-thread IRQL, the verifier's report,
 * the fault points, and the device's security descriptor.
 */
#ifndef SPOTLESS_NTMODEL_INTERNAL_H
#define SPOTLESS_NTMODEL_INTERNAL_H

#include "ntmodel.h"

/* verifier.c: a broken rule, printed and counted; a rule checked. */
void ntm_violation(enum ntm_rule rule, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ntm_checked(enum ntm_rule rule);

/* kernel.c: the calling thread, as the model's scheduler sees it. */
#define NTM_MAX_HELD_LOCKS	8
struct ntm_thread {
	unsigned int id;		/* 1, 2, ... */
	KIRQL irql;
	unsigned int held;		/* spin locks held */
	PKSPIN_LOCK locks[NTM_MAX_HELD_LOCKS];
	/* Inside a dispatch routine for a caller's request: pool it takes is
	 * the caller's doing, and must be charged to it. */
	int in_dispatch;
};
struct ntm_thread *ntm_self(void);
/* Spin locks in memory about to be freed leave the lock-order record. */
void ntm_locks_forget(const void *start, size_t len);
/* A call that Windows allows only at PASSIVE_LEVEL. */
void ntm_require_passive(const char *call);
/* Release whatever spin locks the thread still holds and return to irql,
 * after reporting it: the model keeps going after a broken rule. */
void ntm_thread_recover(KIRQL irql);
/* Pool the driver holds, and one line per block into the report. */
unsigned long ntm_pool_report_leaks(const char *when);
void ntm_log_line(const char *line);

/* io_manager.c: a fault point; 1 when this call must fail. */
int ntm_fault(const char *site);

/* mdl.c: an MDL as the model keeps it; the driver sees the MDL only. */
struct ntm_mdl {
	MDL mdl;
	void *user;		/* the caller's bytes it describes */
	size_t len;
	void *mapping;		/* the system-space copy, or NULL */
	size_t map_len;
	int writable;
	struct ntm_mdl *source;	/* a partial MDL's */
	struct ntm_mdl *next;	/* in the driver's list (IoAllocateMdl) */
};
/* The I/O manager's MDL over a caller's buffer, and its end at completion. */
struct ntm_mdl *ntm_mdl_new(void *user, size_t len);
void ntm_mdl_finish(struct ntm_mdl *m, ULONG code);

/* user_memory.c: a user-mode probe's verdict (STATUS_SUCCESS or
 * STATUS_ACCESS_VIOLATION), and whether every page of a range can be read,
 * as MmProbeAndLockPages finds out by touching them. */
NTSTATUS ntm_user_probe(const void *p, size_t len);
int ntm_user_pages_readable(const void *p, size_t len);

/* security.c: the DACL the object manager keeps for the device. */
void ntm_security_forget(void);
/* The access a token gets from the device's DACL (all when none is set). */
ACCESS_MASK ntm_security_granted(enum ntm_token token);
/* Kernel handles (ObOpenObjectByPointer) still open. */
unsigned int ntm_kernel_handles_open(void);

#endif /* SPOTLESS_NTMODEL_INTERNAL_H */
