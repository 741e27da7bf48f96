// SPDX-License-Identifier: MIT
/*
 * libspotless on Linux, device management: the module loaded with
 * finit_module (the modules it depends on first, by modprobe) and unloaded
 * with delete_module (the spotless_driver_* calls
 * of spotless.h), and what the kernel says about module signatures.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spotless.h"

#define SYSFS_MODULE	"/sys/module/" SPOTLESS_LINUX_MODULE_NAME

extern char **environ;

/* modprobe NAME, quietly; what it could not do shows at finit_module. */
static void modprobe(const char *name)
{
	char *argv[] = { "modprobe", "-q", "--", (char *)name, NULL };
	char sysfs[256];
	pid_t pid;
	int status;

	snprintf(sysfs, sizeof(sysfs), "/sys/module/%s", name);
	if (access(sysfs, F_OK) == 0)
		return;		/* loaded already */
	if (posix_spawnp(&pid, "modprobe", NULL, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
}

/* The bytes of section NAME of a 64-bit ELF image, or NULL; every offset checked. */
static const char *elf_section(const unsigned char *image, size_t size, const char *name,
			       size_t *len)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)image;
	const Elf64_Shdr *sh, *strtab;
	size_t want = strlen(name) + 1;
	unsigned int i;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_shentsize != sizeof(*sh) ||
	    eh->e_shoff > size || eh->e_shnum > (size - eh->e_shoff) / sizeof(*sh) ||
	    eh->e_shstrndx >= eh->e_shnum)
		return NULL;
	sh = (const Elf64_Shdr *)(image + eh->e_shoff);
	strtab = &sh[eh->e_shstrndx];
	if (strtab->sh_offset > size || strtab->sh_size > size - strtab->sh_offset)
		return NULL;
	for (i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_name > strtab->sh_size || strtab->sh_size - sh[i].sh_name < want ||
		    memcmp(image + strtab->sh_offset + sh[i].sh_name, name, want) != 0 ||
		    sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset)
			continue;
		*len = sh[i].sh_size;
		return (const char *)image + sh[i].sh_offset;
	}
	return NULL;
}

/*
 * A module file names the modules it needs in its .modinfo section
 * ("depends=a,b"), which depmod records for modprobe; finit_module loads
 * that one file only. So load them first, as modprobe would: spotless.ko
 * needs libcrc32c on kernels before 6.14.
 */
static void load_dependencies(int fd, size_t size)
{
	const char *p, *end;
	unsigned char *image;
	size_t len;

	if (size == 0)
		return;
	image = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (image == MAP_FAILED)
		return;
	p = elf_section(image, size, ".modinfo", &len);
	for (end = p ? p + len : NULL; p && p < end; p += strnlen(p, (size_t)(end - p)) + 1) {
		size_t n = strnlen(p, (size_t)(end - p));
		char list[256], *name, *save = NULL;

		if (n < 8 || strncmp(p, "depends=", 8) != 0 || n - 8 >= sizeof(list))
			continue;
		memcpy(list, p + 8, n - 8);
		list[n - 8] = '\0';
		for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
			modprobe(name);
	}
	munmap(image, size);
}

spotless_err spotless_driver_install(const char *path)
{
	struct stat st;
	int fd, err = 0;

	if (!path || !*path)
		return EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = ENOEXEC;
	} else {
		load_dependencies(fd, (size_t)st.st_size);
		if (syscall(SYS_finit_module, fd, "", 0) != 0)
			err = errno;
	}
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

	if (!status)
		return EINVAL;
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
	FILE *f;

	if (!text || !size)
		return 0;
	f = fopen("/sys/module/module/parameters/sig_enforce", "r");
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
		 "with a key the kernel trusts (the kernel's scripts/sign-file; DKMS "
		 "signs with /var/lib/dkms/mok.pub, enrolled by mokutil --import).");
	return 1;
}
