/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expression text and constants: what is written between cursors of a
 * file, operators, compile-time constants (exprtext.c).
 */
#ifndef KT_SOURCE_EXPRTEXT_H
#define KT_SOURCE_EXPRTEXT_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>

/* A file of a translation unit as read. */
struct kt_srcfile {
	CXTranslationUnit tu;
	CXFile file;
	const char *contents;
	size_t csize;
};

/* The text of c's extent, white space squeezed ("" when not in sf's file);
 * its offsets in *s_off, *e_off. */
char *kt_text_extent(const struct kt_srcfile *sf, CXCursor c, unsigned *s_off, unsigned *e_off);
/* The operator of a binary expression, NULL when not found. */
char *kt_text_binop(const struct kt_srcfile *sf, CXCursor op);
/* The prefix or postfix operator of a unary expression, or NULL. */
char *kt_text_unop(const struct kt_srcfile *sf, CXCursor op);
/* op only compares or truth-tests its operands (== != && ||). */
bool kt_text_compare_op(const struct kt_srcfile *sf, CXCursor op);
/* The value of e when it is a compile-time integer constant. */
bool kt_text_const_int(CXCursor e, unsigned long long *out);
/* The bits of m inside an access of `bytes` bytes. */
unsigned long long kt_text_in_word(unsigned long long m, long long bytes);
bool kt_text_ident_char(char ch);
/* The second argument of the macro whose name starts at offset from, as
 * written; NULL when there is none. */
char *kt_text_macro_arg(const struct kt_srcfile *sf, unsigned from);
/* Two texts of one expression, white space aside. */
bool kt_text_same(const char *a, const char *b);
/* c's extent is inside [from, to] of sf's file. */
bool kt_text_within(const struct kt_srcfile *sf, CXCursor c, unsigned from, unsigned to);

#endif
