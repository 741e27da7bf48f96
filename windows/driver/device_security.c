// SPDX-License-Identifier: MIT
/*
 * The device's DACL: full access for SYSTEM and Administrators, nobody else,
 * protected from inheritance (D:P(A;;FA;;;SY)(A;;FA;;;BA)).
 *
 * Windows' IoCreateDeviceSecure would do this, but it lives in a static WDK
 * library, not in ntoskrnl.exe, and mingw-w64 does not ship it. The same
 * result is built here from the Rtl security calls that ntoskrnl exports and
 * applied to the device object before its symbolic link exists.
 */
#include "driver.h"


/* Room for a SID with up to two sub-authorities. */
union spotless_sid {
	SID sid;
	UCHAR bytes[sizeof(SID) + sizeof(ULONG)];
};

#define SPOTLESS_ACE_SIZE(sid_len) \
	(FIELD_OFFSET(ACCESS_ALLOWED_ACE, SidStart) + (sid_len))

#define SPOTLESS_DACL_SIZE \
	(sizeof(ACL) + SPOTLESS_ACE_SIZE(sizeof(union spotless_sid)) * 2)

static const char *sid_name(PSID sid, PSID local_system, PSID administrators)
{
	if (RtlEqualSid(sid, local_system))
		return "SYSTEM";
	if (RtlEqualSid(sid, administrators))
		return "Administrators";
	return "other";
}

/*
 * Read the DACL back from the object and log each entry, so that the log
 * shows what the device really carries, not what we meant to set. What we
 * set is in force either way: a difference (another ACE that Windows adds,
 * a descriptor larger than our buffer, a failed query) is logged as an
 * error for the administrator to look at, and the load goes on.
 */
static void log_applied_dacl(HANDLE handle, PSID local_system, PSID administrators)
{
	ULONG storage[64];
	ULONG needed = 0;
	PACL dacl = NULL;
	BOOLEAN present = FALSE, defaulted = FALSE;
	ACCESS_ALLOWED_ACE *ace[2] = { NULL, NULL }, *other;
	NTSTATUS status;
	ULONG i;

	status = ZwQuerySecurityObject(handle, DACL_SECURITY_INFORMATION, storage,
				       sizeof(storage), &needed);
	if (NT_SUCCESS(status))
		status = RtlGetDaclSecurityDescriptor(storage, &present, &dacl, &defaulted);
	if (!NT_SUCCESS(status) || !present || !dacl) {
		SPOTLESS_LOG_ERROR("device DACL not read back (0x%08lx, %lu bytes): the one set "
				   "stays in force", (ULONG)status, needed);
		return;
	}
	if (dacl->AceCount == 2 && NT_SUCCESS(RtlGetAce(dacl, 0, (PVOID *)&ace[0])) &&
	    NT_SUCCESS(RtlGetAce(dacl, 1, (PVOID *)&ace[1])) &&
	    ace[0]->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
	    ace[1]->Header.AceType == ACCESS_ALLOWED_ACE_TYPE) {
		SPOTLESS_LOG("device DACL read back: allow %s 0x%08lx, allow %s 0x%08lx",
			     sid_name(&ace[0]->SidStart, local_system, administrators),
			     ace[0]->Mask,
			     sid_name(&ace[1]->SidStart, local_system, administrators),
			     ace[1]->Mask);
		return;
	}
	SPOTLESS_LOG_ERROR("device DACL read back with %u entries, not the 2 allowed ones set",
			   (unsigned int)dacl->AceCount);
	for (i = 0; i < dacl->AceCount && NT_SUCCESS(RtlGetAce(dacl, i, (PVOID *)&other)); i++)
		SPOTLESS_LOG_ERROR("device DACL entry %lu: type %u, %s 0x%08lx", i,
				   (unsigned int)other->Header.AceType,
				   sid_name(&other->SidStart, local_system, administrators),
				   other->Mask);
}

/*
 * Set the DACL through a kernel handle to the device. Windows also exports
 * ObSetSecurityObjectByPointer, but Wine does not implement it (the call
 * aborts winedevice.exe), while both implement this path. The object manager
 * copies the descriptor, so ours may live on the stack.
 */
static NTSTATUS apply_descriptor(PDEVICE_OBJECT device,
				 PSECURITY_DESCRIPTOR descriptor,
				 PSID local_system, PSID administrators)
{
	HANDLE handle;
	NTSTATUS status;

	status = ObOpenObjectByPointer(device, OBJ_KERNEL_HANDLE, NULL,
				       WRITE_DAC | READ_CONTROL, NULL,
				       KernelMode, &handle);
	if (!NT_SUCCESS(status))
		return status;
	status = ZwSetSecurityObject(handle, DACL_SECURITY_INFORMATION, descriptor);
	if (NT_SUCCESS(status))
		log_applied_dacl(handle, local_system, administrators);
	ZwClose(handle);
	return status;
}

_Use_decl_annotations_
NTSTATUS spotless_restrict_device(PDEVICE_OBJECT device)
{
	SID_IDENTIFIER_AUTHORITY nt_authority = { SECURITY_NT_AUTHORITY };
	union spotless_sid local_system;
	union spotless_sid administrators;
	/* ULONG elements keep the ACL aligned as the Rtl calls expect. */
	ULONG dacl_storage[(SPOTLESS_DACL_SIZE + sizeof(ULONG) - 1) / sizeof(ULONG)];
	PACL dacl = (PACL)dacl_storage;
	SECURITY_DESCRIPTOR descriptor;
	NTSTATUS status;

	status = RtlInitializeSid(&local_system.sid, &nt_authority, 1);
	if (!NT_SUCCESS(status))
		return status;
	*RtlSubAuthoritySid(&local_system.sid, 0) = SECURITY_LOCAL_SYSTEM_RID;

	status = RtlInitializeSid(&administrators.sid, &nt_authority, 2);
	if (!NT_SUCCESS(status))
		return status;
	*RtlSubAuthoritySid(&administrators.sid, 0) = SECURITY_BUILTIN_DOMAIN_RID;
	*RtlSubAuthoritySid(&administrators.sid, 1) = DOMAIN_ALIAS_RID_ADMINS;

	status = RtlCreateAcl(dacl, sizeof(dacl_storage), ACL_REVISION);
	if (!NT_SUCCESS(status))
		return status;
	status = RtlAddAccessAllowedAce(dacl, ACL_REVISION, FILE_ALL_ACCESS,
					&local_system.sid);
	if (!NT_SUCCESS(status))
		return status;
	status = RtlAddAccessAllowedAce(dacl, ACL_REVISION, FILE_ALL_ACCESS,
					&administrators.sid);
	if (!NT_SUCCESS(status))
		return status;

	status = RtlCreateSecurityDescriptor(&descriptor,
					     SECURITY_DESCRIPTOR_REVISION);
	if (!NT_SUCCESS(status))
		return status;
	status = RtlSetDaclSecurityDescriptor(&descriptor, TRUE, dacl, FALSE);
	if (!NT_SUCCESS(status))
		return status;
	/*
	 * Protected: no ACE is inherited from a parent, as "D:P(...)" in an
	 * SDDL string of IoCreateDeviceSecure says. ntoskrnl exports
	 * RtlSetControlSecurityDescriptor but mingw-w64 does not list it; the
	 * absolute descriptor's Control field is the same bit.
	 */
	descriptor.Control |= SE_DACL_PROTECTED;

	return apply_descriptor(device, &descriptor, &local_system.sid,
				&administrators.sid);
}
