/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 2, binary: the vmlinux of the build that printed the report, read with
 * libelf and libdwarf. Symbolizes frames (file:line and inline chains), checks
 * that the vmlinux belongs to the report, and maps racing addresses to objects
 * (globals, members, type layouts). Adds facts with origin KT_ORIGIN_VMLINUX.
 *
 * Frames. A printed frame "func+0xOFF/0xSIZE" is found by name in the ELF
 * symbol table; among several symbols of that name (static functions of
 * different files) the one whose size is SIZE wins, SIZE being what kallsyms
 * prints: the distance to the next symbol (st_size is accepted too).
 * Every KCSAN stack entry is a return address, the access frame included (it
 * returns from the __tsan_* call), so the PC looked up is start + OFF - 1, as
 * syzkaller does. At that PC the lines are exactly those `addr2line -f -i`
 * prints: the innermost (inlined) function with the line table's file:line,
 * then each caller the body is inlined into with the call site. Files print
 * relative to the kernel tree: DW_AT_comp_dir removed (or the tree above it
 * for out-of-tree builds), "." and ".." folded. Assembler labels without an
 * ELF size (entry_SYSCALL_64_after_hwframe) and module frames stay as
 * printed, as syzbot leaves them.
 *
 * Only the compilation unit holding a PC is read, found through
 * .debug_aranges, and the ranges of every unit's DIE when it misses (clang
 * writes it for assembler units only). What was learnt is kept in an index
 * cache file per build-id (see struct kt_vmlinux_opts). gcc and clang,
 * DWARF 4 and 5, compressed debug sections or not.
 *
 * Objects: a global (and member) by its address; for a heap or stack
 * address, the struct and member the access's code goes through (the
 * register that held the address, and the variable the DWARF puts there).
 *
 * Errors: a file that cannot be opened is KT_ERR_IO; not an ELF, truncated or
 * corrupt ELF/DWARF is KT_ERR_PARSE with the file and the byte offset; a
 * 32-bit, big-endian or non-x86-64 ELF, or one without DWARF ("rebuild with
 * CONFIG_DEBUG_INFO") or without symbols, is KT_ERR_UNSUPPORTED. A report
 * that does not belong to the vmlinux is KT_ERR_MISMATCH. All exit 2.
 */
#ifndef KCSAN_BINARY_H
#define KCSAN_BINARY_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"

struct kt_vmlinux;

struct kt_vmlinux_opts {
	/* Index cache directory. NULL: $XDG_CACHE_HOME/kcsan-triage, or
	 * ~/.cache/kcsan-triage. One file per build-id, verified on load
	 * (build-id, file size, checksum; anything else is ignored and
	 * rewritten) and written atomically (mkstemp + rename). A cache that
	 * cannot be used only costs speed. */
	const char *cache_dir;
	bool no_cache;	       /* read and write no cache file */
	const char *rules_dir; /* types.tbl, addr-layout.tbl, symbol-aliases.tbl; NULL (or
				* a directory without them): the shipped rules */
	/* Where the binary layer says what the DWARF could not answer: a PC in
	 * a function no DWARF unit describes, a unit without a line table or
	 * without a row for the PC, a form it does not read (dwz, split DWARF).
	 * One line each, naming the vmlinux and the unit, once per distinct
	 * line while the vmlinux is open; the frame carries the same note.
	 * NULL: "kcsan-triage: warning: LINE" on standard error. */
	void (*diag)(void *arg, const char *line);
	void *diag_arg;
};

/* Opens and validates the vmlinux (ELF header, section table, symbols,
 * presence of DWARF). DWARF is read lazily afterwards. */
struct kt_error *kt_vmlinux_open(const char *path, const struct kt_vmlinux_opts *opts,
				 struct kt_vmlinux **out);
/* Writes the index cache back when it learnt something, then frees. */
void kt_vmlinux_close(struct kt_vmlinux *vm);
/* Reads the stage's tables of rules_dir as kt_vmlinux_open() would: NULL,
 * or every bad line (chained). */
struct kt_error *kt_vmlinux_check_tables(const char *rules_dir);

/* NULL when every frame of the report resolves in this vmlinux with the printed
 * function size; otherwise a KT_ERR_MISMATCH error naming the first symbol that
 * differs ("vmlinux does not match this report: ..."). For a symbolized
 * report, each frame's printed file:line and [inline] lines must also be what
 * this vmlinux gives (paths compared up to the tree prefix). Module frames,
 * "?" frames and labels without a size are not held against the report. */
struct kt_error *kt_vmlinux_check_report(struct kt_vmlinux *vm, const struct kt_report *rep);

/* One access's stack, symbolized: each printed frame expanded into its inline
 * chain (innermost first, inlined = true for all but the last of a chain),
 * file:line relative to the kernel tree. The last frame of a chain keeps the
 * printed name (with its .constprop.0-like suffix), offset and size; inline
 * frames have has_offset = false. Printed [inline] frames of a symbolized
 * report are replaced by the ones computed here; frames that do not resolve
 * (modules, labels) are copied as printed. A mismatch is an error (see
 * kt_vmlinux_check_report). Free with kt_frames_free. */
struct kt_error *kt_vmlinux_symbolize_stack(struct kt_vmlinux *vm, const struct kt_access *acc,
					    struct kt_frame **frames_out, size_t *n_out);

/* Facts only the binary knows: objects, members, type layouts, access sites
 * (catalogue: rules/README.md, "Facts from the binary stage"). Checks the
 * report first: on a mismatch it returns that error and adds nothing, so the
 * report is classified as if no vmlinux had been given. */
struct kt_error *kt_vmlinux_add_facts(struct kt_vmlinux *vm, const struct kt_report *rep,
				      struct kt_facts *facts);

/* The report in syzbot's symbolized layout: rep->text with every frame line
 * " func+0xOFF/0xSIZE" replaced by " callee file:line [inline]" lines and
 * " func+0xOFF/0xSIZE file:line"; other lines as they are. All or nothing:
 * when a frame does not match this vmlinux (or the DWARF is broken) the text
 * is printed unchanged and the error returned. */
struct kt_error *kt_vmlinux_print_symbolized(struct kt_vmlinux *vm, const struct kt_report *rep,
					     FILE *out);

/*
 * Extensions of the binary layer.
 */

/* Build-id of the vmlinux as lowercase hex ("" when it has none). */
const char *kt_vmlinux_build_id(const struct kt_vmlinux *vm);

/* kt_vmlinux_print_symbolized on report text (console prefixes already
 * stripped), for callers without a parsed report. A frame the DWARF could
 * not answer for fully ends with its note in parentheses:
 * " func+0x10/0x40 ??:? (unit fs/x.c has no line table (...))". */
struct kt_error *kt_vmlinux_symbolize_text(struct kt_vmlinux *vm, const char *text, FILE *out);

/* A member of a struct or union as the vmlinux lays it out. */
struct kt_vmlinux_member {
	char *path;	 /* "i_lru.next", "i_stats[2]"; "" for the whole object */
	char *type;	 /* its type as C spells it: "struct list_head *" */
	char *kind;	 /* pointer, list_head, atomic_t, ..., integer, bool (rules/types.tbl) */
	char *container; /* the type asked about: "struct inode" */
	uint64_t offset; /* bytes from the start of the object */
	uint64_t size;	 /* bytes */
	bool bitfield;
	uint64_t bit_offset; /* from the start of the object */
	uint64_t bit_size;
	bool bitfield_shared; /* other bitfields share its storage unit */
};

/* The innermost member of type ("struct inode", "union foo", or a typedef
 * name) that holds all of [offset, offset + size). For heap objects, whose
 * type the source stage finds. The first call reads the top-level DIEs of all
 * CUs once (then kept in the index cache). Free with kt_vmlinux_member_fini. */
struct kt_error *kt_vmlinux_member_at(struct kt_vmlinux *vm, const char *type, uint64_t offset,
				      uint64_t size, struct kt_vmlinux_member *out);
/* The same, by member path ("i_lru", "i_mtime.tv_sec"). */
struct kt_error *kt_vmlinux_member_named(struct kt_vmlinux *vm, const char *type,
					 const char *member, struct kt_vmlinux_member *out);
void kt_vmlinux_member_fini(struct kt_vmlinux_member *m);

#endif
