/* SPDX-License-Identifier: MIT */
/*
 * The NT model's <ntifs.h>: the part of the kernel's interface that
 * windows/driver/ uses, with the same names, so that the driver's own .c
 * files compile unchanged for the host when this folder comes first on the
 * include path. Type sizes follow Windows' LLP64 (ULONG is 32 bits); the
 * model is built with -fshort-wchar so that L"" literals are UTF-16 too.
 *
 * The implementation (the .c files beside this folder) follows Windows' documented rules,
 * not Wine's, and checks what Driver Verifier checks. Only what the driver
 * touches is declared; a field the driver does not use is left out.
 */
#ifndef SPOTLESS_NTMODEL_NTIFS_H
#define SPOTLESS_NTMODEL_NTIFS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>

/* ---- Base types (LLP64) ---------------------------------------------- */
#define VOID void
typedef void *PVOID;
typedef unsigned char UCHAR, *PUCHAR;
typedef UCHAR BOOLEAN, *PBOOLEAN;
typedef char CCHAR;
typedef int16_t CSHORT;
typedef uint16_t USHORT, *PUSHORT;
typedef uint16_t WCHAR, *PWSTR, *PWCH;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, ULONG64;
typedef size_t SIZE_T;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef LONG NTSTATUS;
typedef ULONG ACCESS_MASK;
typedef ULONG DEVICE_TYPE;
typedef UCHAR KIRQL, *PKIRQL;
typedef CCHAR KPROCESSOR_MODE;
typedef PVOID HANDLE, *PHANDLE;
typedef ULONG SECURITY_INFORMATION;
typedef USHORT SECURITY_DESCRIPTOR_CONTROL;

typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

#define NTAPI
#define TRUE	1
#define FALSE	0
#define UNREFERENCED_PARAMETER(p)	((void)(p))
#define FIELD_OFFSET(type, field)	((LONG)offsetof(type, field))
#define CONTAINING_RECORD(address, type, field) \
	((type *)((char *)(address) - offsetof(type, field)))

#define RtlCopyMemory(d, s, n)	memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n)	memmove((d), (s), (n))
#define RtlZeroMemory(d, n)	memset((d), 0, (n))

/* ---- Status values ------------------------------------------------------ */
#define NT_SUCCESS(s)	((NTSTATUS)(s) >= 0)
#define STATUS_SUCCESS			((NTSTATUS)0x00000000)
#define STATUS_PENDING			((NTSTATUS)0x00000103)
#define STATUS_INVALID_HANDLE		((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_DEVICE		((NTSTATUS)0xC000000E)
#define STATUS_INVALID_DEVICE_REQUEST	((NTSTATUS)0xC0000010)
#define STATUS_ACCESS_DENIED		((NTSTATUS)0xC0000022)
#define STATUS_BUFFER_TOO_SMALL		((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_NAME_INVALID	((NTSTATUS)0xC0000033)
#define STATUS_OBJECT_NAME_NOT_FOUND	((NTSTATUS)0xC0000034)
#define STATUS_OBJECT_NAME_COLLISION	((NTSTATUS)0xC0000035)
#define STATUS_CRC_ERROR		((NTSTATUS)0xC000003F)
#define STATUS_ACCESS_VIOLATION		((NTSTATUS)0xC0000005)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009A)
#define STATUS_INTERNAL_ERROR		((NTSTATUS)0xC00000E5)
#define STATUS_CANCELLED		((NTSTATUS)0xC0000120)
#define STATUS_INVALID_SECURITY_DESCR	((NTSTATUS)0xC0000079)
#define STATUS_INVALID_DEVICE_STATE	((NTSTATUS)0xC0000184)
#define STATUS_INVALID_BUFFER_SIZE	((NTSTATUS)0xC0000206)

/* ---- Lists (inline in wdm.h too) ---------------------------------------- */
typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

static inline void InitializeListHead(PLIST_ENTRY head)
{
	head->Flink = head->Blink = head;
}

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *head)
{
	return head->Flink == head;
}

static inline BOOLEAN RemoveEntryList(PLIST_ENTRY entry)
{
	PLIST_ENTRY next = entry->Flink, prev = entry->Blink;

	prev->Flink = next;
	next->Blink = prev;
	return next == prev;
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY head)
{
	PLIST_ENTRY entry = head->Flink;

	RemoveEntryList(entry);
	return entry;
}

static inline void InsertTailList(PLIST_ENTRY head, PLIST_ENTRY entry)
{
	entry->Flink = head;
	entry->Blink = head->Blink;
	head->Blink->Flink = entry;
	head->Blink = entry;
}

/* ---- Strings ------------------------------------------------------------ */
typedef struct _UNICODE_STRING {
	USHORT Length;		/* bytes, without a terminator */
	USHORT MaximumLength;
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

/* ---- IRQL and spin locks ------------------------------------------------ */
#define PASSIVE_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define HIGH_LEVEL	15

/*
 * A spin lock is a word in Windows. The model needs more to check its rules
 * (who holds it, at which IRQL it was taken), so here it is a structure that
 * the driver embeds exactly where it embeds the word.
 */
typedef struct _KSPIN_LOCK {
	pthread_mutex_t mutex;
	unsigned int owner;	/* model thread number + 1, 0 when free */
	KIRQL taken_from;	/* the IRQL KeAcquireSpinLock returned */
	int initialised;
} KSPIN_LOCK, *PKSPIN_LOCK;

KIRQL KeGetCurrentIrql(void);
void KeInitializeSpinLock(PKSPIN_LOCK lock);
void KeAcquireSpinLock(PKSPIN_LOCK lock, PKIRQL old_irql);
void KeReleaseSpinLock(PKSPIN_LOCK lock, KIRQL new_irql);
void KeRaiseIrql(KIRQL new_irql, PKIRQL old_irql);
void KeLowerIrql(KIRQL new_irql);
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER frequency);
/* interval: 100 ns units, negative for relative; IRQL <= APC_LEVEL. */
NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE mode, BOOLEAN alertable,
				PLARGE_INTEGER interval);

/* ---- Pool ----------------------------------------------------------------- */
typedef enum _POOL_TYPE {
	NonPagedPool = 0,
	PagedPool = 1,
	NonPagedPoolNx = 512,
} POOL_TYPE;

PVOID ExAllocatePoolWithTag(POOL_TYPE type, size_t size, ULONG tag);
/* Charged to the current process's quota; raises on failure unless the
 * type carries POOL_QUOTA_FAIL_INSTEAD_OF_RAISE. */
#define POOL_QUOTA_FAIL_INSTEAD_OF_RAISE	8
PVOID ExAllocatePoolWithQuotaTag(int type, size_t size, ULONG tag);
/* The address of an export of the kernel by name, or NULL: the model has
 * ExAllocatePool2 when ntm_set_pool2(1) (the default), as Windows 10 2004
 * and later do. */
PVOID MmGetSystemRoutineAddress(PUNICODE_STRING name);
void ExFreePoolWithTag(PVOID block, ULONG tag);

/* ---- Objects ---------------------------------------------------------------- */
struct _IRP;
struct _DEVICE_OBJECT;
struct _DRIVER_OBJECT;
struct _FILE_OBJECT;

typedef NTSTATUS DRIVER_INITIALIZE(struct _DRIVER_OBJECT *driver,
				   PUNICODE_STRING registry_path);
typedef void DRIVER_UNLOAD(struct _DRIVER_OBJECT *driver);
typedef NTSTATUS DRIVER_DISPATCH(struct _DEVICE_OBJECT *device, struct _IRP *irp);
typedef void DRIVER_CANCEL(struct _DEVICE_OBJECT *device, struct _IRP *irp);
typedef DRIVER_UNLOAD *PDRIVER_UNLOAD;
typedef DRIVER_DISPATCH *PDRIVER_DISPATCH;
typedef DRIVER_CANCEL *PDRIVER_CANCEL;

#define IRP_MJ_CREATE			0x00
#define IRP_MJ_CLOSE			0x02
#define IRP_MJ_DEVICE_CONTROL		0x0e
#define IRP_MJ_CLEANUP			0x12
#define IRP_MJ_MAXIMUM_FUNCTION		0x1b

#define FILE_DEVICE_UNKNOWN		0x00000022
#define FILE_DEVICE_SECURE_OPEN		0x00000100

typedef struct _DRIVER_OBJECT {
	struct _DEVICE_OBJECT *DeviceObject;
	PDRIVER_UNLOAD DriverUnload;
	PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

typedef struct _DEVICE_OBJECT {
	PDRIVER_OBJECT DriverObject;
	struct _DEVICE_OBJECT *NextDevice;
	PVOID DeviceExtension;
	DEVICE_TYPE DeviceType;
	ULONG Characteristics;
	ULONG Flags;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _FILE_OBJECT {
	CSHORT Type;
	CSHORT Size;
	PDEVICE_OBJECT DeviceObject;
	PVOID FsContext;
	PVOID FsContext2;
	UNICODE_STRING FileName;	/* what follows the device's name */
} FILE_OBJECT, *PFILE_OBJECT;

/* ---- Security --------------------------------------------------------- */
#define DELETE				0x00010000
#define READ_CONTROL			0x00020000
#define WRITE_DAC			0x00040000
#define WRITE_OWNER			0x00080000
#define SYNCHRONIZE			0x00100000
#define STANDARD_RIGHTS_REQUIRED	0x000F0000
#define MAXIMUM_ALLOWED			0x02000000
#define GENERIC_READ			0x80000000
#define GENERIC_WRITE			0x40000000
#define GENERIC_EXECUTE			0x20000000
#define GENERIC_ALL			0x10000000
#define FILE_READ_DATA			0x0001
#define FILE_WRITE_DATA			0x0002
#define FILE_ALL_ACCESS			(STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF)

typedef struct _ACCESS_STATE {
	ACCESS_MASK RemainingDesiredAccess;
	ACCESS_MASK PreviouslyGrantedAccess;
	ACCESS_MASK OriginalDesiredAccess;
} ACCESS_STATE, *PACCESS_STATE;

typedef struct _IO_SECURITY_CONTEXT {
	PVOID SecurityQos;
	PACCESS_STATE AccessState;
	ACCESS_MASK DesiredAccess;
	ULONG FullCreateOptions;
} IO_SECURITY_CONTEXT, *PIO_SECURITY_CONTEXT;

typedef struct _SID_IDENTIFIER_AUTHORITY {
	UCHAR Value[6];
} SID_IDENTIFIER_AUTHORITY, *PSID_IDENTIFIER_AUTHORITY;

typedef struct _SID {
	UCHAR Revision;
	UCHAR SubAuthorityCount;
	SID_IDENTIFIER_AUTHORITY IdentifierAuthority;
	ULONG SubAuthority[1];
} SID;
typedef PVOID PSID;

#define SECURITY_NT_AUTHORITY		{ 0, 0, 0, 0, 0, 5 }
#define SECURITY_LOCAL_SYSTEM_RID	0x00000012
#define SECURITY_BUILTIN_DOMAIN_RID	0x00000020
#define DOMAIN_ALIAS_RID_ADMINS		0x00000220
#define DOMAIN_ALIAS_RID_USERS		0x00000221

typedef struct _ACL {
	UCHAR AclRevision;
	UCHAR Sbz1;
	USHORT AclSize;
	USHORT AceCount;
	USHORT Sbz2;
} ACL, *PACL;

typedef struct _ACE_HEADER {
	UCHAR AceType;
	UCHAR AceFlags;
	USHORT AceSize;
} ACE_HEADER;

typedef struct _ACCESS_ALLOWED_ACE {
	ACE_HEADER Header;
	ACCESS_MASK Mask;
	ULONG SidStart;
} ACCESS_ALLOWED_ACE;

#define ACL_REVISION			2
#define ACCESS_ALLOWED_ACE_TYPE		0x0
#define SECURITY_DESCRIPTOR_REVISION	1
#define DACL_SECURITY_INFORMATION	0x00000004
#define SE_DACL_PRESENT			0x0004
#define SE_DACL_DEFAULTED		0x0008
#define SE_DACL_PROTECTED		0x1000
#define SE_SELF_RELATIVE		0x8000

/* The absolute form; ZwQuerySecurityObject returns the self-relative one. */
typedef struct _SECURITY_DESCRIPTOR {
	UCHAR Revision;
	UCHAR Sbz1;
	SECURITY_DESCRIPTOR_CONTROL Control;
	PSID Owner;
	PSID Group;
	PACL Sacl;
	PACL Dacl;
} SECURITY_DESCRIPTOR;
typedef PVOID PSECURITY_DESCRIPTOR;

NTSTATUS RtlInitializeSid(PSID sid, PSID_IDENTIFIER_AUTHORITY authority, UCHAR count);
PULONG RtlSubAuthoritySid(PSID sid, ULONG index);
BOOLEAN RtlEqualSid(PSID a, PSID b);
ULONG RtlLengthSid(PSID sid);
NTSTATUS RtlCreateAcl(PACL acl, ULONG length, ULONG revision);
NTSTATUS RtlAddAccessAllowedAce(PACL acl, ULONG revision, ACCESS_MASK mask, PSID sid);
NTSTATUS RtlGetAce(PACL acl, ULONG index, PVOID *ace);
NTSTATUS RtlCreateSecurityDescriptor(PSECURITY_DESCRIPTOR sd, ULONG revision);
NTSTATUS RtlSetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, BOOLEAN present,
				      PACL dacl, BOOLEAN defaulted);
NTSTATUS RtlGetDaclSecurityDescriptor(PSECURITY_DESCRIPTOR sd, PBOOLEAN present,
				      PACL *dacl, PBOOLEAN defaulted);

#define OBJ_KERNEL_HANDLE	0x00000200
#define KernelMode		0
#define UserMode		1

NTSTATUS ObOpenObjectByPointer(PVOID object, ULONG attributes, PVOID access_state,
			       ACCESS_MASK access, PVOID type, KPROCESSOR_MODE mode,
			       PHANDLE handle);
NTSTATUS ZwSetSecurityObject(HANDLE handle, SECURITY_INFORMATION info,
			     PSECURITY_DESCRIPTOR sd);
NTSTATUS ZwQuerySecurityObject(HANDLE handle, SECURITY_INFORMATION info,
			       PSECURITY_DESCRIPTOR sd, ULONG length, PULONG needed);
NTSTATUS ZwClose(HANDLE handle);

/* ---- IRPs ------------------------------------------------------------------- */
typedef struct _IO_STATUS_BLOCK {
	union {
		NTSTATUS Status;
		PVOID Pointer;
	};
	ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

typedef struct _MDL {
	struct _MDL *Next;
	CSHORT Size;
	CSHORT MdlFlags;
	PVOID MappedSystemVa;
	PVOID StartVa;
	ULONG ByteCount;
	ULONG ByteOffset;
} MDL, *PMDL;

#define MDL_MAPPED_TO_SYSTEM_VA		0x0001
#define MDL_PARTIAL			0x0010
#define MDL_PARTIAL_HAS_BEEN_MAPPED	0x0020
#define MmGetMdlVirtualAddress(mdl) \
	((PVOID)((PUCHAR)(mdl)->StartVa + (mdl)->ByteOffset))
#define MmGetMdlByteCount(mdl)	((mdl)->ByteCount)

#define SL_PENDING_RETURNED	0x01

typedef struct _IO_STACK_LOCATION {
	UCHAR MajorFunction;
	UCHAR MinorFunction;
	UCHAR Flags;
	UCHAR Control;
	union {
		struct {
			PIO_SECURITY_CONTEXT SecurityContext;
			ULONG Options;
			USHORT FileAttributes;
			USHORT ShareAccess;
			ULONG EaLength;
		} Create;
		struct {
			ULONG OutputBufferLength;
			ULONG InputBufferLength;
			ULONG IoControlCode;
			PVOID Type3InputBuffer;
		} DeviceIoControl;
	} Parameters;
	PDEVICE_OBJECT DeviceObject;
	PFILE_OBJECT FileObject;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

/*
 * Cancel and CancelRoutine are volatile in Windows and written by
 * IoCancelIrp on another processor; _Atomic gives ThreadSanitizer the same
 * picture, and reads the same in the driver's source.
 */
typedef struct _IRP {
	CSHORT Type;
	USHORT Size;
	PMDL MdlAddress;
	ULONG Flags;
	union {
		PVOID SystemBuffer;
	} AssociatedIrp;
	IO_STATUS_BLOCK IoStatus;
	KPROCESSOR_MODE RequestorMode;
	BOOLEAN PendingReturned;
	_Atomic BOOLEAN Cancel;
	KIRQL CancelIrql;
	_Atomic(PDRIVER_CANCEL) CancelRoutine;
	PVOID UserBuffer;
	union {
		struct {
			PVOID DriverContext[4];
			PVOID Thread;
			LIST_ENTRY ListEntry;	/* the driver's while it owns the IRP */
			struct _IO_STACK_LOCATION *CurrentStackLocation;
			PFILE_OBJECT OriginalFileObject;
		} Overlay;
	} Tail;
	void *ModelTracking;	/* the model's record of this IRP */
} IRP, *PIRP;

#define IO_NO_INCREMENT	0

static inline PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP irp)
{
	return irp->Tail.Overlay.CurrentStackLocation;
}

void IoCompleteRequest(PIRP irp, CCHAR priority_boost);
void IoMarkIrpPending(PIRP irp);
PDRIVER_CANCEL IoSetCancelRoutine(PIRP irp, PDRIVER_CANCEL routine);
BOOLEAN IoCancelIrp(PIRP irp);
void IoAcquireCancelSpinLock(PKIRQL irql);
void IoReleaseCancelSpinLock(KIRQL irql);

NTSTATUS IoCreateDevice(PDRIVER_OBJECT driver, ULONG extension_size,
			PUNICODE_STRING name, DEVICE_TYPE type, ULONG characteristics,
			BOOLEAN exclusive, PDEVICE_OBJECT *device);
void IoDeleteDevice(PDEVICE_OBJECT device);
NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING link, PUNICODE_STRING target);
NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING link);

/* MmGetSystemAddressForMdlSafe's priority, and the wdm.h flags OR'ed in. */
#define NormalPagePriority	16
#define MdlMappingNoWrite	0x80000000
#define MdlMappingNoExecute	0x40000000
PVOID MmGetSystemAddressForMdlSafe(PMDL mdl, ULONG priority);
/* An MDL of the driver's own (no IRP here), one over part of another's
 * pages, and their end; MmPrepareMdlForReuse as wdm.h has it. */
PMDL IoAllocateMdl(PVOID va, ULONG length, BOOLEAN secondary, BOOLEAN charge_quota,
		   PIRP irp);
void IoBuildPartialMdl(PMDL source, PMDL target, PVOID va, ULONG length);
void IoFreeMdl(PMDL mdl);
void MmUnmapLockedPages(PVOID base, PMDL mdl);
#define MmPrepareMdlForReuse(mdl) \
	do { \
		if ((mdl)->MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED) \
			MmUnmapLockedPages((mdl)->MappedSystemVa, (mdl)); \
	} while (0)

/* ---- Debug output ------------------------------------------------------- */
#define DPFLTR_IHVDRIVER_ID	77
#define DPFLTR_ERROR_LEVEL	0
#define DPFLTR_WARNING_LEVEL	1
#define DPFLTR_TRACE_LEVEL	2
#define DPFLTR_INFO_LEVEL	3
/* Windows' format rules (%ws, %lu on a 32-bit ULONG), so no printf check. */
ULONG DbgPrintEx(ULONG component, ULONG level, const char *format, ...);

#endif /* SPOTLESS_NTMODEL_NTIFS_H */
