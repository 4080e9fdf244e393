// SPDX-License-Identifier: Apache-2.0
/*
 * The census lexer and declaration reader on their corners: comments,
 * literals, line continuations, preprocessor lines, conditional blocks
 * whose branches do not balance, truncated input; declarations in the
 * kernel's spellings.
 */
#include "decl.h"
#include "harness.h"
#include "lex.h"
#include "seg.h"

static struct ct_toks toks;

static size_t lex(const char *src, unsigned mode)
{
	ct_lex(src, strlen(src), 0, strlen(src), 1, mode, &toks);
	return toks.n;
}

/* The tokens as "text@line" joined by spaces. */
static const char *show(const char *src)
{
	static char out[1024];
	size_t o = 0;

	out[0] = 0;
	for (size_t i = 0; i < toks.n && o + 64 < sizeof(out); i++) {
		const struct ct_tok *t = &toks.t[i];

		if (t->kind == CT_PPDEF || t->kind == CT_PPEND)
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%s", i ? " " : "",
					      t->kind == CT_PPDEF ? "<def>" : "</def>");
		else
			o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s@%u", i ? " " : "",
					      (int)t->len, src + t->off, t->line);
	}
	return out;
}

static void lexer(void)
{
	const char *s;

	s = "a /* c\nomment */ b // x \\\n still comment\nc";
	lex(s, 0);
	CHECK_STR(show(s), "a@1 b@2 c@4");

	s = "x = \"a\\\"b /* no */\" + 'y' + '\\'' ;";
	lex(s, 0);
	CHECK_INT(toks.n, 8);
	CHECK(toks.n == 8 && toks.t[2].kind == CT_STR && toks.t[4].kind == CT_CHR &&
	      toks.t[6].kind == CT_CHR);

	s = "#define X(a) ((a)->f + \\\n 1)\nint y;";
	lex(s, CL_DEFINES);
	CHECK_STR(show(s), "<def> X@1 (@1 a@1 )@1 (@1 (@1 a@1 )@1 ->@1 f@1 +@1 1@2 )@2 </def> "
			   "int@3 y@3 ;@3");
	lex(s, 0);
	CHECK_STR(show(s), "int@3 y@3 ;@3");

	s = "#if 0\na b\n#if 1\nc\n#endif\nd\n#else\ne\n#endif\nf";
	lex(s, 0);
	CHECK_STR(show(s), "e@8 f@10");

	/* The branches of #ifdef open the same brace twice: the second is
	 * dropped, so braces still pair up. */
	s = "void f(int a) {\n#ifdef X\n if (a) {\n#else\n if (!a) {\n#endif\n g();\n }\n}";
	lex(s, 0);
	{
		int depth = 0;

		for (size_t i = 0; i < toks.n; i++)
			depth += ct_is(&toks.t[i], '{') - ct_is(&toks.t[i], '}');
		CHECK_INT(depth, 0);
		CHECK(strstr(show(s), "!") == NULL);
	}
	/* Balanced branches are both read. */
	s = "#ifdef X\nint a;\n#else\nint b;\n#endif";
	lex(s, 0);
	CHECK_STR(show(s), "int@2 a@2 ;@2 int@4 b@4 ;@4");

	s = "a->b++ <<= c ... d # e";
	lex(s, 0);
	CHECK(toks.n == 10 && ct_is(&toks.t[1], P2('-', '>')) && ct_is(&toks.t[3], P2('+', '+')) &&
	      ct_is(&toks.t[4], P3('<', '<', '=')) && ct_is(&toks.t[6], P3('.', '.', '.')) &&
	      ct_is(&toks.t[8], '#'));

	s = "u8\"x\" L'y' 0x1fULL 1e+5 .5f";
	lex(s, 0);
	CHECK(toks.n == 5 && toks.t[0].kind == CT_STR && toks.t[1].kind == CT_CHR &&
	      toks.t[2].kind == CT_NUM && toks.t[3].kind == CT_NUM && toks.t[4].kind == CT_NUM &&
	      toks.t[3].len == 4);

	/* Truncated input ends the token, never the program. */
	static const char *const cut[] = {
	    "a /* never closed", "\"never closed", "'x", "#define X \\", "#if 0\nx", "\\", "#",
	    "#endif\n#else\n"};

	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		lex(cut[i], CL_DEFINES);
		CHECK(toks.n <= 4);
	}
	/* A range of the file keeps file offsets and the given first line. */
	s = "int a;\nint b;\n";
	ct_lex(s, strlen(s), 7, strlen(s), 2, 0, &toks);
	CHECK(toks.n == 3 && toks.t[0].off == 7 && toks.t[1].line == 2);
}

static bool parse(const char *src, struct decl *d, char *name, size_t cap)
{
	uint32_t *m;
	bool ok;

	lex(src, 0);
	m = decl_match(toks.t, toks.n);
	ok = decl_parse(src, toks.t, m, 0, toks.n, d);
	name[0] = 0;
	if (ok && d->nd && d->d[0].name >= 0)
		snprintf(name, cap, "%.*s", (int)toks.t[d->d[0].name].len,
			 src + toks.t[d->d[0].name].off);
	free(m);
	return ok;
}

static void declarations(void)
{
	struct decl d;
	char name[64];

	CHECK(parse("spinlock_t lock ____cacheline_aligned_in_smp;", &d, name, sizeof(name)));
	CHECK_STR(name, "lock");
	CHECK(d.ty.kind == TY_NAME && ct_ident_eq("spinlock_t", &toks.t[d.ty.name], "spinlock_t"));

	CHECK(parse("static inline void __fs_reclaim_acquire(unsigned long ip) { }", &d, name,
		    sizeof(name)));
	CHECK_STR(name, "__fs_reclaim_acquire");
	CHECK(d.fbody >= 0);

	CHECK(parse("static __printf(2, 3) void say(int a, const char *fmt, ...) { }", &d, name,
		    sizeof(name)));
	CHECK_STR(name, "say");

	CHECK(parse("void f(struct x *p) __must_hold(&p->lock) { }", &d, name, sizeof(name)));
	CHECK_STR(name, "f");
	CHECK(d.fbody >= 0 && d.d[0].params >= 0);

	CHECK(parse("struct { int a; } ____cacheline_aligned_in_smp;", &d, name, sizeof(name)));
	CHECK_STR(name, "");
	CHECK(d.ty.body >= 0);

	CHECK(parse("u8 enabled:1, paused:1;", &d, name, sizeof(name)));
	CHECK(d.nd == 2 && d.d[0].width >= 0 && d.d[1].width >= 0);

	CHECK(parse("int (*handler)(int irq, void *data);", &d, name, sizeof(name)));
	CHECK_STR(name, "handler");
	CHECK(d.d[0].fnptr);

	CHECK(parse("struct inode *inode = file_inode(f), **pp;", &d, name, sizeof(name)));
	CHECK(d.nd == 2 && d.ty.kind == TY_STRUCT && d.d[0].ptr == 1 && d.d[1].ptr == 2 &&
	      d.d[0].init >= 0);

	CHECK(parse("noinline foo_t bar(void) { }", &d, name, sizeof(name)));
	CHECK_STR(name, "bar");
	CHECK(d.ty.kind == TY_NAME && ct_ident_eq("noinline foo_t", &toks.t[d.ty.name], "foo_t"));

	CHECK(parse("unsigned long __unused;", &d, name, sizeof(name)));
	CHECK_STR(name, "__unused");

	/* Not declarations. */
	CHECK(!parse("DEFINE_MUTEX(lock);", &d, name, sizeof(name)));
	CHECK(!parse("x = 3;", &d, name, sizeof(name)));
	CHECK(!parse("return x;", &d, name, sizeof(name)));
	CHECK(!parse("p->f = 1;", &d, name, sizeof(name)));
	CHECK(!parse("foo(bar);", &d, name, sizeof(name)));
	/* A body without a declarator to own it is not swallowed. */
	CHECK(!parse("void { x; } int y;", &d, name, sizeof(name)));
}

int main(void)
{
	lexer();
	declarations();
	ct_toks_free(&toks);
	return kt_test_done("test_census_lex");
}
