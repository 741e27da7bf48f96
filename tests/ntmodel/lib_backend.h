/* SPDX-License-Identifier: MIT */
/*
 * libspotless over the NT model (lib_backend.c): the Win32 error numbers it
 * returns, as <winerror.h> defines them, and who its handles belong to.
 */
#ifndef SPOTLESS_NTMODEL_LIB_BACKEND_H
#define SPOTLESS_NTMODEL_LIB_BACKEND_H

#include "ntmodel.h"
#include "spotless.h"

#define NTM_ERROR_INVALID_FUNCTION	1
#define NTM_ERROR_FILE_NOT_FOUND	2
#define NTM_ERROR_ACCESS_DENIED		5
#define NTM_ERROR_INVALID_HANDLE	6
#define NTM_ERROR_NOT_ENOUGH_MEMORY	8
#define NTM_ERROR_INVALID_DATA		13
#define NTM_ERROR_BAD_COMMAND		22
#define NTM_ERROR_CRC			23
#define NTM_ERROR_GEN_FAILURE		31
#define NTM_ERROR_INVALID_PARAMETER	87
#define NTM_ERROR_INSUFFICIENT_BUFFER	122
#define NTM_ERROR_OPERATION_ABORTED	995
#define NTM_ERROR_NO_SYSTEM_RESOURCES	1450
#define NTM_ERROR_INVALID_USER_BUFFER	1784

/* The Win32 path of the device, as the driver's symbolic link makes it. */
#define NTM_DEVICE_PATH	"\\\\.\\SpotlessDeviceLink"

/* A library handle is a model handle (the random run borrows them). */
struct spotless_handle {
	ntm_handle handle;
};

/* The Win32 error of an NTSTATUS (RtlNtStatusToDosError for the driver's). */
spotless_err ntm_win32_error(NTSTATUS status);
/* The token spotless_open uses from now on (an administrator's by default). */
void ntm_backend_token(enum ntm_token token);

#endif /* SPOTLESS_NTMODEL_LIB_BACKEND_H */
