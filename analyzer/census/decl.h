/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Declarations read from tokens: a type and its declarators, as C writes
 * them in a file, a struct body, a parameter list or a block. Kernel
 * spellings are handled by shape, not by name: attribute groups
 * (`__aligned(8)`, `__attribute__((x))`), annotations between type and
 * name (`__rcu`, `__user`) and after it (`____cacheline_aligned`).
 */
#ifndef KT_CENSUS_DECL_H
#define KT_CENSUS_DECL_H

#include "lex.h"

/* Matching bracket of every ( [ { ) ] } token (itself when unmatched). */
uint32_t *decl_match(const struct ct_tok *t, size_t n);

struct dtype {
	uint8_t kind; /* enum ty_kind */
	long name;    /* token of the tag / typedef name / first base word; -1 */
	long body;    /* the `{` of a struct, union or enum body; -1 */
	bool is_typedef, is_static, is_extern;
};

struct dcl {
	long name;   /* token of the declared name; -1 when there is none */
	uint8_t ptr; /* `*`s */
	bool array, fnptr;
	long params;	     /* `(` of a function declarator's parameters; -1 */
	long width;	     /* first token of a bitfield width; -1 */
	long init, init_end; /* `= ...`: [init, init_end); -1 */
};

#define DECL_MAX 32

struct decl {
	struct dtype ty;
	struct dcl d[DECL_MAX];
	size_t nd;
	long next;  /* first token after the declaration (after `;`) */
	long fbody; /* a function definition: its body's `{`; -1 */
};

/* Parses a declaration starting at token i (not past end). False when the
 * tokens there are not a declaration (an expression, a macro call). */
bool decl_parse(const char *buf, const struct ct_tok *t, const uint32_t *match, size_t i,
		size_t end, struct decl *out);

/* An identifier spelled like an annotation: two leading underscores. */
bool decl_annot(const char *buf, const struct ct_tok *t);

#endif
