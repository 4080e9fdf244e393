/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The access expression at a line of a function, or every access of a body
 * (access.c and the modules it reads with).
 */
#ifndef KT_SOURCE_ACCESS_H
#define KT_SOURCE_ACCESS_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

#include "func.h"

struct kt_tables;

struct kt_access_info {
	bool found;
	char *text;    /* expression as written */
	char *kind;    /* member, global, array, deref, memcpy, copy-iter, user-copy, local */
	char *field;   /* "struct inode::i_mode" (member path), global name... */
	char *type;    /* expression type */
	char *marking; /* plain, READ_ONCE, ... */
	bool write;
	bool rmw, bittest, branch, deref;
	bool has_mask;		 /* bittest against a compile-time constant: */
	unsigned long long mask; /* the bits tested, within the accessed word */
	bool use_known;		 /* compare_only and reload_use were worked out */
	bool compare_only;	 /* the value is only compared or truth-tested */
	bool reload_use;	 /* a later load of the same expression is followed */
	bool use_after_check;	 /* this use follows a test of an earlier load */
	char **passed_to;
	size_t npassed;
	bool data_racy;
	char *buffer;	   /* for copies: page-cache, user, skb... */
	char *buffer_desc; /* "page cache data" */
	long long size;	   /* bytes of the expression's type, -1 unknown */
	char *note;
	int ncand;	    /* candidates on the line */
	int nbest;	    /* of them, equally good */
	int param_index;    /* >= 0: the base is this parameter of the function */
	char *param_suffix; /* member path below the parameter ("tv_sec") */
	char *rec;	    /* first-level member: its struct, and the byte offset */
	long long rec_off;
	char *deref_key;   /* a fieldless *p of parameter p: "*p (parameter of f)" */
	char *stored;	   /* for a store: the stored value's expression, or NULL */
	bool stored_clock; /* that expression reads a clock (access.tbl `clock`) */
	char **guards;	   /* a condition of an if that only calls: those calls */
	size_t nguards;
	bool guards_defer; /* each of them is a `defer` function of access.tbl */
};
void kt_access_info_fini(struct kt_access_info *a);

struct kt_access_query {
	const char *func;
	unsigned line;
	bool want_write; /* direction from the report */
	bool want_rmw;
	long long size;	    /* bytes, 0 unknown */
	const char *prefer; /* field the other side found, or NULL */
	int pick;	    /* take the pick-th of equally good candidates */
	const char *global; /* the binary stage's variable at the address, or NULL */
	const char *member; /* and the member path there ("i_lru.next"), or NULL */
	bool param_derefs;  /* kt_access_all: also fieldless *p of a parameter */
};
void kt_access_find(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		    const struct kt_access_query *q, struct kt_access_info *out);
struct kt_cand_list {
	struct kt_access_info *v;
	unsigned *off; /* file offset of each */
	size_t n;
};
/* Every access in fn's body fitting q's direction and size. */
void kt_access_all(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		   const struct kt_access_query *q, struct kt_cand_list *out);
void kt_cand_list_fini(struct kt_cand_list *l);
/* For an inline callee whose access is through its parameter number idx:
 * the argument expression passed at the call to callee on line in fn.
 * Fills field/text from the caller's argument ("&inode->i_atime"). */
bool kt_access_from_arg(struct kt_tu *tu, const struct kt_func *fn, unsigned line,
			const char *callee, int idx, struct kt_access_info *out);

/* "struct inode::i_atime.tv_sec" for a member expression; *root: the
 * expression the chain starts from. */
char *kt_member_path(CXCursor member, CXCursor *root);

#endif
