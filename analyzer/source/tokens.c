// SPDX-License-Identifier: Apache-2.0
/* The tokens of a file range as written, and what is read from them. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kcsan/strbuf.h"
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

bool kt_toks_call_at(const struct kt_toks *tk, size_t i)
{
	return i + 1 < tk->n && tk->t[i].kind == CXToken_Identifier &&
	       strcmp(tk->t[i + 1].text, "(") == 0;
}

size_t kt_toks_close(const struct kt_toks *tk, size_t open)
{
	static const char *const pairs[][2] = {{"(", ")"}, {"[", "]"}, {"{", "}"}};
	const char *o = NULL, *c = NULL;
	int depth = 0;

	for (size_t k = 0; open < tk->n && k < 3; k++)
		if (strcmp(tk->t[open].text, pairs[k][0]) == 0) {
			o = pairs[k][0];
			c = pairs[k][1];
		}
	if (!o)
		return tk->n;
	for (size_t j = open; j < tk->n; j++) {
		if (strcmp(tk->t[j].text, o) == 0)
			depth++;
		else if (strcmp(tk->t[j].text, c) == 0 && --depth == 0)
			return j;
	}
	return tk->n;
}

size_t kt_toks_first_comma(const struct kt_toks *tk, size_t open, size_t close)
{
	int depth = 0;

	for (size_t q = open + 1; q < close && q < tk->n; q++) {
		const char *s = tk->t[q].text;

		if (strcmp(s, "(") == 0 || strcmp(s, "[") == 0 || strcmp(s, "{") == 0)
			depth++;
		else if (strcmp(s, ")") == 0 || strcmp(s, "]") == 0 || strcmp(s, "}") == 0)
			depth--;
		else if (depth == 0 && strcmp(s, ",") == 0)
			return q;
	}
	return close;
}

char *kt_toks_decl_struct(const struct kt_toks *tk, const char *var)
{
	for (size_t i = 0; i + 3 < tk->n; i++) {
		size_t j = i + 2;

		if (strcmp(tk->t[i].text, "struct") && strcmp(tk->t[i].text, "union"))
			continue;
		while (j < tk->n && !strcmp(tk->t[j].text, "*"))
			j++;
		if (j < tk->n && j > i + 2 && !strcmp(tk->t[j].text, var)) {
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			kt_strbuf_addf(&sb, "%s %s", tk->t[i].text, tk->t[i + 1].text);
			return kt_strbuf_detach(&sb);
		}
	}
	return NULL;
}
