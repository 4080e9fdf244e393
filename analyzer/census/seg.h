/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An index segment: what the census knows of a set of files, as one byte
 * image (written to disk as is, read back with mmap). A tree's index is a
 * main segment, and when files changed since, a delta segment holding those
 * files (their main records are then dead).
 *
 * Layout (little-endian, x86-64 alignment):
 *   struct seg_hdr, then nsect x struct seg_dir, then the sections, each at
 *   an 8-aligned offset: arrays of fixed-size records (below) or bytes.
 * Every index and offset read from a segment is checked before use: a
 * damaged or hostile file gives wrong answers at worst, never a crash, and
 * the checksum makes even that a rebuild.
 */
#ifndef KT_CENSUS_SEG_H
#define KT_CENSUS_SEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kcsan/strbuf.h"

#define SEG_MAGIC   "KTCENS03"
#define SEG_MAIN    1u
#define SEG_DELTA   2u
#define SEG_MAX_LEN (1ull << 32)

enum seg_sect {
	S_STROFF,   /* u32 per string: offset in S_STRBLOB; ids in strcmp order */
	S_STRBLOB,  /* NUL-terminated strings */
	S_FILES,    /* struct rec_file, by path */
	S_UNITS,    /* struct rec_unit, by file */
	S_POSTKEYS, /* struct rec_post, by name id */
	S_POSTBLOB, /* unit indices, delta-coded varints */
	S_STRUCTS,  /* struct rec_struct */
	S_SIDX,	    /* struct rec_ref {tag, struct}, by tag id */
	S_MEMBERS,  /* struct rec_member, each struct's members in order */
	S_MIDX,	    /* struct rec_ref {member name, member}, by name id */
	S_TYPEDEFS, /* struct rec_named, by name id */
	S_GLOBALS,  /* struct rec_named, by name id */
	S_FUNCS,    /* struct rec_named (return types), by name id */
	S_MACROS,   /* struct rec_macro, by name id */
	S_NSECT
};

struct seg_hdr {
	char magic[8];
	uint32_t kind, nsect;
	uint64_t total_len;
	uint64_t checksum; /* of every byte after the header */
	uint64_t skips_key;
	int64_t built_ns;  /* wall clock when the tree was read */
	uint64_t base_sum; /* delta: the checksum of its main segment */
	uint32_t root;	   /* string id: the tree's real path */
	uint32_t pad;
};

struct seg_dir {
	uint32_t id, recsize;
	uint64_t off, count;
};

/* Type of a member, typedef, global or function result. */
enum ty_kind { TY_NONE, TY_STRUCT, TY_UNION, TY_ENUM, TY_NAME, TY_BASE };
#define TYF_ARRAY 1u
#define TYF_FNPTR 2u

struct ty {
	uint32_t name; /* string id: tag, typedef name or base type word */
	uint8_t kind, ptr, flags, pad;
};

#define FILE_DELETED 1u

struct rec_file {
	uint32_t path, flags;
	uint64_t size;
	int64_t mtime_ns;
	uint64_t ino;
	uint64_t hash; /* of the content */
};

#define UNIT_MACRO 1u

struct rec_unit {
	uint32_t file, name;
	uint32_t start, end, body; /* byte offsets; body: the `{` */
	uint32_t line, flags, pad;
};

struct rec_post {
	uint32_t name, count, off, len;
};

struct rec_struct {
	uint32_t tag, kind, file, line, first, n;
};

struct rec_ref {
	uint32_t name, idx;
};

#define MEM_ANON 1u /* from an anonymous struct or union inside */

struct rec_member {
	uint32_t name;
	struct ty ty;
	int32_t width;	/* -1: not a bitfield; -2: a width that is no constant */
	uint32_t group; /* bitfields of one memory location share it; 0: none */
	uint32_t line, owner, flags;
};

#define NAMED_STATIC 1u
#define NAMED_EXTERN 2u

struct rec_named {
	uint32_t name;
	struct ty ty;
	uint32_t file, line, flags;
};

struct rec_macro {
	uint32_t name, call, tag, file;
};

/* ---- reading ---- */
struct seg {
	const uint8_t *b;
	size_t len;
	bool mapped;
	struct seg_hdr hdr;
	const void *sec[S_NSECT];
	uint64_t cnt[S_NSECT];
};

/* Checks the image (header, directory, bounds, checksum, strings); NULL
 * and a reason when it does not verify. The segment borrows buf. */
bool seg_open(const uint8_t *buf, size_t len, struct seg *s, const char **why);
uint64_t seg_checksum(const uint8_t *p, size_t n);

#define SEG_NONE 0xffffffffu
const char *seg_str(const struct seg *s, uint32_t id);
/* The id of a string, or SEG_NONE. */
uint32_t seg_find(const struct seg *s, const char *str, size_t n);

#define SEG_REC(s, sect, type, i) ((const type *)(s)->sec[sect] + (i))
#define SEG_N(s, sect)		  ((size_t)(s)->cnt[sect])

/* [*lo, *hi) of the records of a name-sorted section (S_SIDX, S_MIDX,
 * S_TYPEDEFS, S_GLOBALS, S_FUNCS, S_MACROS, S_POSTKEYS) with that name. */
void seg_range(const struct seg *s, enum seg_sect sect, uint32_t name, size_t *lo, size_t *hi);
/* The units of a posting; returns how many were written (at most max). */
size_t seg_postings(const struct seg *s, const struct rec_post *p, uint32_t *out, size_t max);
/* The file record with this path, or -1. */
long seg_file_find(const struct seg *s, const char *path);

/* ---- building ---- */
struct bld;

struct bld *bld_new(void);
void bld_free(struct bld *b);
uint32_t bld_intern(struct bld *b, const char *s, size_t n);
const char *bld_str(const struct bld *b, uint32_t id);
/* Marks a name seen after `.` or `->` (its postings are kept). */
void bld_member_seen(struct bld *b, uint32_t id);
uint32_t bld_file(struct bld *b, const struct rec_file *f);
uint32_t bld_unit(struct bld *b, const struct rec_unit *u);
void bld_post(struct bld *b, uint32_t name, uint32_t unit);
uint32_t bld_struct(struct bld *b, const struct rec_struct *st);
void bld_struct_members(struct bld *b, uint32_t st, uint32_t first, uint32_t n);
uint32_t bld_member(struct bld *b, const struct rec_member *m);
uint32_t bld_nmembers(const struct bld *b);
struct rec_member *bld_member_at(struct bld *b, uint32_t i);
void bld_named(struct bld *b, enum seg_sect sect, const struct rec_named *n);
void bld_macro(struct bld *b, const struct rec_macro *m);
uint32_t bld_group(struct bld *b);
/* The segment image. */
void bld_serialize(struct bld *b, uint32_t kind, const char *root, uint64_t skips_key,
		   int64_t built_ns, uint64_t base_sum, struct kt_strbuf *out);

#endif
