/* SPDX-License-Identifier: MIT */
/*
 * What each OS backend (os_windows.c, ...) gives the portable part of the
 * library, besides the public calls it implements directly.
 */
#ifndef SPOTLESS_LIB_OS_H
#define SPOTLESS_LIB_OS_H

#include "spotless.h"

/* The text of the library's own errors (SPOTLESS_E_*) into text, naming
 * the OS and what its driver is called: 1, or 0 for an OS error number. */
int spotless_own_error_text(spotless_err err, const char *os, const char *driver,
			    char *text, size_t size);

/* This OS's error number for a bad argument. */
spotless_err spotless_os_invalid_argument(void);

#endif /* SPOTLESS_LIB_OS_H */
