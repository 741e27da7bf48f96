/* SPDX-License-Identifier: MIT */
/*
 * What the CLI itself needs from the OS beyond libspotless and the platform
 * layer (platform/: clock, threads): the words of its hints, the benchmark's
 * floor, the default device. One file per OS: os_windows.c, os_linux.c.
 */
#ifndef SPOTLESS_CLI_PLATFORM_H
#define SPOTLESS_CLI_PLATFORM_H

#include <stdint.h>

/* The cheapest system call the OS has (Linux: getppid); -1 where none is
 * measured (Windows). */
int os_null_syscall(void);

/* Who may do what was refused with "access denied", and how to get there. */
const char *os_access_hint(void);

/*
 * The benchmark's floor (Linux): open PATH, a device whose ioctl returns at
 * once, and call that ioctl; -1 where there is none (Windows).
 */
int os_null_device_open(const char *path);
int os_null_ioctl(int fd);
void os_null_device_close(int fd);

/*
 * Why installing the image at PATH, which exists, said "not found", or NULL:
 * on Linux, a module it depends on that could not be loaded.
 */
const char *os_install_not_found_hint(const char *path);

/* The device a plain 'spotless' opens, as its users name it. */
const char *os_default_device(void);

/* Machine and kernel, for the report. */
void os_describe(char *text, unsigned int size);

#endif /* SPOTLESS_CLI_PLATFORM_H */
