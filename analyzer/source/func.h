/* SPDX-License-Identifier: Apache-2.0 */
/* Functions inside a parsed translation unit (func.c). */
#ifndef KT_SOURCE_FUNC_H
#define KT_SOURCE_FUNC_H

#include <clang-c/Index.h>
#include <stdbool.h>

#include "tu.h"

struct kt_func {
	CXCursor cur; /* the FunctionDecl definition */
	CXFile file;
	unsigned start_off, end_off; /* file offsets of the whole definition */
	unsigned body_off;	     /* offset of the opening brace */
	bool by_name;		     /* found by name (else: by line only) */
	bool by_tokens;		     /* found in the tokens only: cur is null */
	char name[128];
};

/* The definition of kind (FunctionDecl, StructDecl, UnionDecl) named name. */
bool kt_tu_lookup(struct kt_tu *tu, enum CXCursorKind kind, const char *name, CXCursor *out);
void kt_tu_index_free(struct kt_tu_index *ix);

/* Find the definition of func containing file:line (file relative to the
 * tree). Falls back to any definition containing the line. */
bool kt_func_find(struct kt_tu *tu, const char *src_dir, const char *rel, unsigned line,
		  const char *func, struct kt_func *out);
/* A function definition's cursor as a kt_func (false: not a definition
 * with a body). */
bool kt_func_from_cursor(CXCursor def, struct kt_func *out);
/* The definition of func anywhere in rel (the line has drifted). */
bool kt_func_find_named(struct kt_tu *tu, const char *src_dir, const char *rel, const char *func,
			struct kt_func *out);
/* The function fn only forwards to: its body is the one statement
 * `return g(...);` or `g(...);` with g defined in the translation unit
 * (an old name kept as a wrapper of the new one). False otherwise. */
bool kt_func_forwarded(const struct kt_func *fn, struct kt_func *out);
/* func name without .constprop.0/.isra.0/.part.0 suffixes; caller frees. */
char *kt_func_base_name(const char *func);
/* Offset of the first byte of line in the file's buffer; false when past the end. */
bool kt_line_offset(CXTranslationUnit tu, CXFile f, unsigned line, unsigned *off);
/* "struct inode" */
char *kt_type_name(CXType t);

#endif
