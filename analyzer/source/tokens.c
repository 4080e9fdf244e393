// SPDX-License-Identifier: Apache-2.0
/* The tokens of a file range as written, and what is read from them. */
#include <stdlib.h>

#include "internal.h"
#include "tokens.h"

void kt_toks_range(CXTranslationUnit tu, CXFile f, unsigned from, unsigned to, struct kt_toks *out)
{
	CXSourceRange r = clang_getRange(clang_getLocationForOffset(tu, f, from),
					 clang_getLocationForOffset(tu, f, to));
	CXToken *toks = NULL;
	unsigned n = 0;

	out->t = NULL;
	out->n = 0;
	clang_tokenize(tu, r, &toks, &n);
	if (!n)
		return;
	out->t = kt_xcalloc(n, sizeof(struct kt_tok));
	for (unsigned i = 0; i < n; i++) {
		struct kt_tok *t = &out->t[out->n];
		CXFile tf;
		unsigned line, col, off;

		clang_getFileLocation(clang_getTokenLocation(tu, toks[i]), &tf, &line, &col, &off);
		if (off >= to && out->n)
			break;
		t->kind = clang_getTokenKind(toks[i]);
		t->text = kt_cx_str(clang_getTokenSpelling(tu, toks[i]));
		t->off = off;
		t->line = line;
		out->n++;
	}
	clang_disposeTokens(tu, toks, n);
}

void kt_toks_free(struct kt_toks *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->t[i].text);
	free(t->t);
	t->t = NULL;
	t->n = 0;
}
