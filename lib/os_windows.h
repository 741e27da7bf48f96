/* SPDX-License-Identifier: MIT */
/*
 * What the two Windows files of libspotless share (os_windows.c,
 * os_windows_driver.c).
 */
#ifndef SPOTLESS_LIB_OS_WINDOWS_H
#define SPOTLESS_LIB_OS_WINDOWS_H

/* Windows' answer to an unsigned or badly signed driver; mingw lacks it. */
#ifndef ERROR_INVALID_IMAGE_HASH
#define ERROR_INVALID_IMAGE_HASH 577L
#endif

#endif /* SPOTLESS_LIB_OS_WINDOWS_H */
