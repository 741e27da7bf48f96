// SPDX-License-Identifier: MIT
/*
 * IRP dispatch. Each routine ends in spotless_complete_irp() (completion.c):
 * the one place where an IRP is completed, exactly once, with its status
 * and byte count.
 */
#include "driver.h"
#include "user_memory.h"

/*
 * What the handle was opened for, in the terms of a control code's access
 * field, so that the core can check every code's bits once more. Generic
 * rights are looked at too, in case they arrive unmapped. Wine passes no
 * security context at all: then the handle gets both, and the I/O manager's
 * own check of each IRP's code is what holds (BATCH needs read and write
 * access, so no record can reach past the handle's rights either way).
 */
static uint32_t opened_access(PIO_STACK_LOCATION stack)
{
	PIO_SECURITY_CONTEXT ctx = stack->Parameters.Create.SecurityContext;
	ACCESS_MASK mask;
	uint32_t access = 0;

	if (!ctx)
		return SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS;
	mask = ctx->DesiredAccess;
	if (ctx->AccessState)
		mask |= ctx->AccessState->PreviouslyGrantedAccess;
	if (mask & (FILE_READ_DATA | GENERIC_READ | GENERIC_ALL | MAXIMUM_ALLOWED))
		access |= SPOTLESS_FILE_READ_ACCESS;
	if (mask & (FILE_WRITE_DATA | GENERIC_WRITE | GENERIC_ALL | MAXIMUM_ALLOWED))
		access |= SPOTLESS_FILE_WRITE_ACCESS;
	return access;
}

/*
 * Each handle gets its own state, hung on its file object until close. Only
 * opens of the device itself are ours: an IRP with no file object (a kernel
 * caller's) or a name below the device (\\.\SpotlessDeviceLink\foo) is
 * refused before anything is allocated.
 */
_Use_decl_annotations_
NTSTATUS NTAPI spotless_dispatch_create(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_dev *ext = device->DeviceExtension;
	struct spotless_file *handle;

	if (!stack->FileObject) {
		SPOTLESS_LOG_ERROR("open refused: no file object");
		return spotless_complete_irp(irp, STATUS_INVALID_PARAMETER, 0);
	}
	if (stack->FileObject->FileName.Length) {
		SPOTLESS_LOG_ERROR("open refused: a name below the device");
		return spotless_complete_irp(irp, STATUS_OBJECT_NAME_NOT_FOUND, 0);
	}
	/* Non-paged: its event list entry is used under the events' spin lock. */
	handle = spotless_pool_alloc(sizeof(*handle), SPOTLESS_POOL_NON_PAGED);
	if (!handle) {
		SPOTLESS_LOG_ERROR("no memory for a handle's state");
		return spotless_complete_irp(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	}
	spotless_core_allocated(&ext->core);
	spotless_core_handle_opened(&ext->core, &handle->state, opened_access(stack));
	spotless_events_handle_init(handle);
	stack->FileObject->FsContext = handle;
	SPOTLESS_LOG("handle opened");
	spotless_events_opened(ext, handle);
	return spotless_complete_irp(irp, STATUS_SUCCESS, 0);
}

/* The last handle to the file object is closed: its pending waits end. */
_Use_decl_annotations_
NTSTATUS NTAPI spotless_dispatch_cleanup(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);

	if (stack->FileObject->FsContext)
		spotless_events_cleanup(device->DeviceExtension, stack->FileObject);
	SPOTLESS_LOG("handle cleaned up");
	return spotless_complete_irp(irp, STATUS_SUCCESS, 0);
}

_Use_decl_annotations_
NTSTATUS NTAPI spotless_dispatch_close(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_dev *ext = device->DeviceExtension;
	struct spotless_file *handle;

	/*
	 * Windows sends no close while a request of the file object is
	 * pending, and cleanup ended its waits. Wine closes with waits still
	 * queued (no cleanup reaches the driver then): events.c ends them
	 * here, and takes the state off the file object under the event lock,
	 * before it is freed.
	 */
	handle = spotless_events_closed(ext, stack->FileObject);
	if (handle) {
		spotless_core_handle_closed(&ext->core, &handle->state);
		ExFreePoolWithTag(handle, SPOTLESS_POOL_TAG);
		spotless_core_freed(&ext->core);
	}
	SPOTLESS_LOG("handle closed");
	return spotless_complete_irp(irp, STATUS_SUCCESS, 0);
}

/*
 * Where the caller's bytes are, by the code's transfer method:
 * - BUFFERED: one system buffer of max(in, out) bytes holds the input and
 *   receives the output;
 * - IN_DIRECT / OUT_DIRECT: the input is copied to the system buffer; the
 *   output buffer is the caller's own pages, locked by the I/O manager and
 *   described by the IRP's MDL, which we map into system space as far as
 *   the answer can reach (direct_io.c; req->out_len shrinks to match);
 * - NEITHER: raw user addresses; dispatch_neither() copies them, so this
 *   gives the core no buffer (and it refuses any other NEITHER code).
 * Returns FALSE when the MDL cannot be mapped.
 *
 * The system mapping of a caller's pages is data, never code, and for
 * METHOD_IN_DIRECT read-only: those pages were locked for reading, and the
 * caller's buffer may be read-only memory (Windows 8 and later; the driver
 * needs those already for NonPagedPoolNx). mingw-w64's headers lack the
 * names; the values are wdm.h's MdlMappingNoExecute and MdlMappingNoWrite.
 */
#define SPOTLESS_MDL_NO_EXECUTE	0x40000000
#define SPOTLESS_MDL_NO_WRITE	0x80000000

static BOOLEAN map_buffers(PIRP irp, struct spotless_request *req, PMDL *partial)
{
	ULONG reach;

	switch (SPOTLESS_CODE_METHOD(req->code)) {
	case SPOTLESS_METHOD_BUFFERED:
		req->in = irp->AssociatedIrp.SystemBuffer;
		req->out = irp->AssociatedIrp.SystemBuffer;
		break;
	case SPOTLESS_METHOD_IN_DIRECT:
	case SPOTLESS_METHOD_OUT_DIRECT:
		req->in = irp->AssociatedIrp.SystemBuffer;
		req->out = NULL;
		reach = (ULONG)spotless_core_answer_reach(req->code, req->in_len, req->out_len);
		req->out_len = irp->MdlAddress ? reach : 0;
		if (req->out_len) {
			ULONG priority = NormalPagePriority | SPOTLESS_MDL_NO_EXECUTE;

			if (SPOTLESS_CODE_METHOD(req->code) == SPOTLESS_METHOD_IN_DIRECT)
				priority |= SPOTLESS_MDL_NO_WRITE;
			req->out = spotless_map_caller_pages(irp, reach, priority, partial);
			if (!req->out)
				return FALSE;
		}
		break;
	default:
		/* No buffer reaches the core: it refuses the code. */
		req->in_len = 0;
		req->out_len = 0;
		return TRUE;
	}
	return TRUE;
}

/*
 * ECHO by METHOD_NEITHER. The caller's addresses are used only through
 * user_memory.c, under __try: the input is captured once into the driver's
 * own buffer before anything looks at it, the core answers in place there
 * (as with METHOD_BUFFERED), and the answer is written back. Lengths come
 * from the I/O stack only; the buffer is no larger than the input or the
 * answer can be. Up to SMALL_NEITHER bytes it is on the stack (no pool for
 * everyday sizes), beyond from the caller's quota. A fault fails the request
 * with its exception status and 0 bytes.
 */
#define SMALL_NEITHER	256

static NTSTATUS dispatch_neither(struct spotless_dev *ext, struct spotless_file *handle,
				 PIRP irp, struct spotless_request *req)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	size_t room = spotless_core_answer_reach(req->code, req->in_len, req->out_len);
	size_t size = req->in_len > room ? req->in_len : room;
	unsigned char small[SMALL_NEITHER], *buf = NULL;
	struct spotless_result res = { .information = 0 };
	NTSTATUS status;

	/* Paged: device control runs at PASSIVE_LEVEL, and so does all of this. */
	if (size)
		buf = size <= sizeof(small) ? small : spotless_pool_alloc(size, SPOTLESS_POOL_PAGED);
	if (size && !buf) {
		status = STATUS_INSUFFICIENT_RESOURCES;
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: no memory for %lu bytes",
				   (ULONG)req->code, (ULONG)size);
		goto free_buffer;
	}
	status = spotless_user_read(buf, stack->Parameters.DeviceIoControl.Type3InputBuffer,
				    req->in_len, irp->RequestorMode);
#ifdef SPOTLESS_TEST_HOOKS
	/* Test builds only: the driver itself touches an unmapped address. */
	if (NT_SUCCESS(status) && req->in_len >= 14 && RtlCompareMemory(buf, "spotless:fault", 14) == 14)
		status = spotless_user_read(buf, (const void *)(ULONG_PTR)0x10, 8, KernelMode);
#endif
	if (!NT_SUCCESS(status)) {
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: the caller's input is not readable (0x%08lx)",
				   (ULONG)req->code, (ULONG)status);
		spotless_core_refuse(&ext->core, &handle->state, req->code,
				     SPOTLESS_ERR_BAD_REQUEST, &res);
		goto free_buffer;
	}
	req->in = buf;
	req->out = buf;
	req->out_len = room;
	spotless_core_handle(&ext->core, &handle->state, req, &res);
	req->out_len = stack->Parameters.DeviceIoControl.OutputBufferLength;
	spotless_log_result(req, &res);
	/* The caller's request keeps no pointer to this frame's buffer. */
	req->in = NULL;
	req->out = NULL;
	status = spotless_to_ntstatus(res.status);
	if (NT_SUCCESS(status)) {
		status = spotless_user_write(irp->UserBuffer, buf, res.information,
					     irp->RequestorMode);
		if (!NT_SUCCESS(status))
			SPOTLESS_LOG_ERROR("IOCTL 0x%08lx: the caller's output is not writable (0x%08lx)",
					   (ULONG)req->code, (ULONG)status);
	}
free_buffer:
	if (buf && buf != small)
		ExFreePoolWithTag(buf, SPOTLESS_POOL_TAG);
	return spotless_complete_irp(irp, status, NT_SUCCESS(status) ? res.information : 0);
}

_Use_decl_annotations_
NTSTATUS NTAPI spotless_dispatch_device_control(PDEVICE_OBJECT device, PIRP irp)
{
	PIO_STACK_LOCATION stack = IoGetCurrentIrpStackLocation(irp);
	struct spotless_dev *ext = device->DeviceExtension;
	struct spotless_file *handle;
	struct spotless_request req = { 0 };
	struct spotless_result res;
	enum spotless_status status;
	PMDL partial = NULL;

	req.code = stack->Parameters.DeviceIoControl.IoControlCode;
	req.in_len = stack->Parameters.DeviceIoControl.InputBufferLength;
	req.out_len = stack->Parameters.DeviceIoControl.OutputBufferLength;
	SPOTLESS_LOG("IOCTL 0x%08lx issued", (ULONG)req.code);
	/*
	 * Requests come on a handle opened through the link, whose state was
	 * hung on its file object at create. A kernel-mode caller's IRP may
	 * carry no file object at all.
	 */
	handle = stack->FileObject ? stack->FileObject->FsContext : NULL;
	if (!handle) {
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: not sent on a handle of the device",
				   (ULONG)req.code);
		return spotless_complete_irp(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
	}
	/* The event codes may leave the IRP pending: events.c owns them. */
	if (req.code == IOCTL_SPOTLESS_POST)
		return spotless_dispatch_post(ext, irp);
	if (req.code == IOCTL_SPOTLESS_WAIT_EVENT)
		return spotless_dispatch_wait_event(ext, irp);
	/* A request refused for its size maps nothing (a 2 GiB IN_DIRECT ECHO). */
	status = spotless_core_check_sizes(req.code, req.in_len, req.out_len);
	if (status != SPOTLESS_OK) {
		spotless_core_refuse(&ext->core, &handle->state, req.code, status, &res);
		spotless_log_result(&req, &res);
		return spotless_complete_irp(irp, spotless_to_ntstatus(status), 0);
	}
	if (req.code == IOCTL_SPOTLESS_ECHO_NEITHER)
		return dispatch_neither(ext, handle, irp, &req);
	if (!map_buffers(irp, &req, &partial)) {
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx: cannot map the caller's buffer",
				   (ULONG)req.code);
		return spotless_complete_irp(irp, STATUS_INSUFFICIENT_RESOURCES, 0);
	}

	spotless_core_handle(&ext->core, &handle->state, &req, &res);
	spotless_unmap_caller_pages(partial);
	/* The log names the caller's lengths, not what was mapped of them. */
	req.in_len = stack->Parameters.DeviceIoControl.InputBufferLength;
	req.out_len = stack->Parameters.DeviceIoControl.OutputBufferLength;
	spotless_log_result(&req, &res);
	return spotless_complete_irp(irp, spotless_to_ntstatus(res.status), res.information);
}
