/* SPDX-License-Identifier: Apache-2.0 */
/* The tokens of a file range as written, and what is read from them (tokens.c). */
#ifndef KT_SOURCE_TOKENS_H
#define KT_SOURCE_TOKENS_H

#include <clang-c/Index.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

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

/* Token i is s (false past the end). */
static inline bool kt_tok_is(const struct kt_toks *tk, size_t i, const char *s)
{
	return i < tk->n && strcmp(tk->t[i].text, s) == 0;
}

/* Token i names a call: an identifier followed by '('. */
bool kt_toks_call_at(const struct kt_toks *tk, size_t i);
/* The bracket closing the one at index open ("(", "[" or "{", counting only
 * that kind); tk->n when it is not closed. */
size_t kt_toks_close(const struct kt_toks *tk, size_t open);
/* The first comma at bracket depth 0 between tokens open and close, or close. */
size_t kt_toks_first_comma(const struct kt_toks *tk, size_t open, size_t close);
/* The type of VAR from its declaration among the tokens: "struct NAME * VAR"
 * (or union) gives "struct NAME"; NULL when there is none. */
char *kt_toks_decl_struct(const struct kt_toks *tk, const char *var);

#endif
