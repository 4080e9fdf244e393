/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A hand-written lexer over C tokens, for reading a whole kernel tree in
 * seconds (a compiler front end cannot parse 30 000 files per query). It
 * knows comments, string and character literals, line continuations and
 * preprocessor lines; it evaluates no macro. Conditional blocks: `#if 0`
 * regions are skipped, and when the first branch of a conditional leaves
 * the brackets unbalanced (`if (a) {` / `#else` / `if (b) {`) the other
 * branches are skipped so that the braces still pair up. Token offsets are
 * byte offsets in the file.
 */
#ifndef KT_CENSUS_LEX_H
#define KT_CENSUS_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ct_kind {
	CT_IDENT = 1,
	CT_NUM,
	CT_STR,
	CT_CHR,
	CT_PUNCT,
	CT_PPDEF, /* `#define`: its tokens follow, flagged CTF_PP, up to CT_PPEND */
	CT_PPEND,
};

#define CTF_PP 1u /* inside a #define */

/* Punctuators are their characters packed into v. */
#define P1(a)	    ((uint32_t)(unsigned char)(a))
#define P2(a, b)    (P1(a) | (P1(b) << 8))
#define P3(a, b, c) (P2(a, b) | (P1(c) << 16))

struct ct_tok {
	uint32_t off, len, line;
	uint16_t kind, flags;
	uint32_t v; /* punctuator code; for identifiers: an id the caller sets */
};

struct ct_toks {
	struct ct_tok *t;
	size_t n, cap;
};

/* Keep #define directives as CT_PPDEF..CT_PPEND (else they are dropped). */
#define CL_DEFINES 1u

/* Lexes buf[from, to) (buf holds the whole file: len bytes), the first line
 * being `line`, appending to out (which is reset first). Never fails: bytes
 * that are no C token are skipped. */
void ct_lex(const char *buf, size_t len, size_t from, size_t to, uint32_t line, unsigned mode,
	    struct ct_toks *out);
void ct_toks_free(struct ct_toks *t);

static inline bool ct_is(const struct ct_tok *t, uint32_t punct)
{
	return t->kind == CT_PUNCT && t->v == punct;
}

/* Identifier token equal to the NUL-terminated word. */
bool ct_ident_eq(const char *buf, const struct ct_tok *t, const char *word);
/* C keywords (and GCC's spellings of them), which are never names. */
bool ct_keyword(const char *s, size_t n);
/* A keyword that names or qualifies a type (int, unsigned, const, struct...). */
bool ct_type_keyword(const char *s, size_t n);

#endif
