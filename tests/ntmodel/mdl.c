// SPDX-License-Identifier: MIT
/*
 * The model's MDLs: the one the I/O manager builds over a caller's buffer
 * for METHOD_IN_DIRECT and METHOD_OUT_DIRECT, the driver's own
 * (IoAllocateMdl), partial ones over part of another's pages
 * (IoBuildPartialMdl), and their system-space mappings. Windows' rules:
 *
 * - IoBuildPartialMdl: the range lies inside the source MDL's buffer.
 * - MmPrepareMdlForReuse: a mapped partial MDL is unmapped before it is
 *   freed or reused.
 * - A partial MDL describes pages its source keeps locked: it is gone before
 *   the IRP whose MDL it borrows is completed (the I/O manager unlocks the
 *   pages then).
 *
 * Each mapping is counted, and the largest kept, so that a test sees how
 * many bytes of system space a request cost.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model_internal.h"

/* Stand-in for exhausted system PTEs: a larger MDL is never mapped. */
#define MAP_LIMIT	(64u << 20)

static pthread_mutex_t mdl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ntm_mdl *driver_mdls;	/* IoAllocateMdl's, not yet freed */
static unsigned int driver_mdl_count;
static ULONG last_mapping_priority;
static size_t largest_mapping;

static struct ntm_mdl *mdl_alloc(void *user, size_t len)
{
	struct ntm_mdl *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->mdl.StartVa = (PVOID)((uintptr_t)user & ~(uintptr_t)4095);
	m->mdl.ByteOffset = (ULONG)((uintptr_t)user & 4095);
	m->mdl.ByteCount = (ULONG)len;
	m->user = user;
	m->len = len;
	return m;
}

struct ntm_mdl *ntm_mdl_new(void *user, size_t len)
{
	return mdl_alloc(user, len);
}

/* The mapping's bytes go back to the caller's when it may have written them. */
static void unmap(struct ntm_mdl *m)
{
	if (!m->mapping)
		return;
	if (m->writable)
		memcpy(m->user, m->mapping, m->len);
	munmap(m->mapping, m->map_len);
	m->mapping = NULL;
	m->mdl.MappedSystemVa = NULL;
	m->mdl.MdlFlags &= ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED);
}

void ntm_mdl_finish(struct ntm_mdl *m, ULONG code)
{
	struct ntm_mdl *d;

	ntm_checked(NTM_PARTIAL_MDL_OUTLIVES_IRP);
	pthread_mutex_lock(&mdl_lock);
	for (d = driver_mdls; d; d = d->next)
		if (d->source == m)
			ntm_violation(NTM_PARTIAL_MDL_OUTLIVES_IRP,
				      "code 0x%08x: a partial MDL of %zu bytes", code, d->len);
	pthread_mutex_unlock(&mdl_lock);
	unmap(m);
	free(m);
}

PMDL IoAllocateMdl(PVOID va, ULONG length, BOOLEAN secondary, BOOLEAN charge_quota, PIRP irp)
{
	struct ntm_mdl *m;

	(void)secondary;
	(void)charge_quota;
	(void)irp;
	if (ntm_fault("IoAllocateMdl"))
		return NULL;
	m = mdl_alloc(va, length);
	pthread_mutex_lock(&mdl_lock);
	m->next = driver_mdls;
	driver_mdls = m;
	__atomic_add_fetch(&driver_mdl_count, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&mdl_lock);
	return &m->mdl;
}

void IoBuildPartialMdl(PMDL source, PMDL target, PVOID va, ULONG length)
{
	struct ntm_mdl *s = (struct ntm_mdl *)source, *t = (struct ntm_mdl *)target;
	uintptr_t from = (uintptr_t)va, start = (uintptr_t)s->user;

	ntm_checked(NTM_PARTIAL_MDL_OUTSIDE_SOURCE);
	if (from < start || from + length > start + s->len || from + length < from) {
		ntm_violation(NTM_PARTIAL_MDL_OUTSIDE_SOURCE,
			      "%u bytes at +%td of a %zu-byte MDL", length,
			      (ptrdiff_t)(from - start), s->len);
		return;
	}
	t->source = s;
	t->user = va;
	t->len = length;
	t->mdl.MdlFlags |= MDL_PARTIAL;
}

void MmUnmapLockedPages(PVOID base, PMDL mdl)
{
	(void)base;
	unmap((struct ntm_mdl *)mdl);
}

void IoFreeMdl(PMDL mdl)
{
	struct ntm_mdl *m = (struct ntm_mdl *)mdl, **p;

	ntm_checked(NTM_PARTIAL_MDL_FREED_MAPPED);
	if (m->mdl.MdlFlags & MDL_PARTIAL_HAS_BEEN_MAPPED) {
		ntm_violation(NTM_PARTIAL_MDL_FREED_MAPPED, "%zu bytes still mapped", m->len);
		unmap(m);
	}
	pthread_mutex_lock(&mdl_lock);
	for (p = &driver_mdls; *p && *p != m; p = &(*p)->next)
		;
	if (*p) {
		*p = m->next;
		__atomic_sub_fetch(&driver_mdl_count, 1, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&mdl_lock);
	free(m);
}

/*
 * The system-space view of the caller's pages: a copy in pages of its own,
 * read-only when the caller asks for MdlMappingNoWrite (so a write through
 * it faults, as it would in Windows), copied back when it is unmapped (at
 * completion for the I/O manager's MDL) otherwise.
 */
PVOID MmGetSystemAddressForMdlSafe(PMDL mdl, ULONG priority)
{
	struct ntm_mdl *m = (struct ntm_mdl *)mdl;
	long page = sysconf(_SC_PAGESIZE);

	__atomic_store_n(&last_mapping_priority, priority, __ATOMIC_RELAXED);
	if (m->mapping)
		return m->mapping;
	if (ntm_fault("MmGetSystemAddressForMdlSafe"))
		return NULL;
	if (m->len > MAP_LIMIT)
		return NULL;
	m->map_len = (m->len + (size_t)page - 1) / (size_t)page * (size_t)page;
	if (!m->map_len)
		m->map_len = (size_t)page;
	m->mapping = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m->mapping == MAP_FAILED) {
		m->mapping = NULL;
		return NULL;
	}
	memcpy(m->mapping, m->user, m->len);
	m->writable = !(priority & MdlMappingNoWrite);
	if (!m->writable)
		mprotect(m->mapping, m->map_len, PROT_READ);
	m->mdl.MappedSystemVa = m->mapping;
	m->mdl.MdlFlags |= (m->mdl.MdlFlags & MDL_PARTIAL) ? MDL_PARTIAL_HAS_BEEN_MAPPED
							   : MDL_MAPPED_TO_SYSTEM_VA;
	pthread_mutex_lock(&mdl_lock);
	if (m->len > largest_mapping)
		largest_mapping = m->len;
	pthread_mutex_unlock(&mdl_lock);
	return m->mapping;
}

ULONG ntm_last_mapping_priority(void)
{
	return __atomic_load_n(&last_mapping_priority, __ATOMIC_RELAXED);
}

size_t ntm_largest_mapping(void)
{
	size_t n;

	pthread_mutex_lock(&mdl_lock);
	n = largest_mapping;
	largest_mapping = 0;
	pthread_mutex_unlock(&mdl_lock);
	return n;
}

unsigned int ntm_driver_mdls(void)
{
	return __atomic_load_n(&driver_mdl_count, __ATOMIC_RELAXED);
}
