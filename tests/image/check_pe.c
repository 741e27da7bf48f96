// SPDX-License-Identifier: MIT
/*
 * Image checks of a PE32+ file, for what Windows requires of a kernel driver
 * (or of a console program), independent of Wine, which is more lenient:
 * a driver is also checked for its checksum, its CET-compatibility mark,
 * and its control codes: each row of the command table is in the image, and
 * its code's access field asks for what the command needs (below).
 *
 * usage: check_pe --driver IMAGE ENTRY_RVA ALLOWED_IMPORTS [--signed]
 *        check_pe --console IMAGE [--signed]
 *        check_pe --code-access COMMAND CODE  (exit 0 when CODE's access
 *                                              field suffices for COMMAND)
 * ALLOWED_IMPORTS has one "dll name" pair per line, made from mingw-w64's
 * import libraries (libntoskrnl.a, libhal.a) by tests/run.sh.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check.h"
#include "spotless/wire.h"

#define SCN_MEM_EXECUTE		0x20000000u
#define SCN_MEM_WRITE		0x80000000u
#define DLLCHAR_DYNAMIC_BASE	0x0040u
#define DLLCHAR_NX_COMPAT	0x0100u
#define SUBSYSTEM_NATIVE	1u
#define SUBSYSTEM_CONSOLE	3u

static unsigned char *image;
static size_t image_size;
static size_t pe_off;		/* offset of "PE\0\0" */
static size_t opt_off;		/* offset of the optional header */
static size_t sections_off;
static unsigned n_sections;
static const char *allowed_path;
static unsigned long expected_entry;

static uint16_t rd16(size_t off)
{
	return off + 2 <= image_size ? (uint16_t)(image[off] | image[off + 1] << 8) : 0;
}

static uint32_t rd32(size_t off)
{
	return off + 4 <= image_size ? (uint32_t)rd16(off) | (uint32_t)rd16(off + 2) << 16 : 0;
}

/* File offset of an RVA, or 0 when no section holds it. */
static size_t rva_to_off(uint32_t rva)
{
	unsigned i;

	for (i = 0; i < n_sections; i++) {
		size_t s = sections_off + 40u * i;
		uint32_t va = rd32(s + 12), vsize = rd32(s + 8), raw = rd32(s + 20);

		if (rva >= va && rva < va + vsize)
			return raw + (rva - va);
	}
	return 0;
}

static const char *str_at(size_t off)
{
	size_t i;

	if (!off || off >= image_size)
		return NULL;
	for (i = off; i < image_size; i++)
		if (!image[i])
			return (const char *)image + off;
	return NULL;
}

static int load(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	image = malloc(n > 0 ? (size_t)n : 1);
	image_size = fread(image, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	if (image_size < 64 || image[0] != 'M' || image[1] != 'Z')
		return 0;
	pe_off = rd32(0x3c);
	opt_off = pe_off + 24;
	n_sections = rd16(pe_off + 6);
	sections_off = opt_off + rd16(pe_off + 20);
	return 1;
}

static void test_pe32plus_x64(void)
{
	CHECK(!memcmp(image + pe_off, "PE\0\0", 4));
	CHECK_EQ(rd16(pe_off + 4), 0x8664);	/* AMD64 */
	CHECK_EQ(rd16(opt_off), 0x20b);		/* PE32+ */
}

static void test_native_subsystem(void) { CHECK_EQ(rd16(opt_off + 68), SUBSYSTEM_NATIVE); }
static void test_console_subsystem(void) { CHECK_EQ(rd16(opt_off + 68), SUBSYSTEM_CONSOLE); }

static void test_entry_is_driver_entry(void)
{
	CHECK(expected_entry != 0);
	CHECK_EQ(rd32(opt_off + 16), expected_entry);
}

static void test_nx_compatible_and_relocatable(void)
{
	uint16_t dllchar = rd16(opt_off + 70);

	CHECK(dllchar & DLLCHAR_NX_COMPAT);
	CHECK(dllchar & DLLCHAR_DYNAMIC_BASE);
	/* data directory 5: base relocations */
	CHECK(rd32(opt_off + 112 + 5 * 8 + 4) != 0);
}

static void test_no_writable_executable_section(void)
{
	unsigned i;

	CHECK(n_sections > 0);
	for (i = 0; i < n_sections; i++) {
		uint32_t flags = rd32(sections_off + 40u * i + 36);

		if ((flags & SCN_MEM_WRITE) && (flags & SCN_MEM_EXECUTE)) {
			printf("#   section %.8s is writable and executable\n",
			       (const char *)image + sections_off + 40u * i);
			CHECK(!"writable and executable section");
		}
	}
}

/*
 * CET-compatible (kernel-mode hardware-enforced stack protection loads no
 * other driver): a debug directory entry of type EX_DLLCHARACTERISTICS (20)
 * whose data has IMAGE_DLLCHARACTERISTICS_EX_CET_COMPAT (0x01).
 */
static void test_cet_compatible(void)
{
	uint32_t dir_rva = rd32(opt_off + 112 + 6 * 8), dir_size = rd32(opt_off + 112 + 6 * 8 + 4);
	size_t dir = rva_to_off(dir_rva);
	int marked = 0;
	uint32_t i;

	CHECK(dir != 0 && dir_size % 28 == 0);
	for (i = 0; dir && i < dir_size / 28; i++) {
		size_t e = dir + 28u * i;

		if (rd32(e + 12) == 20 && rd32(e + 16) >= 4)
			marked = (rd32(rd32(e + 24)) & 0x01u) != 0;
	}
	CHECK(marked);
}

/*
 * The access each command needs in its code, so that the I/O manager
 * refuses a handle without it before the driver sees the request
 * ("Security Issues for I/O Control Codes"): raw pointers read and written
 * (METHOD_NEITHER) and a batch of any command need both; a command that
 * changes what other handles see (POST, the tutorial's message) needs write;
 * one that shows what other handles did (STATS, events) needs read; one that
 * touches only the caller's own buffers (INFO, the other echoes) needs none.
 * A row without an entry here fails: a new command gets a decision.
 */
static const struct {
	const char *command;
	unsigned int access;
} needs[] = {
	{ "MESSAGE", SPOTLESS_FILE_WRITE_ACCESS },
	{ "INFO", 0 },
	{ "STATS", SPOTLESS_FILE_READ_ACCESS },
	{ "ECHO_BUFFERED", 0 },
	{ "ECHO_IN_DIRECT", 0 },
	{ "ECHO_OUT_DIRECT", 0 },
	{ "BATCH", SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS },
	{ "POST", SPOTLESS_FILE_WRITE_ACCESS },
	{ "WAIT_EVENT", SPOTLESS_FILE_READ_ACCESS },
	{ "ECHO_NEITHER", SPOTLESS_FILE_READ_ACCESS | SPOTLESS_FILE_WRITE_ACCESS },
};

/* 1 when code's access field holds what command needs, 0 when not, -1 when
 * the command has no entry. */
static int access_suffices(const char *command, uint32_t code)
{
	size_t i;

	for (i = 0; i < sizeof(needs) / sizeof(needs[0]); i++)
		if (!strcmp(needs[i].command, command))
			return (SPOTLESS_CODE_ACCESS(code) & needs[i].access) == needs[i].access;
	return -1;
}

/* The 32-bit value somewhere in the image's sections (the driver's table). */
static int image_holds(uint32_t value)
{
	size_t i;

	for (i = 0; i + 4 <= image_size; i++)
		if (rd32(i) == value)
			return 1;
	return 0;
}

#define ROW_(name, ...) { #name, SPOTLESS_ROW_CODE(name, __VA_ARGS__) },
static const struct {
	const char *command;
	uint32_t code;
} rows[] = { SPOTLESS_PROTOCOL_COMMANDS(ROW_) };

static void test_codes_ask_for_the_access_they_need(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int ok = access_suffices(rows[i].command, rows[i].code);

		printf("#   %-16s 0x%08x access %u%s\n", rows[i].command, rows[i].code,
		       SPOTLESS_CODE_ACCESS(rows[i].code),
		       ok < 0 ? ": no decision in check_pe's table" : ok ? "" : ": too little");
		CHECK_EQ(ok, 1);
		CHECK(image_holds(rows[i].code));
	}
}

/* The PE checksum: 16-bit one's-complement-style sum plus the file size. */
static void test_checksum_matches(void)
{
	size_t sum_off = opt_off + 64;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < image_size; i += 2) {
		uint32_t word;

		if (i == sum_off || i == sum_off + 2)
			continue;
		word = image[i] | (i + 1 < image_size ? image[i + 1] << 8 : 0);
		sum += word;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	sum = (sum & 0xffff) + (sum >> 16);
	sum += image_size;
	CHECK(rd32(sum_off) != 0);
	CHECK_EQ(rd32(sum_off), (uint32_t)sum);
}

static int import_allowed(const char *dll, const char *name)
{
	FILE *f = fopen(allowed_path, "r");
	char a[128], b[256];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fscanf(f, "%127s %255s", a, b) == 2)
		found = !strcasecmp(a, dll) && !strcmp(b, name);
	fclose(f);
	return found;
}

static void test_imports_only_from_kernel_libraries(void)
{
	uint32_t dir_rva = rd32(opt_off + 112 + 1 * 8);
	size_t desc = rva_to_off(dir_rva);
	unsigned names = 0;

	CHECK(desc != 0);
	for (; desc && rd32(desc + 12); desc += 20) {
		const char *dll = str_at(rva_to_off(rd32(desc + 12)));
		uint32_t thunk_rva = rd32(desc) ? rd32(desc) : rd32(desc + 16);
		size_t thunk = rva_to_off(thunk_rva);

		CHECK(dll != NULL);
		if (!dll)
			return;
		if (strcasecmp(dll, "ntoskrnl.exe") && strcasecmp(dll, "hal.dll")) {
			printf("#   imports from %s\n", dll);
			CHECK(!"import from a DLL other than ntoskrnl.exe / hal.dll");
		}
		for (; thunk && (rd32(thunk) || rd32(thunk + 4)); thunk += 8) {
			const char *name;

			/* By ordinal: bit 63 set. Kernel imports are by name. */
			CHECK(!(rd32(thunk + 4) & 0x80000000u));
			name = str_at(rva_to_off(rd32(thunk)) + 2);
			CHECK(name != NULL);
			if (name && !import_allowed(dll, name)) {
				printf("#   %s!%s is not in mingw-w64's import library\n",
				       dll, name);
				CHECK(!"import not listed by the import library");
			}
			names++;
		}
	}
	CHECK(names > 0);
}

/*
 * An Authenticode signature: the security directory (a file offset, not an
 * RVA) holds one WIN_CERTIFICATE of type PKCS#7 signed data, at the end.
 */
static void test_authenticode_signature_present(void)
{
	uint32_t off = rd32(opt_off + 112 + 4 * 8);
	uint32_t size = rd32(opt_off + 112 + 4 * 8 + 4);

	CHECK(off != 0 && size >= 8);
	CHECK_EQ((uint64_t)off + size, image_size);
	CHECK(rd32(off) <= size && rd32(off) > 8);
	CHECK_EQ(rd16(off + 4), 0x0200);	/* WIN_CERT_REVISION_2_0 */
	CHECK_EQ(rd16(off + 6), 0x0002);	/* WIN_CERT_TYPE_PKCS_SIGNED_DATA */
}

int main(int argc, char **argv)
{
	int signed_image = argc > 1 && !strcmp(argv[argc - 1], "--signed");
	int nargs = argc - signed_image;
	int driver = nargs == 5 && !strcmp(argv[1], "--driver");
	int console = nargs == 3 && !strcmp(argv[1], "--console");

	if (argc == 4 && !strcmp(argv[1], "--code-access")) {
		int ok = access_suffices(argv[2], (uint32_t)strtoul(argv[3], NULL, 16));

		if (ok < 0)
			fprintf(stderr, "check_pe: no command %s\n", argv[2]);
		return ok == 1 ? 0 : 1;
	}
	if (!driver && !console) {
		fprintf(stderr, "usage: check_pe --driver IMAGE ENTRY_RVA ALLOWED_IMPORTS [--signed]\n"
				"       check_pe --console IMAGE [--signed]\n"
				"       check_pe --code-access COMMAND CODE\n");
		return 2;
	}
	if (!load(argv[2])) {
		printf("not ok - %s is a readable PE image\n", argv[2]);
		return 1;
	}
	RUN_TEST(test_pe32plus_x64);
	RUN_TEST(test_nx_compatible_and_relocatable);
	RUN_TEST(test_no_writable_executable_section);
	if (driver) {
		expected_entry = strtoul(argv[3], NULL, 16);
		allowed_path = argv[4];
		RUN_TEST(test_native_subsystem);
		RUN_TEST(test_entry_is_driver_entry);
		RUN_TEST(test_imports_only_from_kernel_libraries);
		RUN_TEST(test_checksum_matches);
		RUN_TEST(test_cet_compatible);
		RUN_TEST(test_codes_ask_for_the_access_they_need);
	} else {
		RUN_TEST(test_console_subsystem);
	}
	if (signed_image)
		RUN_TEST(test_authenticode_signature_present);
	free(image);
	return check_summary(argv[2]);
}
