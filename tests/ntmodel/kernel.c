// SPDX-License-Identifier: MIT
/*
 * IRQL, spin locks, pool and debug output as Windows defines them, each
 * call checked against its documented IRQL and its pairing rule.
 *
 * IRQL is a number per thread: KeAcquireSpinLock raises it to
 * DISPATCH_LEVEL and KeReleaseSpinLock puts back what the caller passes.
 * There is no real preemption to mask; what the model checks is that the
 * driver asks for the right levels in the right order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model_internal.h"

/* ---- Threads and IRQL ------------------------------------------------------ */

static _Thread_local struct ntm_thread self;
static unsigned int next_thread_id;

struct ntm_thread *ntm_self(void)
{
	if (!self.id)
		self.id = __atomic_add_fetch(&next_thread_id, 1, __ATOMIC_RELAXED);
	return &self;
}

KIRQL KeGetCurrentIrql(void)
{
	return ntm_self()->irql;
}

void KeRaiseIrql(KIRQL new_irql, PKIRQL old_irql)
{
	struct ntm_thread *t = ntm_self();

	*old_irql = t->irql;
	t->irql = new_irql;
}

void KeLowerIrql(KIRQL new_irql)
{
	ntm_self()->irql = new_irql;
}

void ntm_require_passive(const char *call)
{
	ntm_checked(NTM_PASSIVE_CALL_AT_RAISED_IRQL);
	if (KeGetCurrentIrql() != PASSIVE_LEVEL)
		ntm_violation(NTM_PASSIVE_CALL_AT_RAISED_IRQL, "%s at IRQL %u", call,
			      KeGetCurrentIrql());
}

/* ---- Spin locks ------------------------------------------------------------ */

void KeInitializeSpinLock(PKSPIN_LOCK lock)
{
	pthread_mutex_init(&lock->mutex, NULL);
	lock->owner = 0;
	lock->taken_from = PASSIVE_LEVEL;
	lock->initialised = 1;
}

static void check_lock_order(const struct ntm_thread *t, PKSPIN_LOCK lock);

void KeAcquireSpinLock(PKSPIN_LOCK lock, PKIRQL old_irql)
{
	struct ntm_thread *t = ntm_self();

	ntm_checked(NTM_SPINLOCK_ACQUIRED_RECURSIVELY);
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) == t->id) {
		/* Windows would spin forever; the model says so and stops. */
		ntm_violation(NTM_SPINLOCK_ACQUIRED_RECURSIVELY, "lock %p", (void *)lock);
		abort();
	}
	check_lock_order(t, lock);
	pthread_mutex_lock(&lock->mutex);
	__atomic_store_n(&lock->owner, t->id, __ATOMIC_RELAXED);
	*old_irql = t->irql;
	lock->taken_from = t->irql;
	if (t->irql < DISPATCH_LEVEL)
		t->irql = DISPATCH_LEVEL;
	if (t->held == NTM_MAX_HELD_LOCKS) {
		/* No driver of ours nests spin locks this deep: a bug of its own. */
		fprintf(stderr, "ntmodel: more than %d spin locks held\n", NTM_MAX_HELD_LOCKS);
		abort();
	}
	t->locks[t->held++] = lock;
}

/*
 * Lock order, as Driver Verifier's deadlock detection sees it: each spin lock
 * taken while another is held records "held, then this one"; taking them the
 * other way round anywhere later is a deadlock waiting for two processors,
 * even if this run never had them race. A lock's memory freed forgets it.
 */
#define MAX_ORDER_PAIRS	256

static pthread_mutex_t order_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct {
	PKSPIN_LOCK first, then;
} order[MAX_ORDER_PAIRS];
static unsigned int order_pairs;

static void check_lock_order(const struct ntm_thread *t, PKSPIN_LOCK lock)
{
	unsigned int i, j;

	pthread_mutex_lock(&order_mutex);
	for (i = 0; i < t->held; i++) {
		int known = 0;

		ntm_checked(NTM_LOCK_ORDER_INVERTED);
		for (j = 0; j < order_pairs; j++) {
			if (order[j].first == lock && order[j].then == t->locks[i])
				ntm_violation(NTM_LOCK_ORDER_INVERTED,
					      "lock %p taken holding %p; the other order was seen",
					      (void *)lock, (void *)t->locks[i]);
			known |= order[j].first == t->locks[i] && order[j].then == lock;
		}
		if (!known && order_pairs < MAX_ORDER_PAIRS) {
			order[order_pairs].first = t->locks[i];
			order[order_pairs].then = lock;
			order_pairs++;
		}
	}
	pthread_mutex_unlock(&order_mutex);
}

void ntm_locks_forget(const void *start, size_t len)
{
	uintptr_t from = (uintptr_t)start, to = from + len;
	unsigned int i = 0;

	pthread_mutex_lock(&order_mutex);
	while (i < order_pairs) {
		uintptr_t a = (uintptr_t)order[i].first, b = (uintptr_t)order[i].then;

		if ((a >= from && a < to) || (b >= from && b < to))
			order[i] = order[--order_pairs];
		else
			i++;
	}
	pthread_mutex_unlock(&order_mutex);
}

static void forget_held(struct ntm_thread *t, PKSPIN_LOCK lock)
{
	unsigned int i;

	for (i = 0; i + 1 < t->held; i++) {
		if (t->locks[i] == lock) {
			t->locks[i] = t->locks[t->held - 1];
			break;
		}
	}
	t->held--;
}

void KeReleaseSpinLock(PKSPIN_LOCK lock, KIRQL new_irql)
{
	struct ntm_thread *t = ntm_self();

	ntm_checked(NTM_SPINLOCK_NOT_OWNED);
	ntm_checked(NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL);
	if (__atomic_load_n(&lock->owner, __ATOMIC_RELAXED) != t->id) {
		ntm_violation(NTM_SPINLOCK_NOT_OWNED, "lock %p released by thread %u",
			      (void *)lock, t->id);
		return;
	}
	if (t->irql != DISPATCH_LEVEL)
		ntm_violation(NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL,
			      "lock %p released at IRQL %u, not DISPATCH_LEVEL",
			      (void *)lock, t->irql);
	if (new_irql != lock->taken_from)
		ntm_violation(NTM_SPINLOCK_RELEASED_AT_WRONG_IRQL,
			      "lock %p taken at IRQL %u, released to %u",
			      (void *)lock, lock->taken_from, new_irql);
	__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
	forget_held(t, lock);
	pthread_mutex_unlock(&lock->mutex);
	t->irql = new_irql;
}

void ntm_thread_recover(KIRQL irql)
{
	struct ntm_thread *t = ntm_self();

	while (t->held) {
		PKSPIN_LOCK lock = t->locks[t->held - 1];

		__atomic_store_n(&lock->owner, 0, __ATOMIC_RELAXED);
		t->held--;
		pthread_mutex_unlock(&lock->mutex);
	}
	t->irql = irql;
}

LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER frequency)
{
	struct timespec ts;
	LARGE_INTEGER now;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (frequency)
		frequency->QuadPart = 1000000000;
	now.QuadPart = (LONGLONG)ts.tv_sec * 1000000000 + ts.tv_nsec;
	return now;
}

NTSTATUS KeDelayExecutionThread(KPROCESSOR_MODE mode, BOOLEAN alertable,
				PLARGE_INTEGER interval)
{
	LONGLONG units = interval->QuadPart < 0 ? -interval->QuadPart : 0;
	struct timespec ts = { (time_t)(units / 10000000), (long)(units % 10000000) * 100 };

	UNREFERENCED_PARAMETER(mode);
	UNREFERENCED_PARAMETER(alertable);
	ntm_checked(NTM_PASSIVE_CALL_AT_RAISED_IRQL);
	if (KeGetCurrentIrql() > APC_LEVEL)
		ntm_violation(NTM_PASSIVE_CALL_AT_RAISED_IRQL,
			      "KeDelayExecutionThread at IRQL %u", KeGetCurrentIrql());
	nanosleep(&ts, NULL);
	return STATUS_SUCCESS;
}

/* ---- Pool ---------------------------------------------------------------------- */

/*
 * Every block the driver holds, with its tag, so that a free with another
 * tag, a second free and a leak at unload are named. The list is short (a
 * few blocks per open handle), so a linear search is enough.
 */
struct pool_block {
	struct pool_block *next;
	void *address;
	size_t size;
	ULONG tag;
};

static pthread_mutex_t pool_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct pool_block *pool_blocks;
static unsigned long pool_count;

/*
 * Every allocation: IRQL (paged pool below DISPATCH_LEVEL), no executable
 * pool, the low-resources fault point, and pool a caller's request causes
 * charged to it. Windows does not zero pool unless asked: neither does the
 * model.
 */
static PVOID pool_take(const char *call, int paged, int executable, size_t size, ULONG tag,
		       int charged, int zeroed)
{
	struct pool_block *b;
	KIRQL irql = KeGetCurrentIrql();

	ntm_checked(NTM_POOL_AT_HIGH_IRQL);
	ntm_checked(NTM_POOL_EXECUTABLE);
	ntm_checked(NTM_POOL_NOT_CHARGED);
	if (irql > DISPATCH_LEVEL || (paged && irql >= DISPATCH_LEVEL))
		ntm_violation(NTM_POOL_AT_HIGH_IRQL, "%s(%s) at IRQL %u", call,
			      paged ? "paged" : "non-paged", irql);
	if (executable)
		ntm_violation(NTM_POOL_EXECUTABLE, "NonPagedPool (executable), %zu bytes", size);
	if (ntm_self()->in_dispatch && !charged)
		ntm_violation(NTM_POOL_NOT_CHARGED, "%s of %zu bytes in a caller's request, "
			      "charged to nobody", call, size);
	if (ntm_fault(call))
		return NULL;
	b = malloc(sizeof(*b));
	if (!b)
		abort();
	b->address = malloc(size ? size : 1);
	if (!b->address)
		abort();
	memset(b->address, zeroed ? 0 : 0xA5, size);
	b->size = size;
	b->tag = tag;
	pthread_mutex_lock(&pool_mutex);
	b->next = pool_blocks;
	pool_blocks = b;
	pool_count++;
	pthread_mutex_unlock(&pool_mutex);
	return b->address;
}

PVOID ExAllocatePoolWithTag(POOL_TYPE type, size_t size, ULONG tag)
{
	return pool_take("ExAllocatePoolWithTag", type == PagedPool, type == NonPagedPool, size,
			 tag, 0, 0);
}

static unsigned long quota_calls, pool2_calls;
static int pool2_present = 1;

PVOID ExAllocatePoolWithQuotaTag(int type, size_t size, ULONG tag)
{
	int base = type & ~POOL_QUOTA_FAIL_INSTEAD_OF_RAISE;

	__atomic_add_fetch(&quota_calls, 1, __ATOMIC_RELAXED);
	ntm_checked(NTM_POOL_QUOTA_RAISES);
	if (!(type & POOL_QUOTA_FAIL_INSTEAD_OF_RAISE))
		ntm_violation(NTM_POOL_QUOTA_RAISES, "%zu bytes, type %d", size, type);
	return pool_take("ExAllocatePoolWithQuotaTag", base == PagedPool, base == NonPagedPool,
			 size, tag, 1, 0);
}

/* ExAllocatePool2's flags (wdm.h). */
#define POOL_FLAG_USE_QUOTA	0x1ull
#define POOL_FLAG_UNINITIALIZED	0x2ull
#define POOL_FLAG_NON_PAGED	0x40ull
#define POOL_FLAG_PAGED		0x100ull

static PVOID NTAPI model_pool2(ULONG64 flags, SIZE_T size, ULONG tag)
{
	int paged = (flags & POOL_FLAG_PAGED) != 0;

	__atomic_add_fetch(&pool2_calls, 1, __ATOMIC_RELAXED);
	/* One pool type, exactly: Windows fails the call otherwise. */
	if (paged == ((flags & POOL_FLAG_NON_PAGED) != 0))
		return NULL;
	return pool_take("ExAllocatePool2", paged, 0, size, tag,
			 (flags & POOL_FLAG_USE_QUOTA) != 0, !(flags & POOL_FLAG_UNINITIALIZED));
}

PVOID MmGetSystemRoutineAddress(PUNICODE_STRING name)
{
	static const WCHAR pool2_name[] = { 'E', 'x', 'A', 'l', 'l', 'o', 'c', 'a', 't', 'e',
					    'P', 'o', 'o', 'l', '2' };

	ntm_require_passive("MmGetSystemRoutineAddress");
	if (pool2_present && name->Length == sizeof(pool2_name) &&
	    !memcmp(name->Buffer, pool2_name, sizeof(pool2_name)))
		return (PVOID)(ULONG_PTR)model_pool2;
	return NULL;
}

void ntm_set_pool2(int present)
{
	pool2_present = present;
}

unsigned long ntm_pool2_calls(void)
{
	return __atomic_load_n(&pool2_calls, __ATOMIC_RELAXED);
}

unsigned long ntm_pool_quota_calls(void)
{
	return __atomic_load_n(&quota_calls, __ATOMIC_RELAXED);
}

void ExFreePoolWithTag(PVOID block, ULONG tag)
{
	struct pool_block **p, *b = NULL;

	ntm_checked(NTM_POOL_AT_HIGH_IRQL);
	ntm_checked(NTM_POOL_FREED_TWICE);
	ntm_checked(NTM_POOL_FREED_WITH_WRONG_TAG);
	if (KeGetCurrentIrql() > DISPATCH_LEVEL)
		ntm_violation(NTM_POOL_AT_HIGH_IRQL, "ExFreePoolWithTag at IRQL %u",
			      KeGetCurrentIrql());
	pthread_mutex_lock(&pool_mutex);
	for (p = &pool_blocks; *p; p = &(*p)->next) {
		if ((*p)->address == block) {
			b = *p;
			*p = b->next;
			pool_count--;
			break;
		}
	}
	pthread_mutex_unlock(&pool_mutex);
	if (!b) {
		ntm_violation(NTM_POOL_FREED_TWICE, "%p is not an allocated block", block);
		return;
	}
	if (b->tag != tag)
		ntm_violation(NTM_POOL_FREED_WITH_WRONG_TAG,
			      "block of %zu bytes tagged 0x%08x freed with 0x%08x",
			      b->size, b->tag, tag);
	ntm_locks_forget(b->address, b->size);
	free(b->address);
	free(b);
}

unsigned long ntm_pool_blocks(void)
{
	unsigned long n;

	pthread_mutex_lock(&pool_mutex);
	n = pool_count;
	pthread_mutex_unlock(&pool_mutex);
	return n;
}

unsigned long ntm_pool_report_leaks(const char *when)
{
	struct pool_block *b;
	unsigned long n = 0;

	ntm_checked(NTM_POOL_LEAKED_AT_UNLOAD);
	pthread_mutex_lock(&pool_mutex);
	while ((b = pool_blocks) != NULL) {
		ntm_violation(NTM_POOL_LEAKED_AT_UNLOAD, "%s: %zu bytes tagged 0x%08x",
			      when, b->size, b->tag);
		/* Reported once: the model takes it back, as unloading would. */
		pool_blocks = b->next;
		pool_count--;
		free(b->address);
		free(b);
		n++;
	}
	pthread_mutex_unlock(&pool_mutex);
	return n;
}

/* ---- DbgPrintEx -------------------------------------------------------------- */

#define LOG_LINES	512
#define LOG_LINE_MAX	512	/* Windows cuts a DbgPrint line at 512 bytes */

static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
static char log_ring[LOG_LINES][LOG_LINE_MAX];
static unsigned long log_next, log_marked;
static int log_echo = -1;

void ntm_log_echo(int on)
{
	log_echo = on;
}

void ntm_log_line(const char *line)
{
	pthread_mutex_lock(&log_mutex);
	if (log_echo < 0) {
		const char *env = getenv("NTMODEL_LOG");

		log_echo = env && *env == '1';
	}
	snprintf(log_ring[log_next % LOG_LINES], LOG_LINE_MAX, "%s", line);
	log_next++;
	if (log_echo)
		fprintf(stderr, "[ntmodel] %s", line);
	pthread_mutex_unlock(&log_mutex);
}

void ntm_log_mark(void)
{
	pthread_mutex_lock(&log_mutex);
	log_marked = log_next;
	pthread_mutex_unlock(&log_mutex);
}

unsigned int ntm_log_count(const char *text)
{
	unsigned long i, first;
	unsigned int n = 0;

	pthread_mutex_lock(&log_mutex);
	first = log_next - log_marked > LOG_LINES ? log_next - LOG_LINES : log_marked;
	for (i = first; i < log_next; i++)
		n += strstr(log_ring[i % LOG_LINES], text) != NULL;
	pthread_mutex_unlock(&log_mutex);
	return n;
}

/*
 * Windows' DbgPrint format, which is not the host's printf: "l" means 32
 * bits (ULONG), "ll" / "I64" 64, and "ws" is a UTF-16 string. Each
 * conversion is rebuilt for the host's snprintf with the right type.
 */
static size_t format_wide(char *out, size_t room, const WCHAR *s, int precision)
{
	size_t n = 0;
	int i;

	for (i = 0; s && (precision < 0 || i < precision) && s[i]; i++) {
		if (n + 1 < room)
			out[n] = s[i] < 0x80 ? (char)s[i] : '?';
		n++;
	}
	if (room)
		out[n < room ? n : room - 1] = '\0';
	return n;
}

static void nt_vformat(char *out, size_t size, const char *fmt, va_list ap, int *wide)
{
	size_t len = 0;

	*wide = 0;
	while (*fmt && len + 1 < size) {
		char spec[32];
		size_t s = 0;
		int width = -1, precision = -1, longs = 0, w = 0;

		if (*fmt != '%') {
			out[len++] = *fmt++;
			continue;
		}
		spec[s++] = *fmt++;
		if (*fmt == '%') {
			out[len++] = *fmt++;
			continue;
		}
		while (*fmt && strchr("-+ #0", *fmt) && s < 8)
			spec[s++] = *fmt++;
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9' && s < 16)
				spec[s++] = *fmt++;
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			} else {
				precision = 0;
				while (*fmt >= '0' && *fmt <= '9')
					precision = precision * 10 + (*fmt++ - '0');
			}
		}
		for (;;) {
			if (*fmt == 'l') {
				longs++;
				fmt++;
			} else if (*fmt == 'w') {
				w = 1;
				fmt++;
			} else if (!strncmp(fmt, "I64", 3)) {
				longs = 2;
				fmt += 3;
			} else {
				break;
			}
		}
		if (width >= 0)
			s += (size_t)snprintf(spec + s, sizeof(spec) - s, "%d", width);
		if (precision >= 0)
			s += (size_t)snprintf(spec + s, sizeof(spec) - s, ".%d", precision);
		switch (*fmt) {
		case 'd':
		case 'i':
		case 'u':
		case 'x':
		case 'X':
			if (longs >= 2) {
				spec[s++] = 'l';
				spec[s++] = 'l';
				spec[s++] = *fmt;
				spec[s] = '\0';
				len += (size_t)snprintf(out + len, size - len, spec,
							va_arg(ap, long long));
			} else {
				spec[s++] = *fmt;
				spec[s] = '\0';
				len += (size_t)snprintf(out + len, size - len, spec,
							va_arg(ap, int));
			}
			break;
		case 'c':
			out[len++] = (char)va_arg(ap, int);
			break;
		case 'p':
			len += (size_t)snprintf(out + len, size - len, "%p", va_arg(ap, void *));
			break;
		case 's':
		case 'S':
			if (w || longs || *fmt == 'S') {
				*wide = 1;
				len += format_wide(out + len, size - len,
						   va_arg(ap, const WCHAR *), precision);
			} else {
				spec[s++] = 's';
				spec[s] = '\0';
				len += (size_t)snprintf(out + len, size - len, spec,
							va_arg(ap, const char *));
			}
			break;
		default:
			/* Not a conversion the driver uses: show it as written. */
			len += (size_t)snprintf(out + len, size - len, "%%%c", *fmt);
			break;
		}
		if (*fmt)
			fmt++;
		if (len >= size)
			len = size - 1;
	}
	out[len] = '\0';
}

ULONG DbgPrintEx(ULONG component, ULONG level, const char *format, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;
	int wide;

	UNREFERENCED_PARAMETER(component);
	UNREFERENCED_PARAMETER(level);
	va_start(ap, format);
	nt_vformat(line, sizeof(line), format, ap, &wide);
	va_end(ap);
	ntm_checked(NTM_UNICODE_FORMAT_ABOVE_PASSIVE);
	if (wide && KeGetCurrentIrql() != PASSIVE_LEVEL)
		ntm_violation(NTM_UNICODE_FORMAT_ABOVE_PASSIVE, "at IRQL %u: %s",
			      KeGetCurrentIrql(), format);
	ntm_log_line(line);
	return 0;
}
