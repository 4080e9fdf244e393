/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 1, report: KCSAN reports read from console logs or syzbot's symbolized
 * reports. The struct kt_report is the data model every later stage reads
 * (read-only); only this stage creates or changes it.
 */
#ifndef KCSAN_REPORT_H
#define KCSAN_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kcsan/error.h"

enum kt_report_kind {
	KT_KIND_DATA_RACE,       /* "BUG: KCSAN: data-race in A / B", two accesses */
	KT_KIND_ASSERT,          /* "BUG: KCSAN: assert: race in A" (one or two accesses) */
	KT_KIND_UNKNOWN_ORIGIN,  /* "race at unknown origin, with ...": one access */
};

/* Direction of an access; asserts say what they forbid. */
enum kt_access_op {
	KT_OP_READ,
	KT_OP_WRITE,
	KT_OP_READ_WRITE,          /* compound: read-modify-write */
	KT_OP_ASSERT_NO_WRITES,    /* ASSERT_EXCLUSIVE_WRITER */
	KT_OP_ASSERT_NO_ACCESSES,  /* ASSERT_EXCLUSIVE_ACCESS */
};

/* A source line with no function name. */
struct kt_src_loc {
	char *file;        /* as printed, without a leading "./" */
	int line;          /* 0 when unknown ("file.c:?") */
};

/*
 * One stack line. Raw console frames ("func+0x57/0xe0 [mod]") have off/size;
 * syzbot-symbolized frames also have file:line, and an "[inline]" frame has
 * inlined = true and no offset (has_offset = false). Copies edited by hand
 * may give the bare name only.
 */
struct kt_frame {
	char *func;        /* symbol name, may carry .isra.0/.constprop.0/.part.0 */
	uint64_t off;
	uint64_t size;
	bool has_offset;
	char *module;      /* "[ext4]" without brackets, or NULL */
	char *file;        /* as printed, e.g. "mm/shmem.c", or NULL */
	int line;          /* 0 when unknown */
	bool inlined;      /* "[inline]" */
	/* decode_stacktrace.sh's "func (a.h:12 b.h:30 f.c:34)": file:line is
	 * f.c:34, func's own line; inl holds the lines before it, inside the
	 * functions inlined there, innermost first. Their names were not
	 * printed, so they are not frames. NULL when none. */
	struct kt_src_loc *inl;
	size_t ninl;
};

struct kt_access {
	enum kt_access_op op;
	bool marked;       /* "(marked)": READ_ONCE/WRITE_ONCE/atomic */
	bool reordered;    /* "(reordered)": weak-memory modelling */
	uint64_t addr;
	uint64_t size;
	bool by_interrupt; /* "by interrupt" instead of "by task N" */
	long task;         /* pid, or -1 (interrupt, or a copy that named the task: "by task ipvs_cfg") */
	int cpu;           /* -1 when not printed */
	struct kt_frame *frames;
	size_t nframes;
	struct kt_frame *reordered_to; /* "|  +-> reordered to: f+0x.." or NULL */
	char *type_text;   /* the access type exactly as printed, e.g. "read (marked)" */
	long line_no;      /* line of the "... to 0x... of N bytes" header in the input */
	/* Frames are missing from the stack, or may be: the copy elided some
	 * ("[...]", "<snip>", "..."), it ends in an inline frame (whose caller
	 * must follow), frames past KT_REPORT_MAX_FRAMES were dropped, or the
	 * report stops in or right after this stack without its trailer. A fact
	 * about the whole stack (no lock held along it, no frame named X) does
	 * not hold for an elided one. */
	bool elided;
	bool addr_elided;  /* the copy hid the address ("write to ... of 4 bytes"): addr is 0 */
};

struct kt_value_change {
	bool present;
	uint64_t old_val;
	uint64_t new_val;
	int width;         /* hex digits printed (2 * access size) */
	bool has_mask;     /* " bits changed: 0x.. with mask 0x.." */
	uint64_t bits;
	uint64_t mask;
	char *note;        /* text a human added after the values
			    * ("value changed: 0x19 -> 0x99 --> R5_Overlap"), or NULL */
};

/* "Reported by Kernel Concurrency Sanitizer on:" block. */
struct kt_report_env {
	int cpu;           /* -1 when absent */
	long pid;          /* -1 when absent */
	char *comm;
	char *taint;       /* "Not tainted" or "Tainted: G W" */
	char *kernel;      /* kernel release, e.g. "6.1.192" */
	char *hardware;    /* "Hardware name:" text */
	char *commit;      /* the commit id of the last "HEAD commit:" line (a syzbot
			    * mail's) before the report in its input, reset by an
			    * mbox "From " line; NULL when none */
};

struct kt_report {
	enum kt_report_kind kind;
	char *bug_line;    /* the title line as printed, without prefix: "BUG: KCSAN: ..."
			    * (a title wrapped onto two lines is joined with one space) */
	char *title;       /* syzkaller's normalized title: "KCSAN: data-race in A / B" */
	char *title_funcs[2]; /* function names named in the title (offsets stripped) or NULL */
	struct kt_access access[2]; /* in the order the report prints them */
	size_t naccess;    /* 2, or 1 for unknown-origin / single assert */
	struct kt_value_change value;
	struct kt_report_env env;
	bool symbolized;   /* frames carry file:line */
	char *input;       /* name of the input it came from */
	long first_line;   /* 1-based line of the title in that input */
	long last_line;
	char *text;        /* the report's lines, prefixes and trailing blanks
			    * stripped, '\n'-terminated (analyzer/report/README.md) */
	/* Additions (stage 1). */
	bool unknown_origin; /* "race at unknown origin, with ...": one access */
	bool complete;     /* the closing "=====" line was read (a report ended by
			    * the end of input or by the next report, with every
			    * access stack read, is returned with complete = false) */
};

void kt_report_free(struct kt_report *rep);
/* Free an array of frames made by any stage (binary symbolization). */
void kt_frames_free(struct kt_frame *frames, size_t n);
/* Deep copy of one frame into dst. */
void kt_frame_copy(struct kt_frame *dst, const struct kt_frame *src);

/* Access type as KCSAN prints it ("read-write (marked, reordered)"). */
const char *kt_access_op_name(enum kt_access_op op);
bool kt_access_is_write(const struct kt_access *a);

/* Normalize a "BUG: KCSAN: ..." line (or its tail) to the syzkaller bug title.
 * Line breaks of a wrapped title read as one space. Caller frees; NULL only if
 * the patterns cannot be compiled. Compiles its patterns on every call: use a
 * kt_title_normalizer to normalize many titles. */
char *kt_title_normalize(const char *bug_line);

/* The compiled title patterns, for normalizing many titles. */
struct kt_title_normalizer;
struct kt_error *kt_title_normalizer_new(struct kt_title_normalizer **out);
void kt_title_normalizer_free(struct kt_title_normalizer *tn);
char *kt_title_normalize_with(struct kt_title_normalizer *tn, const char *bug_line);

/*
 * Streaming reader over one input. It keeps only the report being read in
 * memory, so a log of any size is read in bounded memory. Lines longer than
 * KT_REPORT_MAX_LINE are cut there.
 */
#define KT_REPORT_MAX_LINE (64 * 1024)
#define KT_REPORT_MAX_FRAMES 512
/* kt_report.text keeps at most this many bytes of a report (longer: cut). */
#define KT_REPORT_MAX_TEXT (1024 * 1024)

struct kt_reader;

/* name is used in errors ("-" or "<stdin>" for standard input). The reader does
 * not close fp. */
struct kt_error *kt_reader_new(FILE *fp, const char *name, struct kt_reader **out);
void kt_reader_free(struct kt_reader *rd);
/*
 * Next report. Returns NULL and sets *out to a report, or to NULL at the end
 * of the input. A report that cannot be read (truncated, garbled) returns an
 * error naming the input and line; the caller may call again to go on with the
 * next report in the input.
 */
struct kt_error *kt_reader_next(struct kt_reader *rd, struct kt_report **out);

/* Convenience: parse one report from a NUL-terminated buffer. */
struct kt_error *kt_report_parse_string(const char *text, const char *name,
					struct kt_report **out);

#endif
