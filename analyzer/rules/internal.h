/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to the rule engine: the pre-parsed form of a rule set, shared by
 * the loader (ruleset.c, parse.c) and the evaluator (eval.c). Everything here
 * is built once at load time and only read during evaluation, so one rule set
 * can be evaluated from several threads at once.
 */
#ifndef KT_RULES_INTERNAL_H
#define KT_RULES_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kcsan/rules.h"

/* Regex evaluation bounds: a pathological pattern gives up instead of
 * running for minutes (the result is then "no match", and reported). */
#define KR_MATCH_LIMIT 100000u
#define KR_DEPTH_LIMIT 2000u

enum kr_side {
	KR_SIDE_NONE, /* report-level fact */
	KR_SIDE_A,
	KR_SIDE_B,
	KR_SIDE_X,
	KR_SIDE_Y,
	KR_SIDE_EITHER,
	KR_SIDE_BOTH,
};

enum kr_op {
	KR_OP_TRUTH,
	KR_OP_NOT,
	KR_OP_MISSING,
	KR_OP_PRESENT,
	KR_OP_MATCH,  /* ~ */
	KR_OP_NMATCH, /* !~ */
	KR_OP_EQ,
	KR_OP_NE,
	KR_OP_LT,
	KR_OP_LE,
	KR_OP_GT,
	KR_OP_GE,
	KR_OP_BAND,  /* & : the bitwise AND of two integers is non-zero */
	KR_OP_NBAND, /* !& : it is zero */
};

enum kr_vtype { KR_VAL_NONE, KR_VAL_REGEX, KR_VAL_INT, KR_VAL_BOOL, KR_VAL_STR, KR_VAL_FACT };

/* [side.]name[from:to], resolved to the two possible fact names. */
struct kr_operand {
	enum kr_side side;
	char *full[2]; /* "a.NAME"/"b.NAME"; both NAME for KR_SIDE_NONE */
	size_t fid[2]; /* interned ids of full[] in the rule set (set at commit) */
	bool slice;
	size_t from, to; /* to == SIZE_MAX: open end */
	size_t at;	 /* byte offset in the value it was parsed from */
};

struct kr_test {
	struct kr_operand opd;
	enum kr_op op;
	enum kr_vtype vt;
	pcre2_code *re;
	bool jit; /* re was JIT-compiled: use the fast path */
	int64_t i;
	bool b;
	char *s;
	struct kr_operand rhs; /* KR_VAL_FACT: a., b., x. or y. fact */
};

struct kr_cond {
	struct kr_test *tests; /* joined by || */
	size_t ntests;
	bool unless;
	bool xy; /* a test names x. or y.: its value depends on the binding */
};

struct kr_tseg {
	char *lit; /* literal text, or NULL for a fact reference */
	struct kr_operand opd;
	char *def; /* {fact|def}: text when absent, or NULL */
};

struct kr_template {
	struct kr_tseg *segs;
	size_t nsegs;
};

struct kr_rule {
	char *id;
	char *family; /* or NULL */
	char *file;
	long line; /* of the [id] line */
	enum kt_verdict verdict;
	enum kt_confidence confidence;
	int priority;
	struct kr_cond *conds;
	size_t nconds;
	struct kr_template explain, action;
	bool uses_xy; /* conditions or templates use x./y. */
	/* Fact ids its conditions read, per binding (0: x=a,y=b; 1: x=b,y=a). */
	size_t *used[2];
	size_t nused[2];
};

struct kt_ruleset {
	struct kr_rule **rules; /* load order */
	size_t n, cap;
	char **names; /* interned resolved fact names */
	size_t nnames, capnames;
	pcre2_match_context *mctx; /* read-only once created */
	/* Below it a decision becomes unknown, with a lean (eval.c). */
	enum kt_confidence min_decided;
	const struct kt_catalogue *cat; /* kt_ruleset_require_facts(), or NULL */
};

void kr_rule_free(struct kr_rule *r);
void kr_operand_fini(struct kr_operand *o);

/*
 * Parsers for one value. On failure they return false and set *err (caller
 * frees) and *errpos, the byte offset in s where the problem is.
 */
bool kr_parse_condition(const char *s, struct kr_cond *out, bool *uses_xy, char **err,
			size_t *errpos);
void kr_cond_fini(struct kr_cond *c);
bool kr_parse_template(const char *s, struct kr_template *out, bool *uses_xy, char **err,
		       size_t *errpos);
void kr_template_fini(struct kr_template *t);

#endif
