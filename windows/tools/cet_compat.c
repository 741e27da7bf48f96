// SPDX-License-Identifier: MIT
/*
 * cet_compat IMAGE: marks a PE32+ image CET-compatible after GNU ld has
 * linked it, as lld-link's /cetcompat and link.exe's /CETCOMPAT do. Where
 * kernel-mode hardware-enforced stack protection is on, Windows loads only
 * drivers that carry the mark: a debug directory entry of type
 * IMAGE_DEBUG_TYPE_EX_DLLCHARACTERISTICS (20) whose data has
 * IMAGE_DLLCHARACTERISTICS_EX_CET_COMPAT (0x01) set. GNU ld cannot write it.
 *
 * The image's debug directory (GNU ld's, with its CodeView entry) is copied
 * into the slack after its section's data, one entry longer, followed by the
 * four bytes of the new entry's data; the directory's data-directory slot
 * and the section's virtual size grow to match, and the PE checksum is
 * computed again. Nothing else moves. An image already marked is left as it
 * is. Exit status 0, or 1 with the reason.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEBUG_DIR_SLOT		6
#define DEBUG_ENTRY_LEN		28u
#define DEBUG_TYPE_EX_DLLCHAR	20u
#define EX_DLLCHAR_CET_COMPAT	0x01u

static unsigned char *img;
static size_t len;

static uint32_t rd32(size_t off) { return img[off] | img[off + 1] << 8 | img[off + 2] << 16 | (uint32_t)img[off + 3] << 24; }
static uint16_t rd16(size_t off) { return (uint16_t)(img[off] | img[off + 1] << 8); }

static void wr32(size_t off, uint32_t v)
{
	img[off] = (unsigned char)v;
	img[off + 1] = (unsigned char)(v >> 8);
	img[off + 2] = (unsigned char)(v >> 16);
	img[off + 3] = (unsigned char)(v >> 24);
}

static int fail(const char *path, const char *why)
{
	fprintf(stderr, "cet_compat: %s: %s\n", path, why);
	return 1;
}

/* The PE checksum: a 16-bit folded sum of the file, its own field as zero, plus the length. */
static uint32_t pe_checksum(size_t sum_off)
{
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		if (i != sum_off && i != sum_off + 2)
			sum = (sum & 0xffff) + (sum >> 16) + rd16(i);
	if (len & 1)
		sum += img[len - 1];
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum + (uint32_t)len;
}

int main(int argc, char **argv)
{
	size_t pe, opt, secs, dd, dir_off = 0, sec = 0, new_off, data_off;
	uint32_t dir_rva, dir_size, n, i, nsec, va, vsize, raw, rawsize, new_rva;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: cet_compat IMAGE\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f)
		return fail(argv[1], "cannot open it");
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	img = malloc(len ? len : 1);
	if (!img || fread(img, 1, len, f) != len) {
		fclose(f);
		return fail(argv[1], "cannot read it");
	}
	fclose(f);

	if (len < 0x40 || img[0] != 'M' || img[1] != 'Z')
		return fail(argv[1], "not a PE image");
	pe = rd32(0x3c);
	if (pe + 24 + 112 + 16 * 8 > len || memcmp(img + pe, "PE\0\0", 4) || rd16(pe + 24) != 0x20b)
		return fail(argv[1], "not a PE32+ image");
	opt = pe + 24;
	nsec = rd16(pe + 6);
	secs = opt + rd16(pe + 20);
	dd = opt + 112 + DEBUG_DIR_SLOT * 8;
	dir_rva = rd32(dd);
	dir_size = rd32(dd + 4);
	if (!dir_rva || !dir_size || dir_size % DEBUG_ENTRY_LEN)
		return fail(argv[1], "no debug directory to extend (link with --pdb or --build-id)");
	if (secs + 40u * nsec > len)
		return fail(argv[1], "section table past the end");
	for (i = 0; i < nsec; i++) {
		size_t s = secs + 40u * i;

		va = rd32(s + 12);
		vsize = rd32(s + 8);
		if (dir_rva >= va && dir_rva + dir_size <= va + vsize) {
			sec = s;
			dir_off = rd32(s + 20) + (dir_rva - va);
		}
	}
	if (!sec || dir_off + dir_size > len)
		return fail(argv[1], "the debug directory is in no section");
	n = dir_size / DEBUG_ENTRY_LEN;
	for (i = 0; i < n; i++) {
		size_t e = dir_off + i * DEBUG_ENTRY_LEN;

		if (rd32(e + 12) == DEBUG_TYPE_EX_DLLCHAR) {
			size_t p = rd32(e + 24);

			if (p + 4 > len)
				return fail(argv[1], "its extended characteristics point past the end");
			wr32(p, rd32(p) | EX_DLLCHAR_CET_COMPAT);
			goto checksum;
		}
	}

	/* The new directory and its data after the section's data, if they fit. */
	va = rd32(sec + 12);
	vsize = rd32(sec + 8);
	raw = rd32(sec + 20);
	rawsize = rd32(sec + 16);
	new_rva = (va + vsize + 3u) & ~3u;
	new_off = raw + (new_rva - va);
	data_off = new_off + (n + 1) * DEBUG_ENTRY_LEN;
	if (data_off + 4 > raw + rawsize || data_off + 4 > len)
		return fail(argv[1], "no room after the debug directory's section");
	memmove(img + new_off, img + dir_off, dir_size);
	memset(img + new_off + dir_size, 0, DEBUG_ENTRY_LEN);
	wr32(new_off + dir_size + 4, rd32(new_off + 4));	/* the same time stamp */
	wr32(new_off + dir_size + 12, DEBUG_TYPE_EX_DLLCHAR);
	wr32(new_off + dir_size + 16, 4);
	wr32(new_off + dir_size + 20, new_rva + (n + 1) * DEBUG_ENTRY_LEN);
	wr32(new_off + dir_size + 24, (uint32_t)data_off);
	wr32(data_off, EX_DLLCHAR_CET_COMPAT);
	wr32(dd, new_rva);
	wr32(dd + 4, dir_size + DEBUG_ENTRY_LEN);
	wr32(sec + 8, new_rva - va + (n + 1) * DEBUG_ENTRY_LEN + 4);

checksum:
	wr32(opt + 64, pe_checksum(opt + 64));
	f = fopen(argv[1], "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f))
		return fail(argv[1], "cannot write it back");
	free(img);
	return 0;
}
