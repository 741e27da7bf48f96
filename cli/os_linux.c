// SPDX-License-Identifier: MIT
/* The CLI's OS helpers on Linux (cli_os.h): getppid, uname, the null device. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cli_os.h"
#include "spotless/wire.h"

int os_null_syscall(void)
{
	return syscall(SYS_getppid) < 0 ? -1 : 0;
}

void os_describe(char *text, unsigned int size)
{
	struct utsname u;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (uname(&u))
		snprintf(text, size, "Linux");
	else
		snprintf(text, size, "%s %s %s, %ld CPU(s)", u.sysname, u.release,
			 u.machine, cpus);
}

const char *os_access_hint(void)
{
	return "the device admits root and group spotless (ls -l /dev/spotless shows its "
	       "owner and mode); loading and unloading the module need root";
}

const char *os_install_not_found_hint(const char *path)
{
	/* finit_module says ENOENT for a symbol no loaded module exports. */
	if (access(path, F_OK) != 0)
		return NULL;
	return "a module it depends on is not loaded and modprobe could not load it "
	       "('modinfo -F depends' on the file names them)";
}

int os_null_device_open(const char *path)
{
	return open(path, O_RDWR | O_CLOEXEC);
}

int os_null_ioctl(int fd)
{
	return ioctl(fd, _IO(0xD5, 0x7F)) < 0 ? -1 : 0;
}

void os_null_device_close(int fd)
{
	close(fd);
}

const char *os_default_device(void)
{
	return SPOTLESS_LINUX_DEVICE_PATH;
}
