// SPDX-License-Identifier: MIT
/*
 * Security descriptors as the object manager keeps them for a device, and
 * the access check at create. The Rtl calls build the structures in the
 * caller's memory (they allocate nothing, so they are not fault points);
 * ObOpenObjectByPointer, ZwSetSecurityObject and ZwQuerySecurityObject are.
 *
 * Tokens are reduced to their groups: an administrator's token holds
 * BUILTIN\Administrators and BUILTIN\Users, a user's only BUILTIN\Users.
 * The check is the DACL walk of "How DACLs Control Access to an Object":
 * allowed ACEs whose SID is in the token grant their mask. The model has no
 * deny ACEs, inheritance or owner rights: the driver sets none.
 */
#include <stdio.h>
#include <stdlib.h>

#include "model_internal.h"

static pthread_mutex_t security_mutex = PTHREAD_MUTEX_INITIALIZER;
static SECURITY_DESCRIPTOR_CONTROL device_control;
static unsigned char *device_dacl;	/* a copy of the ACL, or NULL */
static unsigned int kernel_handles;

#define KERNEL_HANDLE_MAGIC	0x4b484e44u

struct kernel_handle {
	unsigned int magic;
	PVOID object;
};

/* ---- SIDs, ACLs, descriptors ----------------------------------------------- */

NTSTATUS RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY authority, UCHAR count)
{
	SID *s = sid;

	if (count > 15)
		return STATUS_INVALID_PARAMETER;
	s->Revision = 1;
	s->SubAuthorityCount = count;
	s->IdentifierAuthority = *authority;
	return STATUS_SUCCESS;
}

PULONG RtlSubAuthoritySid(PSID sid, ULONG index)
{
	return &((SID *)sid)->SubAuthority[index];
}

ULONG RtlLengthSid(PSID sid)
{
	return 8 + 4 * (ULONG)((SID *)sid)->SubAuthorityCount;
}

BOOLEAN RtlEqualSid(PSID a, PSID b)
{
	return RtlLengthSid(a) == RtlLengthSid(b) && !memcmp(a, b, RtlLengthSid(a));
}

NTSTATUS RtlCreateAcl(PACL acl, ULONG length, ULONG revision)
{
	if (length < sizeof(ACL) || length > 0xFFFF || revision != ACL_REVISION)
		return STATUS_INVALID_PARAMETER;
	memset(acl, 0, sizeof(*acl));
	acl->AclRevision = (UCHAR)revision;
	acl->AclSize = (USHORT)length;
	return STATUS_SUCCESS;
}

/* The byte after the last ACE. */
static unsigned char *acl_end(PACL acl)
{
	unsigned char *p = (unsigned char *)(acl + 1);
	USHORT i;

	for (i = 0; i < acl->AceCount; i++)
		p += ((ACE_HEADER *)p)->AceSize;
	return p;
}

NTSTATUS RtlAddAccessAllowedAce(PACL acl, ULONG revision, ACCESS_MASK mask, PSID sid)
{
	unsigned char *end = acl_end(acl);
	ULONG size = (ULONG)offsetof(ACCESS_ALLOWED_ACE, SidStart) + RtlLengthSid(sid);
	ACCESS_ALLOWED_ACE *ace = (ACCESS_ALLOWED_ACE *)end;

	if (revision != ACL_REVISION)
		return STATUS_INVALID_PARAMETER;
	if ((size_t)(end - (unsigned char *)acl) + size > acl->AclSize)
		return STATUS_ALLOTTED_SPACE_EXCEEDED;
	ace->Header.AceType = ACCESS_ALLOWED_ACE_TYPE;
	ace->Header.AceFlags = 0;
	ace->Header.AceSize = (USHORT)size;
	ace->Mask = mask;
	memcpy(&ace->SidStart, sid, RtlLengthSid(sid));
	acl->AceCount++;
	return STATUS_SUCCESS;
}

NTSTATUS RtlGetAce(PACL acl, ULONG index, PVOID *ace)
{
	unsigned char *p = (unsigned char *)(acl + 1);
	ULONG i;

	if (index >= acl->AceCount)
		return STATUS_INVALID_PARAMETER;
	for (i = 0; i < index; i++)
		p += ((ACE_HEADER *)p)->AceSize;
	*ace = p;
	return STATUS_SUCCESS;
}

NTSTATUS RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR sd, ULONG revision)
{
	if (revision != SECURITY_DESCRIPTOR_REVISION)
		return STATUS_INVALID_PARAMETER;
	memset(sd, 0, sizeof(SECURITY_DESCRIPTOR));
	((SECURITY_DESCRIPTOR *)sd)->Revision = (UCHAR)revision;
	return STATUS_SUCCESS;
}

NTSTATUS RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present,
				      PACL dacl, BOOLEAN defaulted)
{
	SECURITY_DESCRIPTOR *d = sd;

	if (d->Control & SE_SELF_RELATIVE)
		return STATUS_INVALID_SECURITY_DESCR;
	d->Control &= (USHORT)~(SE_DACL_PRESENT | SE_DACL_DEFAULTED);
	if (present)
		d->Control |= SE_DACL_PRESENT;
	if (defaulted)
		d->Control |= SE_DACL_DEFAULTED;
	d->Dacl = present ? dacl : NULL;
	return STATUS_SUCCESS;
}

/* The self-relative form: the header, then offsets instead of pointers. */
struct sd_relative {
	UCHAR Revision;
	UCHAR Sbz1;
	SECURITY_DESCRIPTOR_CONTROL Control;
	ULONG Owner, Group, Sacl, Dacl;
};

NTSTATUS RtlGetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present,
				      PACL *dacl, PBOOLEAN defaulted)
{
	SECURITY_DESCRIPTOR *d = sd;
	struct sd_relative *r = sd;

	*present = (d->Control & SE_DACL_PRESENT) != 0;
	*defaulted = (d->Control & SE_DACL_DEFAULTED) != 0;
	if (d->Control & SE_SELF_RELATIVE)
		*dacl = r->Dacl ? (PACL)((unsigned char *)sd + r->Dacl) : NULL;
	else
		*dacl = d->Dacl;
	return STATUS_SUCCESS;
}

/* ---- Object manager -------------------------------------------------------- */

NTSTATUS ObOpenObjectByPointer(PVOID object, ULONG attributes, PVOID access_state,
			       ACCESS_MASK access, PVOID type, KPROCESSOR_MODE mode,
			       PHANDLE handle)
{
	struct kernel_handle *h;

	UNREFERENCED_PARAMETER(access_state);
	UNREFERENCED_PARAMETER(access);
	UNREFERENCED_PARAMETER(type);
	ntm_require_passive("ObOpenObjectByPointer");
	*handle = NULL;
	if (!(attributes & OBJ_KERNEL_HANDLE) || mode != KernelMode)
		return STATUS_ACCESS_DENIED;	/* a driver's handle is a kernel one */
	if (ntm_fault("ObOpenObjectByPointer"))
		return STATUS_INSUFFICIENT_RESOURCES;
	h = malloc(sizeof(*h));
	if (!h)
		abort();
	h->magic = KERNEL_HANDLE_MAGIC;
	h->object = object;
	pthread_mutex_lock(&security_mutex);
	kernel_handles++;
	pthread_mutex_unlock(&security_mutex);
	*handle = h;
	return STATUS_SUCCESS;
}

static int valid_handle(HANDLE handle)
{
	return handle && ((struct kernel_handle *)handle)->magic == KERNEL_HANDLE_MAGIC;
}

NTSTATUS ZwClose(HANDLE handle)
{
	ntm_require_passive("ZwClose");
	if (!valid_handle(handle))
		return STATUS_INVALID_HANDLE;
	((struct kernel_handle *)handle)->magic = 0;
	free(handle);
	pthread_mutex_lock(&security_mutex);
	kernel_handles--;
	pthread_mutex_unlock(&security_mutex);
	return STATUS_SUCCESS;
}

unsigned int ntm_kernel_handles_open(void)
{
	unsigned int n;

	pthread_mutex_lock(&security_mutex);
	n = kernel_handles;
	pthread_mutex_unlock(&security_mutex);
	return n;
}

NTSTATUS ZwSetSecurityObject(HANDLE handle, SECURITY_INFORMATION info,
			     PSECURITY_DESCRIPTOR sd)
{
	SECURITY_DESCRIPTOR *d = sd;
	unsigned char *copy = NULL;

	ntm_require_passive("ZwSetSecurityObject");
	if (!valid_handle(handle))
		return STATUS_INVALID_HANDLE;
	if (!(info & DACL_SECURITY_INFORMATION) || d->Revision != SECURITY_DESCRIPTOR_REVISION)
		return STATUS_INVALID_PARAMETER;
	if (ntm_fault("ZwSetSecurityObject"))
		return STATUS_INSUFFICIENT_RESOURCES;
	if ((d->Control & SE_DACL_PRESENT) && d->Dacl) {
		copy = malloc(d->Dacl->AclSize);
		if (!copy)
			abort();
		memcpy(copy, d->Dacl, d->Dacl->AclSize);
	}
	pthread_mutex_lock(&security_mutex);
	free(device_dacl);
	device_dacl = copy;
	device_control = d->Control & (SE_DACL_PRESENT | SE_DACL_PROTECTED);
	pthread_mutex_unlock(&security_mutex);
	return STATUS_SUCCESS;
}

NTSTATUS ZwQuerySecurityObject(HANDLE handle, SECURITY_INFORMATION info,
			       PSECURITY_DESCRIPTOR sd, ULONG length, PULONG needed)
{
	struct sd_relative r = { SECURITY_DESCRIPTOR_REVISION, 0, 0, 0, 0, 0, 0 };
	ULONG acl_size;
	NTSTATUS status = STATUS_SUCCESS;

	ntm_require_passive("ZwQuerySecurityObject");
	if (!valid_handle(handle))
		return STATUS_INVALID_HANDLE;
	if (!(info & DACL_SECURITY_INFORMATION))
		return STATUS_INVALID_PARAMETER;
	if (ntm_fault("ZwQuerySecurityObject"))
		return STATUS_INSUFFICIENT_RESOURCES;
	pthread_mutex_lock(&security_mutex);
	acl_size = device_dacl ? ((PACL)device_dacl)->AclSize : 0;
	*needed = sizeof(r) + acl_size;
	if (length < *needed) {
		status = STATUS_BUFFER_TOO_SMALL;
	} else {
		r.Control = device_control | SE_SELF_RELATIVE;
		r.Dacl = device_dacl ? sizeof(r) : 0;
		memcpy(sd, &r, sizeof(r));
		if (device_dacl)
			memcpy((unsigned char *)sd + sizeof(r), device_dacl, acl_size);
	}
	pthread_mutex_unlock(&security_mutex);
	return status;
}

void ntm_security_forget(void)
{
	pthread_mutex_lock(&security_mutex);
	free(device_dacl);
	device_dacl = NULL;
	device_control = 0;
	pthread_mutex_unlock(&security_mutex);
}

/* ---- The access check at create -------------------------------------------- */

static int sid_is(const SID *sid, ULONG rid0, ULONG rid1)
{
	static const UCHAR nt[6] = SECURITY_NT_AUTHORITY;

	if (memcmp(sid->IdentifierAuthority.Value, nt, 6))
		return 0;
	if (sid->SubAuthorityCount == 1)
		return sid->SubAuthority[0] == rid0 && !rid1;
	return sid->SubAuthorityCount == 2 && sid->SubAuthority[0] == rid0 &&
	       sid->SubAuthority[1] == rid1;
}

static int token_has(enum ntm_token token, const SID *sid)
{
	if (sid_is(sid, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS))
		return 1;
	return token == NTM_TOKEN_ADMIN &&
	       sid_is(sid, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS);
}

ACCESS_MASK ntm_security_granted(enum ntm_token token)
{
	ACCESS_MASK granted = 0;
	ACCESS_ALLOWED_ACE *ace;
	ULONG i;

	pthread_mutex_lock(&security_mutex);
	if (!device_dacl) {
		/* No DACL: everyone gets everything (a NULL DACL). */
		pthread_mutex_unlock(&security_mutex);
		return FILE_ALL_ACCESS;
	}
	for (i = 0; i < ((PACL)device_dacl)->AceCount; i++) {
		RtlGetAce((PACL)device_dacl, i, (PVOID *)&ace);
		if (ace->Header.AceType == ACCESS_ALLOWED_ACE_TYPE &&
		    token_has(token, (const SID *)&ace->SidStart))
			granted |= ace->Mask;
	}
	pthread_mutex_unlock(&security_mutex);
	return granted;
}

/* SDDL of the DACL: D:[P](A;;MASK;;;SID)... with the well-known aliases. */
void ntm_device_sddl(char *text, size_t size)
{
	ACCESS_ALLOWED_ACE *ace;
	ULONG i;

	text[0] = '\0';
	pthread_mutex_lock(&security_mutex);
	if (device_dacl) {
		size_t n = (size_t)snprintf(text, size, "D:%s",
					    device_control & SE_DACL_PROTECTED ? "P" : "");
		for (i = 0; i < ((PACL)device_dacl)->AceCount && n < size; i++) {
			const SID *sid;
			const char *alias = "?";

			RtlGetAce((PACL)device_dacl, i, (PVOID *)&ace);
			sid = (const SID *)&ace->SidStart;
			if (sid_is(sid, SECURITY_LOCAL_SYSTEM_RID, 0))
				alias = "SY";
			else if (sid_is(sid, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS))
				alias = "BA";
			else if (sid_is(sid, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_USERS))
				alias = "BU";
			if (ace->Mask == FILE_ALL_ACCESS)
				n += (size_t)snprintf(text + n, size - n, "(A;;FA;;;%s)", alias);
			else
				n += (size_t)snprintf(text + n, size - n, "(A;;0x%x;;;%s)",
						      ace->Mask, alias);
		}
	}
	pthread_mutex_unlock(&security_mutex);
}
