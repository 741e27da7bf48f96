// SPDX-License-Identifier: MIT
/*
 * The pool the driver takes for what a caller causes (a handle's state, its
 * event queue, a METHOD_NEITHER request's copy): charged to the caller's
 * quota, so that one process cannot drain the system's pool through the
 * driver; zeroed; paged where only PASSIVE_LEVEL code touches it.
 *
 * ExAllocatePool2 (Windows 10 2004 and later) does all of that in one call,
 * but mingw-w64's import library lacks it and older Windows and Wine do not
 * export it: it is looked up once at load (MmGetSystemRoutineAddress), and
 * where it is missing ExAllocatePoolWithQuotaTag, told to fail instead of
 * raising, and a zeroing take its place.
 */
#include "driver.h"

/* ExAllocatePool2's flags (wdm.h), which mingw-w64's headers lack. */
#define SPOTLESS_POOL_FLAG_USE_QUOTA	0x0000000000000001ull
#define SPOTLESS_POOL_FLAG_NON_PAGED	0x0000000000000040ull
#define SPOTLESS_POOL_FLAG_PAGED	0x0000000000000100ull

typedef PVOID (NTAPI *pool2_fn)(ULONG64 flags, SIZE_T size, ULONG tag);

static pool2_fn pool2;

_Use_decl_annotations_
void spotless_pool_setup(void)
{
	UNICODE_STRING name = SPOTLESS_UNICODE_STRING(L"ExAllocatePool2");

	pool2 = (pool2_fn)(ULONG_PTR)MmGetSystemRoutineAddress(&name);
}

_Use_decl_annotations_
void *spotless_pool_alloc(SIZE_T size, enum spotless_pool_kind kind)
{
	void *block;

	if (pool2)
		return pool2(SPOTLESS_POOL_FLAG_USE_QUOTA |
			     (kind == SPOTLESS_POOL_PAGED ? SPOTLESS_POOL_FLAG_PAGED :
							    SPOTLESS_POOL_FLAG_NON_PAGED),
			     size, SPOTLESS_POOL_TAG);
	/* mingw-w64's wdm.h maps the tagged name to the untagged call without
	 * POOL_TAGGING: call the export itself. */
#undef ExAllocatePoolWithQuotaTag
	block = ExAllocatePoolWithQuotaTag((kind == SPOTLESS_POOL_PAGED ? PagedPool : NonPagedPoolNx) |
					   POOL_QUOTA_FAIL_INSTEAD_OF_RAISE,
					   size, SPOTLESS_POOL_TAG);
	if (block)
		RtlZeroMemory(block, size);
	return block;
}
