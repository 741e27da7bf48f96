// SPDX-License-Identifier: MIT
/*
 * libspotless on Linux, device management: the module loaded with
 * finit_module and unloaded with delete_module (the spotless_driver_* calls
 * of spotless.h), and what the kernel says about module signatures.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "spotless.h"

#define SYSFS_MODULE	"/sys/module/" SPOTLESS_LINUX_MODULE_NAME

spotless_err spotless_driver_install(const char *path)
{
	struct stat st;
	int fd, err = 0;

	if (!path || !*path)
		return EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		err = ENOEXEC;
	else if (syscall(SYS_finit_module, fd, "", 0) != 0)
		err = errno;
	close(fd);
	return err;
}

spotless_err spotless_driver_start(void)
{
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_driver_stop(void)
{
	return SPOTLESS_E_NOT_SUPPORTED;
}

spotless_err spotless_driver_remove(void)
{
	/* O_NONBLOCK: refuse while handles are open instead of waiting. */
	if (syscall(SYS_delete_module, SPOTLESS_LINUX_MODULE_NAME, O_NONBLOCK) == 0)
		return 0;
	return errno == ENOENT ? SPOTLESS_E_NOT_LOADED : errno;
}

spotless_err spotless_driver_query(struct spotless_driver_status *status)
{
	FILE *f;

	memset(status, 0, sizeof(*status));
	status->open_handles = -1;
	if (access(SYSFS_MODULE, F_OK) != 0) {
		status->state = SPOTLESS_DRIVER_NOT_INSTALLED;
		return 0;
	}
	status->state = SPOTLESS_DRIVER_RUNNING;
	/* The module's reference count is its number of open handles. */
	f = fopen(SYSFS_MODULE "/refcnt", "r");
	if (f) {
		char line[32];

		if (fgets(line, sizeof(line), f))
			status->open_handles = atoi(line);
		fclose(f);
	}
	return 0;
}

int spotless_driver_signing_warning(char *text, size_t size)
{
	char value[8] = "";
	FILE *f = fopen("/sys/module/module/parameters/sig_enforce", "r");

	if (!f)
		return 0;
	if (!fgets(value, sizeof(value), f))
		value[0] = '\0';
	fclose(f);
	if (value[0] != 'Y')
		return 0;
	snprintf(text, size,
		 "this kernel enforces module signatures (module.sig_enforce, "
		 "or Secure Boot): an unsigned spotless.ko is refused; sign it "
		 "with a key the kernel trusts (the kernel's scripts/sign-file).");
	return 1;
}
