// SPDX-License-Identifier: MIT
/*
 * The I/O manager and the object namespace, with Windows' rules:
 *
 * - CreateFile resolves \\.\NAME through the symbolic link to the device,
 *   checks the caller's token against the device's DACL ("Controlling Device
 *   Namespace Access": with FILE_DEVICE_SECURE_OPEN the check covers names
 *   below the device too) and sends IRP_MJ_CREATE with a security context
 *   holding the granted access ("IRP_MJ_CREATE"). A failed create deletes the
 *   file object without cleanup or close.
 * - The last handle of a file object closed: IRP_MJ_CLEANUP ("IRP_MJ_CLEANUP":
 *   the driver completes the file's queued IRPs there). IRP_MJ_CLOSE comes
 *   when the file object's last reference is gone, and every IRP in flight
 *   holds one ("IRP_MJ_CLOSE": all handles closed and all outstanding I/O
 *   requests completed).
 * - DeviceIoControl checks the code's access bits against the handle's
 *   granted access before any IRP exists ("Defining I/O Control Codes",
 *   RequiredAccess), then builds the buffers of the code's transfer method
 *   ("Buffer Descriptions for I/O Control Codes"). The system buffer is not
 *   zeroed beyond the input, as in Windows: a driver that reports bytes it did
 *   not write hands out stale pool, which the tests see as 0xA5.
 * - A stop with file objects open marks the unload pending: new opens fail
 *   with STATUS_NO_SUCH_DEVICE and DriverUnload runs when the last file
 *   object is closed ("Unload Routine Environment").
 * - IoCancelIrp as documented: cancel spin lock, Cancel set, the routine
 *   exchanged out and called at DISPATCH_LEVEL with CancelIrql set.
 * - An IRP's memory is freed when it is completed, so a driver that touches
 *   it afterwards is seen by AddressSanitizer ("IoCompleteRequest": the
 *   caller must not touch the IRP after).
 *
 * Where Windows' behaviour is not documented, a comment says what the model
 * chose and why.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_internal.h"

#define MAX_HANDLES	1024
#define MAX_LINKS	4
#define NAME_MAX_CHARS	128
#define COMPLETED_RING	1024

#define FILE_READ_ACCESS_BIT	0x1u	/* a control code's access field */
#define FILE_WRITE_ACCESS_BIT	0x2u
#define FILE_GENERIC_READ	0x00120089u
#define FILE_GENERIC_WRITE	0x00120116u
#define FILE_GENERIC_EXECUTE	0x001200A0u
#define STATUS_IMAGE_ALREADY_LOADED	((NTSTATUS)0xC000010E)

struct ntm_device {
	DEVICE_OBJECT object;
	char name[NAME_MAX_CHARS];
	unsigned int files;	/* file objects opened on it, not yet closed */
	size_t extension_size;
};

struct ntm_file {
	FILE_OBJECT object;
	WCHAR name[NAME_MAX_CHARS];
	struct ntm_device *device;
	unsigned int handles;
	unsigned int refs;	/* one for its handles, one per IRP in flight */
	ACCESS_MASK granted;
	struct ntm_file *next_close;
};

/* The model's record of one IRP; it outlives the IRP's memory. */
struct ntm_irp {
	IRP *irp;		/* NULL once freed */
	struct ntm_file *file;	/* holds a reference, or NULL */
	struct ntm_io *io;
	ULONG code;
	void *user_out;
	ULONG out_len;
	void *system_buffer;
	struct ntm_mdl *mdl;
	int marked, completed, returned, cancellers;
	unsigned int thread;	/* the issuing thread's id */
	NTSTATUS final_status;
	struct ntm_irp *next;	/* in live_irps while not completed */
};

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t io_changed = PTHREAD_COND_INITIALIZER;

static DRIVER_OBJECT driver_object;
static enum ntm_driver_state driver_state = NTM_DRIVER_STOPPED;
static unsigned int files_open;
static struct ntm_file *handles[MAX_HANDLES];
static struct ntm_file *close_queue;
static struct ntm_irp *live_irps;
static IRP *completed_ring[COMPLETED_RING];
static unsigned int completed_next;
static struct {
	char link[NAME_MAX_CHARS];
	char target[NAME_MAX_CHARS];
} links[MAX_LINKS];

static KSPIN_LOCK cancel_lock = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 1 };

/* ---- Fault points ---------------------------------------------------------- */

static pthread_mutex_t fault_mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned long fault_target, fault_calls;
static const char *fault_site;

void ntm_fault_arm(unsigned long k)
{
	pthread_mutex_lock(&fault_mutex);
	fault_target = k;
	fault_calls = 0;
	fault_site = NULL;
	pthread_mutex_unlock(&fault_mutex);
}

int ntm_fault(const char *site)
{
	int fail = 0;

	pthread_mutex_lock(&fault_mutex);
	if (fault_target) {
		fault_calls++;
		if (fault_calls == fault_target) {
			fault_site = site;
			fail = 1;
		}
	}
	pthread_mutex_unlock(&fault_mutex);
	return fail;
}

unsigned long ntm_fault_calls(void)
{
	unsigned long n;

	pthread_mutex_lock(&fault_mutex);
	n = fault_calls;
	pthread_mutex_unlock(&fault_mutex);
	return n;
}

const char *ntm_fault_failed_site(void)
{
	const char *s;

	pthread_mutex_lock(&fault_mutex);
	s = fault_site;
	pthread_mutex_unlock(&fault_mutex);
	return s;
}

/* ---- Names ---------------------------------------------------------------------- */

static void name_of(PCUNICODE_STRING s, char *out)
{
	size_t i, n = s->Length / sizeof(WCHAR);

	if (n >= NAME_MAX_CHARS)
		n = NAME_MAX_CHARS - 1;
	for (i = 0; i < n; i++)
		out[i] = s->Buffer[i] < 0x80 ? (char)s->Buffer[i] : '?';
	out[n] = '\0';
}

static struct ntm_device *device_named(const char *name)
{
	PDEVICE_OBJECT d;

	for (d = driver_object.DeviceObject; d; d = d->NextDevice)
		if (!strcmp(((struct ntm_device *)d)->name, name))
			return (struct ntm_device *)d;
	return NULL;
}

static int link_named(const char *name)
{
	int i;

	for (i = 0; i < MAX_LINKS; i++)
		if (links[i].link[0] && !strcmp(links[i].link, name))
			return i;
	return -1;
}

NTSTATUS IoCreateDevice(PDRIVER_OBJECT driver, ULONG extension_size,
			PUNICODE_STRING name, DEVICE_TYPE type, ULONG characteristics,
			BOOLEAN exclusive, PDEVICE_OBJECT *device)
{
	struct ntm_device *d;
	char n[NAME_MAX_CHARS] = "";

	UNREFERENCED_PARAMETER(exclusive);
	ntm_require_passive("IoCreateDevice");
	*device = NULL;
	if (ntm_fault("IoCreateDevice"))
		return STATUS_INSUFFICIENT_RESOURCES;
	if (name)
		name_of(name, n);
	pthread_mutex_lock(&M);
	if (n[0] && device_named(n)) {
		pthread_mutex_unlock(&M);
		return STATUS_OBJECT_NAME_COLLISION;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		abort();
	/* Not promised zeroed here: a driver must set up what it reads. */
	d->object.DeviceExtension = extension_size ? malloc(extension_size) : NULL;
	d->extension_size = extension_size;
	if (extension_size && !d->object.DeviceExtension)
		abort();
	if (extension_size)
		memset(d->object.DeviceExtension, 0xA5, extension_size);
	snprintf(d->name, sizeof(d->name), "%s", n);
	d->object.DriverObject = driver;
	d->object.DeviceType = type;
	d->object.Characteristics = characteristics;
	d->object.NextDevice = driver->DeviceObject;
	driver->DeviceObject = &d->object;
	pthread_mutex_unlock(&M);
	*device = &d->object;
	return STATUS_SUCCESS;
}

static void free_device(struct ntm_device *d)
{
	ntm_locks_forget(d->object.DeviceExtension, d->extension_size);
	free(d->object.DeviceExtension);
	free(d);
}

void IoDeleteDevice(PDEVICE_OBJECT device)
{
	struct ntm_device *d = (struct ntm_device *)device;
	PDEVICE_OBJECT *p;
	int i;

	ntm_require_passive("IoDeleteDevice");
	pthread_mutex_lock(&M);
	ntm_checked(NTM_DEVICE_DELETED_BEFORE_LINK);
	for (i = 0; i < MAX_LINKS; i++)
		if (links[i].link[0] && !strcmp(links[i].target, d->name))
			ntm_violation(NTM_DEVICE_DELETED_BEFORE_LINK, "%s still names %s",
				      links[i].link, d->name);
	for (p = &driver_object.DeviceObject; *p; p = &(*p)->NextDevice) {
		if (*p == device) {
			*p = device->NextDevice;
			break;
		}
	}
	pthread_mutex_unlock(&M);
	free_device(d);
}

NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING link, PUNICODE_STRING target)
{
	char l[NAME_MAX_CHARS], t[NAME_MAX_CHARS];
	int i;

	ntm_require_passive("IoCreateSymbolicLink");
	if (ntm_fault("IoCreateSymbolicLink"))
		return STATUS_INSUFFICIENT_RESOURCES;
	name_of(link, l);
	name_of(target, t);
	pthread_mutex_lock(&M);
	if (link_named(l) >= 0) {
		pthread_mutex_unlock(&M);
		return STATUS_OBJECT_NAME_COLLISION;
	}
	for (i = 0; i < MAX_LINKS && links[i].link[0]; i++)
		;
	if (i == MAX_LINKS) {
		pthread_mutex_unlock(&M);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	snprintf(links[i].link, NAME_MAX_CHARS, "%s", l);
	snprintf(links[i].target, NAME_MAX_CHARS, "%s", t);
	pthread_mutex_unlock(&M);
	return STATUS_SUCCESS;
}

NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING link)
{
	char l[NAME_MAX_CHARS];
	int i;

	ntm_require_passive("IoDeleteSymbolicLink");
	name_of(link, l);
	pthread_mutex_lock(&M);
	i = link_named(l);
	if (i >= 0)
		links[i].link[0] = '\0';
	pthread_mutex_unlock(&M);
	return i >= 0 ? STATUS_SUCCESS : STATUS_OBJECT_NAME_NOT_FOUND;
}

/* ---- IRPs ------------------------------------------------------------------------- */

/* An IRP for a file object; counted is a reference the caller took for it
 * under M (every IRP but IRP_MJ_CLOSE holds one), or NULL. */
static struct ntm_irp *irp_new(struct ntm_device *device, struct ntm_file *file,
			       UCHAR major, struct ntm_io *io, struct ntm_file *counted)
{
	struct ntm_irp *rec = calloc(1, sizeof(*rec));
	IRP *irp = calloc(1, sizeof(IRP) + sizeof(IO_STACK_LOCATION));
	PIO_STACK_LOCATION stack;
	unsigned int i;

	if (!rec || !irp)
		abort();
	stack = (PIO_STACK_LOCATION)(irp + 1);
	irp->Tail.Overlay.CurrentStackLocation = stack;
	irp->Tail.Overlay.OriginalFileObject = file ? &file->object : NULL;
	irp->RequestorMode = UserMode;
	irp->ModelTracking = rec;
	stack->MajorFunction = major;
	stack->DeviceObject = &device->object;
	stack->FileObject = file ? &file->object : NULL;
	rec->irp = irp;
	rec->io = io;
	rec->thread = ntm_self()->id;
	io->done = 0;
	rec->file = counted;
	pthread_mutex_lock(&M);
	/* A new IRP at the address of a completed one is not a second completion. */
	for (i = 0; i < COMPLETED_RING; i++)
		if (completed_ring[i] == irp)
			completed_ring[i] = NULL;
	rec->next = live_irps;
	live_irps = rec;
	pthread_mutex_unlock(&M);
	return rec;
}

static int is_live(const IRP *irp)
{
	struct ntm_irp *r;

	for (r = live_irps; r; r = r->next)
		if (r->irp == irp && !r->completed)
			return 1;
	return 0;
}

static void unlink_live(struct ntm_irp *rec)
{
	struct ntm_irp **p;

	for (p = &live_irps; *p; p = &(*p)->next) {
		if (*p == rec) {
			*p = rec->next;
			return;
		}
	}
}

/* With M held: free what nobody may touch any more. */
static void irp_release(struct ntm_irp *rec)
{
	if (rec->completed && !rec->cancellers && rec->irp) {
		free(rec->irp);
		rec->irp = NULL;
	}
	if (rec->completed && rec->returned && !rec->cancellers)
		free(rec);
}

/* With M held: one reference of the file object less; the last queues its close. */
static void file_deref(struct ntm_file *file)
{
	if (--file->refs)
		return;
	file->next_close = close_queue;
	close_queue = file;
}

/* The I/O manager's side of completion: the caller's buffers get the bytes. */
static void finish_buffers(struct ntm_irp *rec, NTSTATUS status, ULONG_PTR info)
{
	ULONG method = rec->code & 3u;
	struct ntm_mdl *m = rec->mdl;

	if (rec->code && method == 0) {
		ntm_checked(NTM_INFORMATION_ABOVE_OUTPUT_LENGTH);
		if (info > rec->out_len) {
			ntm_violation(NTM_INFORMATION_ABOVE_OUTPUT_LENGTH,
				      "code 0x%08x: Information %lu, output buffer %u bytes",
				      rec->code, (unsigned long)info, rec->out_len);
			info = rec->out_len;
		}
		if (NT_SUCCESS(status) && info && rec->user_out)
			memcpy(rec->user_out, rec->system_buffer, info);
	}
	if (m) {
		ntm_mdl_finish(m, rec->code);
		rec->mdl = NULL;
	}
	free(rec->system_buffer);
	rec->system_buffer = NULL;
}

void IoCompleteRequest(PIRP irp, CCHAR priority_boost)
{
	struct ntm_irp *rec;
	NTSTATUS status;

	UNREFERENCED_PARAMETER(priority_boost);
	ntm_checked(NTM_COMPLETE_AT_HIGH_IRQL);
	ntm_checked(NTM_IRP_COMPLETED_TWICE);
	ntm_checked(NTM_IRP_COMPLETED_WITH_CANCEL_ROUTINE);
	ntm_checked(NTM_IRP_COMPLETED_WITH_STATUS_PENDING);
	if (KeGetCurrentIrql() > DISPATCH_LEVEL)
		ntm_violation(NTM_COMPLETE_AT_HIGH_IRQL, "at IRQL %u", KeGetCurrentIrql());
	pthread_mutex_lock(&M);
	if (!is_live(irp)) {
		unsigned int i;

		for (i = 0; i < COMPLETED_RING && completed_ring[i] != irp; i++)
			;
		ntm_violation(NTM_IRP_COMPLETED_TWICE, "IRP %p %s", (void *)irp,
			      i < COMPLETED_RING ? "was completed already" : "is not in flight");
		pthread_mutex_unlock(&M);
		return;
	}
	rec = irp->ModelTracking;
	if (irp->CancelRoutine)
		ntm_violation(NTM_IRP_COMPLETED_WITH_CANCEL_ROUTINE, "IRP %p, code 0x%08x",
			      (void *)irp, rec->code);
	status = irp->IoStatus.Status;
	if (status == STATUS_PENDING)
		ntm_violation(NTM_IRP_COMPLETED_WITH_STATUS_PENDING, "IRP %p", (void *)irp);
	finish_buffers(rec, status, irp->IoStatus.Information);
	rec->completed = 1;
	rec->final_status = status;
	rec->io->status = status;
	rec->io->information = NT_SUCCESS(status) ? irp->IoStatus.Information : 0;
	rec->io->done = 1;
	unlink_live(rec);
	completed_ring[completed_next++ % COMPLETED_RING] = irp;
	if (rec->file)
		file_deref(rec->file);
	irp_release(rec);
	pthread_cond_broadcast(&io_changed);
	pthread_mutex_unlock(&M);
}

void IoMarkIrpPending(PIRP irp)
{
	IoGetCurrentIrpStackLocation(irp)->Control |= SL_PENDING_RETURNED;
	pthread_mutex_lock(&M);
	((struct ntm_irp *)irp->ModelTracking)->marked = 1;
	pthread_mutex_unlock(&M);
}

PDRIVER_CANCEL IoSetCancelRoutine(PIRP irp, PDRIVER_CANCEL routine)
{
	return atomic_exchange(&irp->CancelRoutine, routine);
}

void IoAcquireCancelSpinLock(PKIRQL irql)
{
	KeAcquireSpinLock(&cancel_lock, irql);
}

void IoReleaseCancelSpinLock(KIRQL irql)
{
	KeReleaseSpinLock(&cancel_lock, irql);
}

BOOLEAN IoCancelIrp(PIRP irp)
{
	PDRIVER_CANCEL routine;
	PDEVICE_OBJECT device = IoGetCurrentIrpStackLocation(irp)->DeviceObject;
	KIRQL irql;

	IoAcquireCancelSpinLock(&irql);
	irp->Cancel = TRUE;
	routine = IoSetCancelRoutine(irp, NULL);
	if (!routine) {
		IoReleaseCancelSpinLock(irql);
		return FALSE;
	}
	irp->CancelIrql = irql;
	routine(device, irp);
	/* The routine released the cancel lock and so returned to irql. */
	ntm_checked(NTM_CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE);
	if (__atomic_load_n(&cancel_lock.owner, __ATOMIC_RELAXED) == ntm_self()->id) {
		ntm_violation(NTM_CANCEL_LOCK_HELD_AFTER_CANCEL_ROUTINE, "IRP %p", (void *)irp);
		IoReleaseCancelSpinLock(irql);
	}
	ntm_checked(NTM_IRQL_NOT_RESTORED);
	if (KeGetCurrentIrql() != irql) {
		ntm_violation(NTM_IRQL_NOT_RESTORED, "cancel routine returned at IRQL %u, not %u",
			      KeGetCurrentIrql(), irql);
		ntm_thread_recover(irql);
	}
	return TRUE;
}

/* ---- Calling the driver ------------------------------------------------------ */

/* A dispatch routine at PASSIVE_LEVEL, and what Verifier checks on return. */
static NTSTATUS call_dispatch(struct ntm_irp *rec)
{
	IRP *irp = rec->irp;
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	PDEVICE_OBJECT device = stack->DeviceObject;
	UCHAR major = stack->MajorFunction;
	PDRIVER_DISPATCH fn = driver_object.MajorFunction[major];
	struct ntm_thread *t = ntm_self();
	KIRQL entry = t->irql;
	NTSTATUS status;

	if (!fn) {
		/* The I/O manager's default for a function the driver has not set. */
		irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
		IoCompleteRequest(irp, IO_NO_INCREMENT);
		status = STATUS_INVALID_DEVICE_REQUEST;
	} else {
		t->in_dispatch = irp->RequestorMode == UserMode;
		status = fn(device, irp);
		t->in_dispatch = 0;
	}
	/* The IRP may be freed by now: only the model's record is read below. */
	ntm_checked(NTM_RETURN_WITH_SPINLOCK_HELD);
	ntm_checked(NTM_IRQL_NOT_RESTORED);
	if (t->held) {
		ntm_violation(NTM_RETURN_WITH_SPINLOCK_HELD, "major 0x%02x returned holding %u",
			      major, t->held);
		ntm_thread_recover(entry);
	} else if (KeGetCurrentIrql() != entry) {
		ntm_violation(NTM_IRQL_NOT_RESTORED, "dispatch returned at IRQL %u", t->irql);
		ntm_thread_recover(entry);
	}

	pthread_mutex_lock(&M);
	if (status == STATUS_PENDING) {
		ntm_checked(NTM_PENDING_WITHOUT_MARK);
		if (!rec->marked)
			ntm_violation(NTM_PENDING_WITHOUT_MARK, "code 0x%08x", rec->code);
	} else {
		ntm_checked(NTM_MARKED_BUT_NOT_PENDING);
		ntm_checked(NTM_DISPATCH_NEITHER_COMPLETED_NOR_PENDING);
		ntm_checked(NTM_DISPATCH_STATUS_MISMATCH);
		if (rec->marked)
			ntm_violation(NTM_MARKED_BUT_NOT_PENDING, "code 0x%08x returned 0x%08x",
				      rec->code, (unsigned int)status);
		if (!rec->completed)
			ntm_violation(NTM_DISPATCH_NEITHER_COMPLETED_NOR_PENDING,
				      "code 0x%08x returned 0x%08x", rec->code,
				      (unsigned int)status);
		else if (status != rec->final_status)
			ntm_violation(NTM_DISPATCH_STATUS_MISMATCH,
				      "returned 0x%08x, completed with 0x%08x",
				      (unsigned int)status, (unsigned int)rec->final_status);
	}
	rec->returned = 1;
	irp_release(rec);
	pthread_mutex_unlock(&M);
	return status;
}

int ntm_io_wait(struct ntm_io *io, int timeout_ms)
{
	struct timespec until;
	int done;

	clock_gettime(CLOCK_REALTIME, &until);
	if (timeout_ms > 0) {
		until.tv_sec += timeout_ms / 1000;
		until.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
	}
	pthread_mutex_lock(&M);
	while (!io->done && timeout_ms != 0) {
		if (timeout_ms < 0)
			pthread_cond_wait(&io_changed, &M);
		else if (pthread_cond_timedwait(&io_changed, &M, &until))
			break;
	}
	done = io->done;
	pthread_mutex_unlock(&M);
	return done;
}

/* Send an IRP the model itself waits for (create, cleanup, close). */
static NTSTATUS call_and_wait(struct ntm_irp *rec, struct ntm_io *io)
{
	if (call_dispatch(rec) == STATUS_PENDING)
		ntm_io_wait(io, -1);
	return io->status;
}

/* ---- Unload ------------------------------------------------------------------- */

/* What a driver must have undone when it leaves: pool, IRPs, objects. */
static void check_nothing_left(const char *when)
{
	PDEVICE_OBJECT d, next;
	int i;

	ntm_pool_report_leaks(when);
	pthread_mutex_lock(&M);
	/*
	 * No IRP can be in flight here: every IRP of a user's holds a reference
	 * on its file object, the unload waits for the last file object, and a
	 * kernel-mode caller's IRP is waited for. An IRP left would be the
	 * model's own bug, not the driver's, so it stops the run.
	 */
	if (live_irps) {
		fprintf(stderr, "ntmodel: IRP (code 0x%08x) in flight %s\n", live_irps->code, when);
		abort();
	}
	ntm_checked(NTM_OBJECT_LEFT_AT_UNLOAD);
	for (d = driver_object.DeviceObject; d; d = next) {
		next = d->NextDevice;
		ntm_violation(NTM_OBJECT_LEFT_AT_UNLOAD, "%s: device %s", when,
			      ((struct ntm_device *)d)->name);
		free_device((struct ntm_device *)d);
	}
	driver_object.DeviceObject = NULL;
	for (i = 0; i < MAX_LINKS; i++) {
		if (links[i].link[0])
			ntm_violation(NTM_OBJECT_LEFT_AT_UNLOAD, "%s: symbolic link %s",
				      when, links[i].link);
		links[i].link[0] = '\0';
	}
	pthread_mutex_unlock(&M);
	if (ntm_kernel_handles_open())
		ntm_violation(NTM_OBJECT_LEFT_AT_UNLOAD, "%s: %u kernel handles open", when,
			      ntm_kernel_handles_open());
	ntm_security_forget();
}

/* Run a driver routine at PASSIVE_LEVEL and check it returns as it came. */
static void after_routine(const char *name)
{
	struct ntm_thread *t = ntm_self();

	ntm_checked(NTM_RETURN_WITH_SPINLOCK_HELD);
	if (t->held || t->irql != PASSIVE_LEVEL) {
		ntm_violation(NTM_RETURN_WITH_SPINLOCK_HELD, "%s returned holding %u at IRQL %u",
			      name, t->held, t->irql);
		ntm_thread_recover(PASSIVE_LEVEL);
	}
}

static void unload_now(void)
{
	if (driver_object.DriverUnload)
		driver_object.DriverUnload(&driver_object);
	after_routine("DriverUnload");
	check_nothing_left("after DriverUnload");
	pthread_mutex_lock(&M);
	memset(&driver_object, 0, sizeof(driver_object));
	driver_state = NTM_DRIVER_STOPPED;
	pthread_mutex_unlock(&M);
}

NTSTATUS ntm_driver_start(DRIVER_INITIALIZE *entry)
{
	static WCHAR path[] = L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\spotless";
	UNICODE_STRING registry = { sizeof(path) - sizeof(WCHAR), sizeof(path), path };
	NTSTATUS status;

	pthread_mutex_lock(&M);
	if (driver_state != NTM_DRIVER_STOPPED) {
		pthread_mutex_unlock(&M);
		return STATUS_IMAGE_ALREADY_LOADED;
	}
	memset(&driver_object, 0, sizeof(driver_object));
	driver_state = NTM_DRIVER_UNLOAD_PENDING;	/* no opens while it starts */
	pthread_mutex_unlock(&M);

	status = entry(&driver_object, &registry);
	after_routine("DriverEntry");
	if (!NT_SUCCESS(status)) {
		check_nothing_left("after DriverEntry failed");
		pthread_mutex_lock(&M);
		memset(&driver_object, 0, sizeof(driver_object));
		driver_state = NTM_DRIVER_STOPPED;
		pthread_mutex_unlock(&M);
		return status;
	}
	pthread_mutex_lock(&M);
	driver_state = NTM_DRIVER_RUNNING;
	pthread_mutex_unlock(&M);
	return status;
}

enum ntm_driver_state ntm_driver_stop(void)
{
	pthread_mutex_lock(&M);
	if (driver_state != NTM_DRIVER_RUNNING) {
		enum ntm_driver_state s = driver_state;

		pthread_mutex_unlock(&M);
		return s;
	}
	driver_state = NTM_DRIVER_UNLOAD_PENDING;
	if (files_open) {
		/* "Unload Routine Environment": DriverUnload waits for them. */
		pthread_mutex_unlock(&M);
		return NTM_DRIVER_UNLOAD_PENDING;
	}
	pthread_mutex_unlock(&M);
	unload_now();
	return NTM_DRIVER_STOPPED;
}

enum ntm_driver_state ntm_driver_state(void)
{
	enum ntm_driver_state s;

	pthread_mutex_lock(&M);
	s = driver_state;
	pthread_mutex_unlock(&M);
	return s;
}

unsigned int ntm_open_file_objects(void)
{
	unsigned int n;

	pthread_mutex_lock(&M);
	n = files_open;
	pthread_mutex_unlock(&M);
	return n;
}

unsigned int ntm_pending_irps(void)
{
	struct ntm_irp *r;
	unsigned int n = 0;

	pthread_mutex_lock(&M);
	for (r = live_irps; r; r = r->next)
		n++;
	pthread_mutex_unlock(&M);
	return n;
}

/* An open of the device is over (closed, or refused before it had a file
 * object); the last one lets a pending unload run. */
static void open_ended(struct ntm_device *device)
{
	int unload;

	pthread_mutex_lock(&M);
	device->files--;
	files_open--;
	unload = driver_state == NTM_DRIVER_UNLOAD_PENDING && !files_open &&
		 driver_object.DriverUnload;
	pthread_mutex_unlock(&M);
	if (unload)
		unload_now();
}

/* A file object has no reference left and got its IRP_MJ_CLOSE. */
static void file_forget(struct ntm_file *file)
{
	struct ntm_device *device = file->device;

	free(file);
	open_ended(device);
}

/* Closes whose last reference went meanwhile, sent from a PASSIVE_LEVEL
 * thread with no lock held (as Windows defers the deletion of an object
 * dereferenced at raised IRQL to a worker thread). */
static void run_deferred_closes(void)
{
	struct ntm_file *file;
	struct ntm_io io;

	for (;;) {
		pthread_mutex_lock(&M);
		file = close_queue;
		if (file)
			close_queue = file->next_close;
		pthread_mutex_unlock(&M);
		if (!file)
			return;
		call_and_wait(irp_new(file->device, file, IRP_MJ_CLOSE, &io, NULL), &io);
		file_forget(file);
	}
}

/* ---- The user's side --------------------------------------------------------- */

static ACCESS_MASK map_generic(ACCESS_MASK access, ACCESS_MASK granted)
{
	ACCESS_MASK mapped = access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE |
					GENERIC_ALL | MAXIMUM_ALLOWED);

	if (access & GENERIC_READ)
		mapped |= FILE_GENERIC_READ;
	if (access & GENERIC_WRITE)
		mapped |= FILE_GENERIC_WRITE;
	if (access & GENERIC_EXECUTE)
		mapped |= FILE_GENERIC_EXECUTE;
	if (access & GENERIC_ALL)
		mapped |= FILE_ALL_ACCESS;
	if (access & MAXIMUM_ALLOWED)
		mapped |= granted;
	return mapped;
}

/* "\\.\NAME\rest" -> the device behind \??\NAME, and "\rest" as a file name. */
static struct ntm_device *resolve(const char *path, const char **rest)
{
	char link[NAME_MAX_CHARS];
	size_t n;
	int i;

	if (strncmp(path, "\\\\.\\", 4))
		return NULL;
	path += 4;
	n = strcspn(path, "\\");
	if (n + 4 >= NAME_MAX_CHARS)
		return NULL;
	snprintf(link, sizeof(link), "\\??\\%.*s", (int)n, path);
	*rest = path + n;
	i = link_named(link);
	return i < 0 ? NULL : device_named(links[i].target);
}

NTSTATUS ntm_create_file(const char *path, ACCESS_MASK access, enum ntm_token token,
			 ntm_handle *handle)
{
	IO_SECURITY_CONTEXT context = { 0 };
	ACCESS_STATE state = { 0 };
	struct ntm_device *device;
	struct ntm_file *file;
	struct ntm_irp *rec;
	struct ntm_io io;
	const char *rest = "";
	ACCESS_MASK granted, wanted;
	NTSTATUS status;
	size_t i;
	int slot, secure;

	*handle = 0;
	pthread_mutex_lock(&M);
	device = resolve(path, &rest);
	if (!device) {
		pthread_mutex_unlock(&M);
		return STATUS_OBJECT_NAME_NOT_FOUND;
	}
	if (driver_state != NTM_DRIVER_RUNNING) {
		pthread_mutex_unlock(&M);
		return STATUS_NO_SUCH_DEVICE;
	}
	/* Counted from here, so that an unload waits for this open. */
	device->files++;
	files_open++;
	secure = !rest[0] || (device->object.Characteristics & FILE_DEVICE_SECURE_OPEN);
	pthread_mutex_unlock(&M);
	granted = ntm_security_granted(token);
	wanted = map_generic(access, granted);
	/* Without FILE_DEVICE_SECURE_OPEN a name below the device skips the DACL. */
	if (secure && (wanted & ~granted)) {
		open_ended(device);
		return STATUS_ACCESS_DENIED;
	}

	file = calloc(1, sizeof(*file));
	if (!file)
		abort();
	for (i = 0; i < NAME_MAX_CHARS - 1 && rest[i]; i++)
		file->name[i] = (WCHAR)(unsigned char)rest[i];
	file->object.FileName.Buffer = file->name;
	file->object.FileName.Length = (USHORT)(i * sizeof(WCHAR));
	file->object.FileName.MaximumLength = sizeof(file->name);
	file->object.DeviceObject = &device->object;
	file->device = device;
	file->handles = 1;
	file->refs = 2;		/* its handle, and the create IRP */
	file->granted = wanted;

	state.OriginalDesiredAccess = wanted;
	state.PreviouslyGrantedAccess = wanted;
	context.AccessState = &state;
	context.DesiredAccess = wanted;
	rec = irp_new(device, file, IRP_MJ_CREATE, &io, file);
	IoGetCurrentIrpStackLocation(rec->irp)->Parameters.Create.SecurityContext = &context;
	status = call_and_wait(rec, &io);
	if (!NT_SUCCESS(status)) {
		/* A failed create: the file object goes with no cleanup or close. */
		file_forget(file);
		return status;
	}
	pthread_mutex_lock(&M);
	for (slot = 0; slot < MAX_HANDLES && handles[slot]; slot++)
		;
	if (slot == MAX_HANDLES)
		abort();
	handles[slot] = file;
	pthread_mutex_unlock(&M);
	*handle = slot + 1;
	return STATUS_SUCCESS;
}

/* With M held: the file object behind a handle, or NULL. */
static struct ntm_file *handle_file(ntm_handle handle)
{
	if (handle < 1 || handle > MAX_HANDLES)
		return NULL;
	return handles[handle - 1];
}

NTSTATUS ntm_duplicate_handle(ntm_handle handle, ntm_handle *copy)
{
	struct ntm_file *file;
	int slot;

	*copy = 0;
	pthread_mutex_lock(&M);
	file = handle_file(handle);
	if (!file) {
		pthread_mutex_unlock(&M);
		return STATUS_INVALID_HANDLE;
	}
	for (slot = 0; slot < MAX_HANDLES && handles[slot]; slot++)
		;
	if (slot == MAX_HANDLES)
		abort();
	handles[slot] = file;
	file->handles++;
	pthread_mutex_unlock(&M);
	*copy = slot + 1;
	return STATUS_SUCCESS;
}

NTSTATUS ntm_close_handle(ntm_handle handle)
{
	struct ntm_file *file;
	struct ntm_io io;
	int last;

	pthread_mutex_lock(&M);
	file = handle_file(handle);
	if (!file) {
		pthread_mutex_unlock(&M);
		return STATUS_INVALID_HANDLE;
	}
	handles[handle - 1] = NULL;
	last = --file->handles == 0;
	if (last)
		file->refs++;	/* the cleanup IRP's */
	pthread_mutex_unlock(&M);
	if (last) {
		call_and_wait(irp_new(file->device, file, IRP_MJ_CLEANUP, &io, file), &io);
		pthread_mutex_lock(&M);
		file_deref(file);
		pthread_mutex_unlock(&M);
	}
	run_deferred_closes();
	return STATUS_SUCCESS;
}

/* The buffers of a control code's transfer method, as the I/O manager makes them. */
static void build_buffers(struct ntm_irp *rec, const void *in, ULONG in_len, void *out,
			  ULONG out_len)
{
	IRP *irp = rec->irp;
	ULONG method = rec->code & 3u;
	size_t size = in_len > out_len ? in_len : out_len;

	if (method == 3) {
		IoGetCurrentIrpStackLocation(irp)->Parameters.DeviceIoControl.Type3InputBuffer =
			(PVOID)in;
		irp->UserBuffer = out;
		return;
	}
	if (method != 0)
		size = in_len;
	if (size && (in || method == 0)) {
		rec->system_buffer = malloc(size);
		if (!rec->system_buffer)
			abort();
		memset(rec->system_buffer, 0xA5, size);
		if (in && in_len)
			memcpy(rec->system_buffer, in, in_len);
	}
	irp->AssociatedIrp.SystemBuffer = rec->system_buffer;
	if (method != 0 && out && out_len) {
		rec->mdl = ntm_mdl_new(out, out_len);
		irp->MdlAddress = &rec->mdl->mdl;
	}
	rec->user_out = out;
	rec->out_len = out_len;
}

/*
 * The I/O manager's probes of a user-mode caller's buffers, before any IRP
 * exists ("Buffer Descriptions for I/O Control Codes", MmProbeAndLockPages):
 * the input of every method but NEITHER is probed and copied (a fault in the
 * copy fails the call); a buffered output is probed for writing; a direct
 * output is probed and locked, which touches every page. METHOD_NEITHER's
 * addresses reach the driver as they are. The model's choice where Windows
 * finds a fault only at completion (a buffered output that is in range but
 * not mapped): it refuses before the IRP, with the same status.
 */
static NTSTATUS probe_buffers(ULONG code, const void *in, ULONG in_len, const void *out,
			      ULONG out_len)
{
	if ((code & 3u) == 3u)
		return STATUS_SUCCESS;
	if (in_len && (ntm_user_probe(in, in_len) || !ntm_user_pages_readable(in, in_len)))
		return STATUS_ACCESS_VIOLATION;
	if (out_len && (ntm_user_probe(out, out_len) || !ntm_user_pages_readable(out, out_len)))
		return STATUS_ACCESS_VIOLATION;
	return STATUS_SUCCESS;
}

NTSTATUS ntm_device_io_control(ntm_handle handle, ULONG code, const void *in,
			       ULONG in_len, void *out, ULONG out_len, struct ntm_io *io)
{
	ULONG required = (code >> 14) & 3u;
	struct ntm_file *file;
	struct ntm_irp *rec;
	PIO_STACK_LOCATION stack;
	NTSTATUS status;

	io->done = 0;
	pthread_mutex_lock(&M);
	file = handle_file(handle);
	if (!file) {
		pthread_mutex_unlock(&M);
		status = STATUS_INVALID_HANDLE;
		goto refused;
	}
	if (((required & FILE_READ_ACCESS_BIT) && !(file->granted & FILE_READ_DATA)) ||
	    ((required & FILE_WRITE_ACCESS_BIT) && !(file->granted & FILE_WRITE_DATA))) {
		pthread_mutex_unlock(&M);
		status = STATUS_ACCESS_DENIED;
		goto refused;
	}
	status = probe_buffers(code, in, in_len, out, out_len);
	if (status != STATUS_SUCCESS) {
		pthread_mutex_unlock(&M);
		goto refused;
	}
	file->refs++;	/* the IRP's, so that a close meanwhile waits for it */
	pthread_mutex_unlock(&M);
	/*
	 * Not documented either way: whether an IRP on a handle opened before
	 * a stop still reaches a driver whose unload is pending. The model
	 * sends it, the harder case for the driver.
	 */
	rec = irp_new(file->device, file, IRP_MJ_DEVICE_CONTROL, io, file);
	rec->code = code;
	stack = IoGetCurrentIrpStackLocation(rec->irp);
	stack->Parameters.DeviceIoControl.IoControlCode = code;
	stack->Parameters.DeviceIoControl.InputBufferLength = in_len;
	stack->Parameters.DeviceIoControl.OutputBufferLength = out_len;
	build_buffers(rec, in, in_len, out, out_len);
	status = call_dispatch(rec);
	run_deferred_closes();
	return status == STATUS_PENDING ? STATUS_PENDING : io->status;

refused:
	io->status = status;
	io->information = 0;
	io->done = 1;
	return status;
}

NTSTATUS ntm_cancel_io(ntm_handle handle, const struct ntm_io *io)
{
	struct ntm_irp *found[64], *r;
	struct ntm_file *file;
	unsigned int n = 0, i;

	pthread_mutex_lock(&M);
	file = handle_file(handle);
	if (!file) {
		pthread_mutex_unlock(&M);
		return STATUS_INVALID_HANDLE;
	}
	for (r = live_irps; r && n < 64; r = r->next) {
		if (r->file == file && (!io || r->io == io) && !r->completed) {
			r->cancellers++;
			found[n++] = r;
		}
	}
	pthread_mutex_unlock(&M);
	for (i = 0; i < n; i++)
		IoCancelIrp(found[i]->irp);
	pthread_mutex_lock(&M);
	for (i = 0; i < n; i++) {
		found[i]->cancellers--;
		irp_release(found[i]);
	}
	pthread_mutex_unlock(&M);
	run_deferred_closes();
	return n ? STATUS_SUCCESS : STATUS_NOT_FOUND;
}

/*
 * A thread's exit: the I/O manager cancels every IRP the thread issued that
 * is still in flight (IoCancelThreadIo, "Canceling IRPs") and waits for each
 * to complete. Windows re-cancels and waits up to five minutes before it
 * gives up on an IRP; the model waits up to 5 s and says so. (IRPs of a
 * handle bound to a completion port with thread-agnostic I/O, Windows 8 and
 * later, are not the thread's: the model has no completion ports.)
 */
unsigned int ntm_thread_exit(void)
{
	struct ntm_irp *found[64], *r;
	unsigned int self = ntm_self()->id, n = 0, i;
	struct timespec until;

	pthread_mutex_lock(&M);
	for (r = live_irps; r && n < 64; r = r->next) {
		if (r->thread == self && !r->completed) {
			r->cancellers++;
			found[n++] = r;
		}
	}
	pthread_mutex_unlock(&M);
	for (i = 0; i < n; i++)
		IoCancelIrp(found[i]->irp);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 5;
	pthread_mutex_lock(&M);
	for (i = 0; i < n; i++) {
		while (!found[i]->completed &&
		       !pthread_cond_timedwait(&io_changed, &M, &until))
			;
		if (!found[i]->completed)
			fprintf(stderr, "ntmodel: code 0x%08x not completed 5 s after its thread exited\n",
				found[i]->code);
		found[i]->cancellers--;
		irp_release(found[i]);
	}
	pthread_mutex_unlock(&M);
	run_deferred_closes();
	return n;
}

static struct ntm_device *first_device(void)
{
	struct ntm_device *d;

	pthread_mutex_lock(&M);
	d = driver_state == NTM_DRIVER_RUNNING ? (struct ntm_device *)driver_object.DeviceObject
					       : NULL;
	pthread_mutex_unlock(&M);
	return d;
}

NTSTATUS ntm_kernel_device_control(ULONG code, void *in, ULONG in_len, void *out,
				   ULONG out_len, ULONG_PTR *information)
{
	struct ntm_device *device = first_device();
	struct ntm_irp *rec;
	struct ntm_io io;
	PIO_STACK_LOCATION stack;

	*information = 0;
	if (!device)
		return STATUS_NO_SUCH_DEVICE;
	rec = irp_new(device, NULL, IRP_MJ_DEVICE_CONTROL, &io, NULL);
	rec->irp->RequestorMode = KernelMode;
	rec->code = code;
	stack = IoGetCurrentIrpStackLocation(rec->irp);
	stack->Parameters.DeviceIoControl.IoControlCode = code;
	stack->Parameters.DeviceIoControl.InputBufferLength = in_len;
	stack->Parameters.DeviceIoControl.OutputBufferLength = out_len;
	build_buffers(rec, in, in_len, out, out_len);
	call_and_wait(rec, &io);
	*information = io.information;
	return io.status;
}

NTSTATUS ntm_kernel_create_without_file(void)
{
	struct ntm_device *device = first_device();
	struct ntm_irp *rec;
	struct ntm_io io;

	if (!device)
		return STATUS_NO_SUCH_DEVICE;
	rec = irp_new(device, NULL, IRP_MJ_CREATE, &io, NULL);
	rec->irp->RequestorMode = KernelMode;
	return call_and_wait(rec, &io);
}
