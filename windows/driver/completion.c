// SPDX-License-Identifier: MIT
/*
 * What every IRP's path shares, the dispatch routines' (dispatch.c) and the
 * events' (events.c): the one place an IRP is completed, the NTSTATUS of a
 * core status, and the log line of a result. Both depend on this file, not
 * on each other.
 */
#include "driver.h"

/* Every IRP ends here, exactly once, with its status and byte count. */
NTSTATUS spotless_complete_irp(PIRP irp, NTSTATUS status, ULONG_PTR information)
{
	irp->IoStatus.Status = status;
	irp->IoStatus.Information = information;
	IoCompleteRequest(irp, IO_NO_INCREMENT);
	return status;
}

/* The one map from the core's statuses to NTSTATUS values: the table's
 * (include/spotless/commands.h). */
#define SPOTLESS_NTSTATUS_(name, value, text, err, nt, ...) \
	case SPOTLESS_ERR_##name: return (NTSTATUS)(nt);
NTSTATUS spotless_to_ntstatus(enum spotless_status status)
{
	switch (status) {
	SPOTLESS_STATUSES(SPOTLESS_NTSTATUS_)
	}
	return STATUS_INTERNAL_ERROR;
}

/* The one place a request's outcome is logged (events.c's refusals too). */
void spotless_log_result(const struct spotless_request *req,
			 const struct spotless_result *res)
{
	const struct spotless_log_text *msg = &res->logged;

	if (msg->present)
		SPOTLESS_LOG("input received (%lu bytes): \"%s\"%s",
			     (ULONG)msg->length, msg->text,
			     msg->shown < msg->length ? " (truncated)" : "");

	if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS)
		SPOTLESS_LOG("reply sent (%lu bytes): \"%s\"",
			     (ULONG)res->information, SPOTLESS_REPLY);
	else if (res->status == SPOTLESS_OK && req->code == IOCTL_SPOTLESS_BATCH)
		SPOTLESS_LOG("batch of %lu records answered, %lu failed (%lu bytes)",
			     (ULONG)res->batch_records, (ULONG)res->batch_failed,
			     (ULONG)res->information);
	else if (res->status == SPOTLESS_OK)
		SPOTLESS_LOG("IOCTL 0x%08lx answered (%lu bytes)",
			     (ULONG)req->code, (ULONG)res->information);
	else
		SPOTLESS_LOG_ERROR("IOCTL 0x%08lx refused: %s (in %lu, out %lu bytes)",
				   (ULONG)req->code,
				   spotless_status_text(res->status),
				   (ULONG)req->in_len, (ULONG)req->out_len);
}
