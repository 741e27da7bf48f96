// SPDX-License-Identifier: MIT
/*
 * The caller's pages of a direct-I/O request, mapped into system space only
 * as far as the answer can reach (spotless_core_answer_reach). The I/O
 * manager locked the caller's whole output buffer; mapping all of it would
 * spend system PTEs on every byte (a gigabyte buffer for a 64-byte echo).
 * When the buffer is larger than the reach, a partial MDL over its first
 * bytes is built and mapped instead, and unmapped and freed before the IRP
 * is completed (the pages it describes are unlocked then).
 *
 * Wine 8 exports IoBuildPartialMdl as a placeholder that raises, and its MDLs
 * describe a copy in the driver's own process, so mapping the whole one
 * costs nothing there: the driver looks up a Wine-only export at load and
 * maps the whole MDL under Wine. The partial path runs in the NT model
 * (tests/ntmodel) and on Windows, never under Wine.
 */
#include "driver.h"

static BOOLEAN partial_mdls;

_Use_decl_annotations_
void spotless_direct_io_setup(void)
{
	UNICODE_STRING wine = SPOTLESS_UNICODE_STRING(L"wine_ntoskrnl_main_loop");

	partial_mdls = !MmGetSystemRoutineAddress(&wine);
}

_Use_decl_annotations_
PVOID spotless_map_caller_pages(PIRP irp, ULONG reach, ULONG priority, PMDL *partial)
{
	PMDL whole = irp->MdlAddress;
	PVOID start = MmGetMdlVirtualAddress(whole);
	PVOID system;

	*partial = NULL;
	if (!partial_mdls || reach >= MmGetMdlByteCount(whole))
		return MmGetSystemAddressForMdlSafe(whole, priority);
	*partial = IoAllocateMdl(start, reach, FALSE, FALSE, NULL);
	if (!*partial)
		return NULL;
	IoBuildPartialMdl(whole, *partial, start, reach);
	system = MmGetSystemAddressForMdlSafe(*partial, priority);
	if (!system) {
		IoFreeMdl(*partial);
		*partial = NULL;
	}
	return system;
}

_Use_decl_annotations_
void spotless_unmap_caller_pages(PMDL partial)
{
	if (!partial)
		return;
	MmPrepareMdlForReuse(partial);
	IoFreeMdl(partial);
}
