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

enum kt_access_kind {
	KT_AK_MEMBER, /* x->f, x.f.g */
	KT_AK_GLOBAL, /* a global variable */
	KT_AK_ARRAY,  /* an element: a[i] */
	KT_AK_DEREF,  /* *p */
	KT_AK_COPY,   /* a copy helper's frame (access.tbl `copy`) */
};

/*
 * An access expression: what it is, what the program does with its value,
 * and how it was chosen. One struct from the candidates on a line (or in a
 * body) to the side's placed access.
 */
struct kt_access_info {
	bool found; /* an access was chosen: the fields below describe it */
	enum kt_access_kind kind;
	char *copy_kind;       /* KT_AK_COPY: access.tbl's kind (memcpy, user-copy...) */
	char *text;	       /* the expression as written, with "(via ...)" or "(in f, ...)" */
	char *raw;	       /* the expression's own text */
	char *field;	       /* "struct inode::i_mode" (member path), global name... */
	char *type;	       /* expression type */
	char *marking;	       /* READ_ONCE, atomic, ...; NULL: plain */
	unsigned off;	       /* file offset of the expression's cursor */
	unsigned s_off, e_off; /* its extent */
	long long size;	       /* bytes of the expression's type, -1 unknown */
	long long word;	       /* bytes of the scalar accessed (an array's element) */
	bool ast;	       /* from the AST (not the token fallback) */
	CXCursor fn;	       /* the function whose body holds it */

	/* what the program does with it */
	bool write, rmw, addr, branch, deref, bittest;
	bool cmp;		 /* operand of == != ! && || or the whole condition */
	bool arg, called;	 /* an argument of a call; the callee called through */
	bool has_mask;		 /* the value is tested against a constant mask */
	bool bitfield;		 /* a bitfield member: a mask is of its value bits */
	unsigned long long mask; /* that mask, in the accessed word's bits */
	bool use_known;		 /* compare_only and reload_use were worked out */
	bool compare_only;	 /* the value is only compared or truth-tested */
	bool reload_use;	 /* a later load of the same expression is followed */
	bool use_after_check;	 /* this use follows a test of an earlier load */
	char **passed_to;	 /* functions of the `passed` table it is passed to */
	size_t npassed;
	char **guards;	   /* in an if without else whose body only calls: */
	size_t nguards;	   /* the functions called (helpers' calls followed) */
	bool guards_defer; /* all of them queue deferred work (access.tbl `defer`) */

	/* the marking macro around it */
	bool mark_rmw;		     /* a read-modify-write marking (atomic_inc) */
	bool mark_value;	     /* a macro that yields the value (READ_ONCE) */
	bool mark_write;	     /* a storing macro (WRITE_ONCE(x, v)) */
	unsigned mark_from, mark_to; /* its name and closing parenthesis */

	/* the object */
	bool data_racy;	    /* the field is declared __data_racy */
	int param_index;    /* >= 0: the base is this parameter of the function */
	char *param_suffix; /* member path below the parameter ("tv_sec") */
	char *rec;	    /* first-level member: its struct, and the byte offset */
	long long rec_off;  /* (-1 unknown) */
	char *deref_key;    /* a fieldless *p of parameter p: "*p (parameter of f)" */
	char *buffer;	    /* for copies: page-cache, user, skb... */
	char *buffer_desc;  /* "page cache data" */

	/* the value followed through locals */
	CXCursor local;	   /* the local variable the value is stored into */
	CXCursor rhs;	   /* for `x = v`: v */
	char *stored;	   /* for a store: the value's expression, locals followed */
	bool stored_clock; /* it reads a clock source (access.tbl `clock`) */

	/* the choice on the line */
	char *note;
	int ncand; /* candidates on the line */
	int nbest; /* of them, equally good */
};

/* member, global, array, deref, or the copy kind */
const char *kt_access_kind_name(const struct kt_access_info *a);
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
	bool not_global;    /* the binary stage placed the address outside any
			     * variable (heap, vmalloc, stack): no global is it */
	bool param_derefs;  /* kt_access_all: also fieldless *p of a parameter */
};
void kt_access_find(const struct kt_tables *t, struct kt_tu *tu, const struct kt_func *fn,
		    const struct kt_access_query *q, struct kt_access_info *out);
/* The helpers an access of a body is in, from the function searched: read
 * fn[0] up to at[0] (the access, or its call of fn[1]), then fn[1] up to
 * at[1]. n 0: the access is in the body itself. */
struct kt_via {
	struct kt_func fn[2];
	unsigned at[2];
	int n;
};

/* An access of a body, at offset `at` of the function searched (its own
 * offset, or that of the call leading to the helper it is in). */
struct kt_cand {
	struct kt_access_info a;
	unsigned at;
	struct kt_via via;
};

struct kt_cand_list {
	struct kt_cand *v;
	size_t n;
};
/* Append *a to l (moved: *a is left empty); via NULL: in the body itself. */
void kt_cand_list_add(struct kt_cand_list *l, struct kt_access_info *a, unsigned at,
		      const struct kt_via *via);
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
