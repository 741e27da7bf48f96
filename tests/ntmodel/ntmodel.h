/* SPDX-License-Identifier: MIT */
/*
 * The NT model's own interface: what a test does to the modelled system
 * (load and stop a driver, open, control, cancel and close as a user
 * process would) and what it reads back (Verifier's findings, pool, log).
 *
 * Everything here is what Windows does as its documentation describes it;
 * docs/testing.md ("The NT model") lists each rule and the page it comes
 * from; verifier.c holds the same names and sources.
 */
#ifndef SPOTLESS_NTMODEL_H
#define SPOTLESS_NTMODEL_H

#include <ntifs.h>

/* An address range the model declares invalid: the driver's access to it
 * (user_memory.c's model) fails as a real fault would. Never mapped. */
#define NTM_INVALID_BASE	((ULONG_PTR)0x7ff000000000ull)

/* Memory the model counts as the kernel's (len bytes, filled with a known
 * text): a user-mode caller passing its address must be refused by a probe;
 * a driver that skips the probe would hand its bytes out. */
void *ntm_kernel_memory(size_t *len);

#define STATUS_NOT_FOUND		((NTSTATUS)0xC0000225)
#define STATUS_ALLOTTED_SPACE_EXCEEDED	((NTSTATUS)0xC0000099)

/* ---- Verifier ------------------------------------------------------------ */

/* Every check of the model, by name (ntm_rule_name) and source page. */
enum ntm_rule {
	NTM_IRP_COMPLETED_TWICE,
	NTM_IRP_COMPLETED_WITH_CANCEL_ROUTINE,
	NTM_IRP_COMPLETED_WITH_STATUS_PENDING,
	NTM_PENDING_WITHOUT_MARK,
	NTM_MARKED_BUT_NOT_PENDING,
	NTM_DISPATCH_STATUS_MISMATCH,
	NTM_DISPATCH_NEITHER_COMPLETED_NOR_PENDING,
	NTM_INFORMATION_ABOVE_OUTPUT_LENGTH,
	NTM_COMPLETE_AT_HIGH_IRQL,
	NTM_POOL_AT_HIGH_IRQL,
	NTM_PASSIVE_CALL_AT_RAISED_IRQL,
	NTM_SPINLOCK_ACQUIRED_RECURSIVELY,
	NTM_SPINLOCK_NOT_OWNED,
	NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL,
	NTM_RETURN_WITH_SPINLOCK_HELD,
	NTM_IRQL_NOT_RESTORED,
	NTM_CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE,
	NTM_POOL_FREED_WITH_WRONG_TAG,
	NTM_POOL_FREED_TWICE,
	NTM_POOL_EXECUTABLE,
	NTM_POOL_LEAKED_AT_UNLOAD,
	NTM_OBJECT_LEFT_AT_UNLOAD,
	NTM_DEVICE_DELETED_BEFORE_LINK,
	NTM_UNICODE_FORMAT_ABOVE_PASSIVE,
	NTM_POOL_NOT_CHARGED,
	NTM_POOL_QUOTA_RAISES,
	NTM_PARTIAL_MDL_OUTSIDE_SOURCE,
	NTM_PARTIAL_MDL_FREED_MAPPED,
	NTM_PARTIAL_MDL_OUTLIVES_IRP,
	NTM_LOCK_ORDER_INVERTED,
	NTM_RULE_COUNT
};

const char *ntm_rule_name(enum ntm_rule rule);
const char *ntm_rule_source(enum ntm_rule rule);
/* Findings since the last ntm_verifier_reset(); each is printed as
 * "# verifier: RULE: detail" when it happens. */
unsigned int ntm_verifier_count(void);
unsigned int ntm_verifier_count_of(enum ntm_rule rule);
void ntm_verifier_reset(void);
/* How many times each rule was checked (it held or not), for the report. */
unsigned long ntm_rule_checked(enum ntm_rule rule);

/* Whether the model's kernel exports ExAllocatePool2 (1, the default:
 * Windows 10 2004 and later) or not (older Windows, Wine), for the driver's
 * next load. */
void ntm_set_pool2(int present);
/* Pool taken since the start: by ExAllocatePool2, by the quota call. */
unsigned long ntm_pool2_calls(void);
unsigned long ntm_pool_quota_calls(void);

/* ---- Low-resources simulation ------------------------------------------ */

/* Fail the k-th fallible call from now (1-based; 0 turns it off). Fallible:
 * ExAllocatePoolWithTag, IoCreateDevice, IoCreateSymbolicLink,
 * MmGetSystemAddressForMdlSafe, IoAllocateMdl, ObOpenObjectByPointer,
 * ZwSetSecurityObject, ZwQuerySecurityObject. */
void ntm_fault_arm(unsigned long k);
/* Fallible calls counted since the last arm, and the one failed (or NULL). */
unsigned long ntm_fault_calls(void);
const char *ntm_fault_failed_site(void);

/* ---- The driver's lifetime, as the Service Control Manager drives it ---- */

enum ntm_driver_state {
	NTM_DRIVER_STOPPED,
	NTM_DRIVER_RUNNING,
	NTM_DRIVER_UNLOAD_PENDING,	/* stop asked, file objects remain */
};

/* IoLoadDriver: DriverEntry at PASSIVE_LEVEL; its status. */
NTSTATUS ntm_driver_start(DRIVER_INITIALIZE *entry);
/*
 * IoUnloadDriver: DriverUnload now when no file object of the driver's
 * devices is left; otherwise the unload is pending and runs when the last
 * one goes. Returns the state after the call.
 */
enum ntm_driver_state ntm_driver_stop(void);
enum ntm_driver_state ntm_driver_state(void);
/* File objects open on the driver's devices, and IRPs not completed. */
unsigned int ntm_open_file_objects(void);
unsigned int ntm_pending_irps(void);
/* Pool the driver holds now: blocks and bytes. */
unsigned long ntm_pool_blocks(void);

/* ---- A user process -------------------------------------------------------- */

typedef int ntm_handle;

enum ntm_token {
	NTM_TOKEN_ADMIN,	/* a member of BUILTIN\Administrators */
	NTM_TOKEN_USER,		/* a member of BUILTIN\Users only */
};

/* One request's completion, as an OVERLAPPED is: valid until done. */
struct ntm_io {
	NTSTATUS status;
	ULONG_PTR information;
	int done;
};

/* CreateFile on a Win32 device path ("\\\\.\\Name[\\rest]"). */
NTSTATUS ntm_create_file(const char *path, ACCESS_MASK access, enum ntm_token token,
			 ntm_handle *handle);
/* DuplicateHandle: a second handle to the same file object (its rights,
 * and the driver's per-file-object state, shared). */
NTSTATUS ntm_duplicate_handle(ntm_handle handle, ntm_handle *copy);
/* CloseHandle: the last handle of a file object sends IRP_MJ_CLEANUP; its
 * last reference (no IRP of it left) sends IRP_MJ_CLOSE. */
NTSTATUS ntm_close_handle(ntm_handle handle);
/*
 * DeviceIoControl on an overlapped handle: STATUS_PENDING when the driver
 * left the IRP pending (io->done is set later), else the final status with
 * io filled in. Buffers follow the code's transfer method as the I/O
 * manager builds them; the access bits of the code are checked against the
 * handle first.
 */
NTSTATUS ntm_device_io_control(ntm_handle handle, ULONG code, const void *in,
			       ULONG in_len, void *out, ULONG out_len, struct ntm_io *io);
/* Wait for io: 1 when done, 0 on timeout (timeout_ms < 0: forever). */
int ntm_io_wait(struct ntm_io *io, int timeout_ms);
/* CancelIoEx(handle, io), or every request of the handle when io is NULL:
 * STATUS_SUCCESS when a request was found, else STATUS_NOT_FOUND. */
NTSTATUS ntm_cancel_io(ntm_handle handle, const struct ntm_io *io);

/* The calling thread exits: each IRP it issued that is still in flight is
 * cancelled and waited for. Returns how many there were. */
unsigned int ntm_thread_exit(void);

/* A kernel-mode caller (IoBuildDeviceIoControlRequest + IoCallDriver):
 * METHOD_BUFFERED, no file object. Waits for the completion. */
NTSTATUS ntm_kernel_device_control(ULONG code, void *in, ULONG in_len, void *out,
				   ULONG out_len, ULONG_PTR *information);
/* An IRP_MJ_CREATE with no file object, as the same caller might send. */
NTSTATUS ntm_kernel_create_without_file(void);

/* ---- What the driver left for us to read ------------------------------------ */

/* Whether a DbgPrintEx line since the last mark contains text; how many. */
void ntm_log_mark(void);
unsigned int ntm_log_count(const char *text);
/* Echo every DbgPrintEx line to stderr (also NTMODEL_LOG=1). */
void ntm_log_echo(int on);
/* The flags of the last MmGetSystemAddressForMdlSafe call. */
ULONG ntm_last_mapping_priority(void);
/* The largest MDL mapped into system space since the last call, in bytes. */
size_t ntm_largest_mapping(void);
/* MDLs the driver allocated and has not freed. */
unsigned int ntm_driver_mdls(void);
/* The device's DACL in SDDL, as the object manager holds it ("" if none). */
void ntm_device_sddl(char *text, size_t size);

#endif /* SPOTLESS_NTMODEL_H */
