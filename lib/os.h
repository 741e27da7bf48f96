/* SPDX-License-Identifier: MIT */
/*
 * What each OS backend (os_windows.c, ...) gives the portable part of the
 * library, besides the public calls it implements directly.
 */
#ifndef SPOTLESS_LIB_OS_H
#define SPOTLESS_LIB_OS_H

#include "spotless.h"

/* This OS's error number for a bad argument. */
spotless_err spotless_os_invalid_argument(void);

#endif /* SPOTLESS_LIB_OS_H */
