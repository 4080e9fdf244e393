/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vmlinux as an ELF file (libelf): validation of the header and section
 * table, the build-id, the sections and the symbol table.
 */
#ifndef KT_BINARY_ELFSYM_H
#define KT_BINARY_ELFSYM_H

#include <libelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/error.h"

struct kt_elf_sym {
	uint64_t addr;
	uint64_t size;	    /* st_size; 0 for assembler labels */
	const char *name;   /* into the string table, valid while the file is open */
	unsigned char type; /* STT_FUNC, STT_OBJECT, STT_NOTYPE */
	bool text;	    /* defined in an executable section */
	uint32_t index;	    /* position in .symtab */
	const char *file;   /* the STT_FILE binutils gives it (see elfsym.c), or NULL */
};

struct kt_elf_sec {
	const char *name;
	uint64_t addr, size;
	bool alloc, exec, write, nobits;
	uint64_t offset; /* in the file */
};

struct kt_elf {
	int fd;
	Elf *elf;
	char *path;
	uint64_t file_size;
	unsigned char build_id[64];
	size_t build_id_len;
	char build_id_hex[129];
	struct kt_elf_sec *secs;
	size_t nsecs;
	/* Linked with --emit-relocs (.rela.text kept): CONFIG_RELOCATABLE, so
	 * the running kernel may have been moved by KASLR. */
	bool relocatable;
	struct kt_elf_sym *syms; /* sorted by address, then by size descending */
	size_t nsyms;
	/* Indices into syms, sorted by name (by hash, then name), built by the
	 * first kt_elf_find_name: read by_name only after calling it. */
	uint32_t *by_name;
	uint32_t *name_hash; /* the hash of each by_name entry's name */
};

/* Opens and validates: an x86-64 64-bit little-endian ELF whose section table
 * and sections lie inside the file, with a symbol table. */
struct kt_error *kt_elf_open(const char *path, struct kt_elf **out);
void kt_elf_close(struct kt_elf *e);

/* Every symbol of that exact name: [*first, *first + *n) of by_name. */
void kt_elf_find_name(struct kt_elf *e, const char *name, size_t *first, size_t *n);
/* The symbol containing addr (size 0 symbols extend to the next symbol),
 * text or data as asked; NULL if none. */
const struct kt_elf_sym *kt_elf_sym_at(const struct kt_elf *e, uint64_t addr, bool text);
/* The nearest code symbol at or below addr, whatever its size; at one
 * address the biggest, then the first in .symtab. This is the name addr2line
 * falls back to where no DWARF function covers addr. NULL if none. */
const struct kt_elf_sym *kt_elf_sym_before(const struct kt_elf *e, uint64_t addr);
/* Every symbol at exactly addr: syms[*first, *first + *n). */
void kt_elf_find_addr(const struct kt_elf *e, uint64_t addr, size_t *first, size_t *n);
/* Size the kernel's kallsyms gives a symbol: st_size, or the distance to the
 * next symbol at a higher address for labels without a size. */
uint64_t kt_elf_sym_extent(const struct kt_elf *e, const struct kt_elf_sym *s);
/* Distance to the next symbol at a higher address in the same kind of
 * section: the size kallsyms prints ("/0x110" for a 0x104-byte function
 * followed by padding). 0 for the last symbol. */
uint64_t kt_elf_sym_next_dist(const struct kt_elf *e, const struct kt_elf_sym *s);
/* Give back the pages of the file mapping read so far: called every few
 * compilation units decoded into our own tables, so that memory holds a few
 * units' worth of the file at a time, not all units visited. */
void kt_elf_drop_pages(const struct kt_elf *e);
/* Up to len bytes of code at addr (an executable section of the file),
 * copied to buf; the count copied, 0 when addr is not code. */
size_t kt_elf_code(const struct kt_elf *e, uint64_t addr, unsigned char *buf, size_t len);
/* The allocated section holding addr, or NULL. */
const struct kt_elf_sec *kt_elf_section_at(const struct kt_elf *e, uint64_t addr);

#endif
