/* SPDX-License-Identifier: MIT */
/*
 * spotless's version: the one place it is written. The drivers report it in
 * INFO and in their metadata (modinfo, VERSIONINFO), the library and the CLI
 * in --version; the Makefile, the packages and the Windows zip read it here.
 */
#ifndef SPOTLESS_VERSION_H
#define SPOTLESS_VERSION_H

#define SPOTLESS_VERSION_MAJOR	0
#define SPOTLESS_VERSION_MINOR	5
#define SPOTLESS_VERSION_PATCH	0

#define SPOTLESS_VERSION_TEXT_(a, b, c)	#a "." #b "." #c
#define SPOTLESS_VERSION_TEXT_OF(a, b, c) SPOTLESS_VERSION_TEXT_(a, b, c)
/* "MAJOR.MINOR.PATCH" */
#define SPOTLESS_VERSION_STRING \
	SPOTLESS_VERSION_TEXT_OF(SPOTLESS_VERSION_MAJOR, SPOTLESS_VERSION_MINOR, \
				 SPOTLESS_VERSION_PATCH)

#endif /* SPOTLESS_VERSION_H */
