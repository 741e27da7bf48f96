// SPDX-License-Identifier: MIT
/*
 * The model's Driver Verifier: each rule with the Microsoft page that states
 * it, a count of the times it was checked and of the times it was broken.
 * A broken rule is printed at once, so that a failed test names it.
 */
#include <stdarg.h>
#include <stdio.h>

#include "model_internal.h"

static const struct {
	const char *name;
	const char *source;
} rules[NTM_RULE_COUNT] = {
	[NTM_IRP_COMPLETED_TWICE] = { "IRP_COMPLETED_TWICE",
		"Bug Check 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION; IoCompleteRequest" },
	[NTM_IRP_COMPLETED_WITH_CANCEL_ROUTINE] = { "IRP_COMPLETED_WITH_CANCEL_ROUTINE",
		"Bug Check 0xC9; Canceling IRPs (clear the routine before completing)" },
	[NTM_IRP_COMPLETED_WITH_STATUS_PENDING] = { "IRP_COMPLETED_WITH_STATUS_PENDING",
		"Bug Check 0xC9; Completing IRPs" },
	[NTM_PENDING_WITHOUT_MARK] = { "PENDING_WITHOUT_MARK",
		"IoMarkIrpPending; Bug Check 0xC9" },
	[NTM_MARKED_BUT_NOT_PENDING] = { "MARKED_BUT_NOT_PENDING",
		"IoMarkIrpPending (the routine must then return STATUS_PENDING)" },
	[NTM_DISPATCH_STATUS_MISMATCH] = { "DISPATCH_STATUS_MISMATCH",
		"Completing IRPs (return the status the IRP was completed with); Bug Check 0xC9" },
	[NTM_DISPATCH_NEITHER_COMPLETED_NOR_PENDING] = { "DISPATCH_NEITHER_COMPLETED_NOR_PENDING",
		"DRIVER_DISPATCH; Completing IRPs" },
	[NTM_INFORMATION_ABOVE_OUTPUT_LENGTH] = { "INFORMATION_ABOVE_OUTPUT_LENGTH",
		"Security Issues for I/O Control Codes; Buffer Descriptions for I/O Control Codes" },
	[NTM_COMPLETE_AT_HIGH_IRQL] = { "COMPLETE_AT_HIGH_IRQL",
		"IoCompleteRequest (IRQL <= DISPATCH_LEVEL)" },
	[NTM_POOL_AT_HIGH_IRQL] = { "POOL_AT_HIGH_IRQL",
		"ExAllocatePoolWithTag, ExFreePoolWithTag (IRQL <= DISPATCH_LEVEL)" },
	[NTM_PASSIVE_CALL_AT_RAISED_IRQL] = { "PASSIVE_CALL_AT_RAISED_IRQL",
		"IoCreateDevice, IoCreateSymbolicLink, ZwClose, ... (IRQL = PASSIVE_LEVEL)" },
	[NTM_SPINLOCK_ACQUIRED_RECURSIVELY] = { "SPINLOCK_ACQUIRED_RECURSIVELY",
		"KeAcquireSpinLock (a holder that acquires it again deadlocks)" },
	[NTM_SPINLOCK_NOT_OWNED] = { "SPINLOCK_NOT_OWNED",
		"KeReleaseSpinLock; Bug Check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION" },
	[NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL] = { "SPINLOCK_RELEASED_AT_WRONG_IRQL",
		"KeReleaseSpinLock (NewIrql is what KeAcquireSpinLock returned)" },
	[NTM_RETURN_WITH_SPINLOCK_HELD] = { "RETURN_WITH_SPINLOCK_HELD",
		"Driver Verifier: Deadlock Detection; Spin Locks" },
	[NTM_IRQL_NOT_RESTORED] = { "IRQL_NOT_RESTORED",
		"Bug Check 0xC9 (dispatch routine returned at another IRQL)" },
	[NTM_CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE] = { "CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE",
		"DRIVER_CANCEL (the routine releases the cancel spin lock)" },
	[NTM_POOL_FREED_WITH_WRONG_TAG] = { "POOL_FREED_WITH_WRONG_TAG",
		"ExFreePoolWithTag; Bug Check 0xC2 BAD_POOL_CALLER" },
	[NTM_POOL_FREED_TWICE] = { "POOL_FREED_TWICE",
		"Bug Check 0xC2 BAD_POOL_CALLER" },
	[NTM_POOL_EXECUTABLE] = { "POOL_EXECUTABLE",
		"No-Execute (NX) Nonpaged Pool; Driver Verifier: Code Integrity" },
	[NTM_POOL_LEAKED_AT_UNLOAD] = { "POOL_LEAKED_AT_UNLOAD",
		"Driver Verifier: Pool Tracking; Bug Check 0xC4" },
	[NTM_OBJECT_LEFT_AT_UNLOAD] = { "OBJECT_LEFT_AT_UNLOAD",
		"Non-PnP Driver's Unload Routine (delete devices, links, handles)" },
	[NTM_DEVICE_DELETED_BEFORE_LINK] = { "DEVICE_DELETED_BEFORE_LINK",
		"IoDeleteSymbolicLink (delete the link before the device); SPEC defect 5" },
	[NTM_UNICODE_FORMAT_ABOVE_PASSIVE] = { "UNICODE_FORMAT_ABOVE_PASSIVE",
		"DbgPrintEx (%ws, %wZ only at PASSIVE_LEVEL)" },
	[NTM_POOL_NOT_CHARGED] = { "POOL_NOT_CHARGED",
		"ExAllocatePool2 POOL_FLAG_USE_QUOTA; ExAllocatePoolWithQuotaTag (pool a caller causes)" },
	[NTM_POOL_QUOTA_RAISES] = { "POOL_QUOTA_RAISES",
		"ExAllocatePoolWithQuotaTag raises on failure without POOL_QUOTA_FAIL_INSTEAD_OF_RAISE" },
	[NTM_PARTIAL_MDL_OUTSIDE_SOURCE] = { "PARTIAL_MDL_OUTSIDE_SOURCE",
		"IoBuildPartialMdl (the range lies within the source MDL's buffer)" },
	[NTM_PARTIAL_MDL_FREED_MAPPED] = { "PARTIAL_MDL_FREED_MAPPED",
		"MmPrepareMdlForReuse (unmap a mapped partial MDL before freeing or reusing it)" },
	[NTM_PARTIAL_MDL_OUTLIVES_IRP] = { "PARTIAL_MDL_OUTLIVES_IRP",
		"IoBuildPartialMdl; Using MDLs (the source's pages are unlocked when its IRP completes)" },
	[NTM_LOCK_ORDER_INVERTED] = { "LOCK_ORDER_INVERTED",
		"Driver Verifier: Deadlock Detection (two locks taken in both orders)" },
};

static unsigned long broken[NTM_RULE_COUNT];
static unsigned long checked[NTM_RULE_COUNT];

const char *ntm_rule_name(enum ntm_rule rule)
{
	return rule < NTM_RULE_COUNT ? rules[rule].name : "?";
}

const char *ntm_rule_source(enum ntm_rule rule)
{
	return rule < NTM_RULE_COUNT ? rules[rule].source : "?";
}

void ntm_checked(enum ntm_rule rule)
{
	__atomic_fetch_add(&checked[rule], 1, __ATOMIC_RELAXED);
}

void ntm_violation(enum ntm_rule rule, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&broken[rule], 1, __ATOMIC_RELAXED);
	printf("# verifier: %s: %s\n", rules[rule].name, detail);
	fflush(stdout);
}

unsigned int ntm_verifier_count(void)
{
	unsigned long n = 0;
	int i;

	for (i = 0; i < NTM_RULE_COUNT; i++)
		n += __atomic_load_n(&broken[i], __ATOMIC_RELAXED);
	return (unsigned int)n;
}

unsigned int ntm_verifier_count_of(enum ntm_rule rule)
{
	return (unsigned int)__atomic_load_n(&broken[rule], __ATOMIC_RELAXED);
}

void ntm_verifier_reset(void)
{
	int i;

	for (i = 0; i < NTM_RULE_COUNT; i++)
		__atomic_store_n(&broken[i], 0, __ATOMIC_RELAXED);
}

unsigned long ntm_rule_checked(enum ntm_rule rule)
{
	return __atomic_load_n(&checked[rule], __ATOMIC_RELAXED);
}
