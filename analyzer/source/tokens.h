/* SPDX-License-Identifier: Apache-2.0 */
/* The tokens of a file range as written, and what is read from them (tokens.c). */
#ifndef KT_SOURCE_TOKENS_H
#define KT_SOURCE_TOKENS_H

#include <clang-c/Index.h>
#include <stddef.h>

struct kt_tok {
	CXTokenKind kind;
	char *text;
	unsigned off, line; /* file location */
};

struct kt_toks {
	struct kt_tok *t;
	size_t n;
};

/* The tokens of the file from offset from to offset to. */
void kt_toks_range(CXTranslationUnit tu, CXFile f, unsigned from, unsigned to, struct kt_toks *out);
void kt_toks_free(struct kt_toks *t);

#endif
