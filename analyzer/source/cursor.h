/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cursor helpers: what libclang's AST gives about an expression (cursor.c).
 */
#ifndef KT_SOURCE_CURSOR_H
#define KT_SOURCE_CURSOR_H

#include <clang-c/Index.h>
#include <stdbool.h>

/* The first two children of a cursor (n: how many of them there are). */
struct kt_two {
	CXCursor c[2];
	int n;
};

/* The file offset of a location, and its file in *f. */
unsigned kt_cursor_off(CXSourceLocation l, CXFile *f);
/* An implicit conversion, parentheses or a cast: looked through. */
bool kt_cursor_transparent(CXCursor c);
/* c without the transparent nodes around it. */
CXCursor kt_cursor_strip(CXCursor c);
/* The first child of c, or a null cursor. */
CXCursor kt_cursor_child0(CXCursor c);
/* The last child of c (a variable's initializer follows its type), or null. */
CXCursor kt_cursor_last(CXCursor c);
struct kt_two kt_cursor_two(CXCursor c);
unsigned kt_cursor_count(CXCursor c);
/* The record a field belongs to, skipping anonymous structs and unions. */
CXCursor kt_cursor_record(CXCursor field);
bool kt_cursor_is_pointer(CXCursor e);
/* e (stripped) is a reference to var. */
bool kt_cursor_is_ref_to(CXCursor e, CXCursor var);
/* d is a local variable (not static, not global). */
bool kt_cursor_is_local(CXCursor d);
/* The index of parameter decl of function fn, -1 when it is not one. */
int kt_cursor_param_index(CXCursor fn, CXCursor decl);
/* The field is declared __data_racy (read from its declaration's tokens). */
bool kt_cursor_data_racy(CXTranslationUnit tu, CXCursor field);
/* "struct inode::i_atime.tv_sec" for a member expression; *root: the
 * expression the chain starts from. */
char *kt_member_path(CXCursor member, CXCursor *root);

#endif
