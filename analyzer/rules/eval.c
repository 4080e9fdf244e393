// SPDX-License-Identifier: Apache-2.0
/*
 * Rule evaluation and winner selection. The rule set is only read here; all
 * scratch state (the fact lookup cache, the PCRE2 match data) lives in the
 * call, so several threads may evaluate one rule set at once.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "kcsan/strbuf.h"

/* Marks "looked up, absent" in the per-call fact cache (NULL: not looked up). */
static const struct kt_fact absent_fact;

/* Cache slots kept on the stack; bigger rule sets allocate. */
#define KR_STACK_CACHE 512

struct ectx {
	const struct kt_ruleset *rs;
	const struct kt_facts *facts;
	const struct kt_fact **cache;
	pcre2_match_data *md;
	const struct kr_rule *cur;
	const struct kr_rule *limit_rule; /* first rule whose regex hit a limit */
};

static const struct kt_fact *get(struct ectx *c, size_t fid)
{
	const struct kt_fact *f = c->cache[fid];

	if (!f) {
		f = kt_facts_get(c->facts, c->rs->names[fid]);
		c->cache[fid] = f ? f : &absent_fact;
		return f;
	}
	return f == &absent_fact ? NULL : f;
}

/* 1 match, 0 no match, -1 a limit was hit (counted as no match). */
static int rx(struct ectx *c, const struct kr_test *t, const char *s)
{
	int rc = t->jit ? pcre2_jit_match(t->re, (PCRE2_SPTR)s, strlen(s), 0, 0, c->md, c->rs->mctx)
			: pcre2_match(t->re, (PCRE2_SPTR)s, strlen(s), 0, 0, c->md, c->rs->mctx);

	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (!c->limit_rule)
		c->limit_rule = c->cur;
	return -1;
}

/* Compare fact f with fact g (KR_VAL_FACT): same type, both present. */
static bool compare_facts(enum kr_op op, const struct kt_fact *f, const struct kt_fact *g)
{
	int cmp;

	if (!g || f->type != g->type)
		return false;
	switch (f->type) {
	case KT_FACT_INT:
		if (op == KR_OP_BAND || op == KR_OP_NBAND)
			return ((f->i & g->i) != 0) == (op == KR_OP_BAND);
		cmp = f->i < g->i ? -1 : f->i > g->i;
		break;
	case KT_FACT_BOOL:
		if (op != KR_OP_EQ && op != KR_OP_NE)
			return false;
		cmp = f->b != g->b;
		break;
	case KT_FACT_STR:
		if (op != KR_OP_EQ && op != KR_OP_NE)
			return false;
		cmp = strcmp(f->s ? f->s : "", g->s ? g->s : "") != 0;
		break;
	default:
		return false;
	}
	switch (op) {
	case KR_OP_EQ:
		return cmp == 0;
	case KR_OP_NE:
		return cmp != 0;
	case KR_OP_LT:
		return cmp < 0;
	case KR_OP_LE:
		return cmp <= 0;
	case KR_OP_GT:
		return cmp > 0;
	case KR_OP_GE:
		return cmp >= 0;
	default:
		return false;
	}
}

static bool test_one(struct ectx *c, const struct kr_test *t, const struct kt_fact *f,
		     const struct kt_fact *rhs)
{
	const char *const *list = NULL;
	size_t nlist = 0;
	bool is_list, v;

	if (t->op == KR_OP_MISSING)
		return !f;
	if (t->op == KR_OP_PRESENT)
		return f != NULL;
	if (!f)
		return false;
	is_list = f->type == KT_FACT_STRLIST;
	if (is_list) {
		list = f->list;
		nlist = f->nlist;
	}
	if (t->opd.slice) {
		size_t lo, hi;

		if (!is_list)
			return false;
		lo = t->opd.from < nlist ? t->opd.from : nlist;
		hi = t->opd.to < nlist ? t->opd.to : nlist;
		nlist = hi > lo ? hi - lo : 0;
		list = nlist ? list + lo : NULL;
	}
	if (t->vt == KR_VAL_FACT)
		return !is_list && compare_facts(t->op, f, rhs);
	switch (t->op) {
	case KR_OP_TRUTH:
	case KR_OP_NOT:
		switch (f->type) {
		case KT_FACT_BOOL:
			v = f->b;
			break;
		case KT_FACT_INT:
			v = f->i != 0;
			break;
		case KT_FACT_STR:
			v = f->s && *f->s;
			break;
		default:
			v = nlist > 0;
			break;
		}
		return t->op == KR_OP_TRUTH ? v : !v;
	case KR_OP_MATCH:
	case KR_OP_NMATCH:
		if (f->type == KT_FACT_STR) {
			int r = rx(c, t, f->s ? f->s : "");
			if (r < 0)
				return false;
			return (r == 1) == (t->op == KR_OP_MATCH);
		}
		if (is_list) {
			bool any = false, limit = false;

			for (size_t i = 0; i < nlist && !any; i++) {
				int r = rx(c, t, list[i] ? list[i] : "");
				any = r == 1;
				limit |= r < 0;
			}
			return t->op == KR_OP_MATCH ? any : !any && !limit;
		}
		return false;
	case KR_OP_EQ:
	case KR_OP_NE:
		if (is_list)
			return false;
		switch (t->vt) {
		case KR_VAL_INT:
			if (f->type != KT_FACT_INT)
				return false;
			v = f->i == t->i;
			break;
		case KR_VAL_BOOL:
			if (f->type != KT_FACT_BOOL)
				return false;
			v = f->b == t->b;
			break;
		case KR_VAL_STR:
			if (f->type != KT_FACT_STR)
				return false;
			v = strcmp(f->s ? f->s : "", t->s) == 0;
			break;
		default:
			return false;
		}
		return t->op == KR_OP_EQ ? v : !v;
	case KR_OP_LT:
		return f->type == KT_FACT_INT && f->i < t->i;
	case KR_OP_LE:
		return f->type == KT_FACT_INT && f->i <= t->i;
	case KR_OP_GT:
		return f->type == KT_FACT_INT && f->i > t->i;
	case KR_OP_GE:
		return f->type == KT_FACT_INT && f->i >= t->i;
	case KR_OP_BAND:
		return f->type == KT_FACT_INT && (f->i & t->i) != 0;
	case KR_OP_NBAND:
		return f->type == KT_FACT_INT && (f->i & t->i) == 0;
	default:
		return false;
	}
}

/* The fact id an operand names under binding b (not for either/both). */
static size_t resolve(const struct kr_operand *o, int b)
{
	switch (o->side) {
	case KR_SIDE_B:
		return o->fid[1];
	case KR_SIDE_X:
		return o->fid[b];
	case KR_SIDE_Y:
		return o->fid[1 - b];
	default:
		return o->fid[0];
	}
}

static bool test_eval(struct ectx *c, const struct kr_test *t, int b)
{
	const struct kr_operand *o = &t->opd;
	const struct kt_fact *rhs = NULL;

	if (t->vt == KR_VAL_FACT && !(rhs = get(c, resolve(&t->rhs, b))))
		return false; /* the other fact is absent */
	switch (o->side) {
	case KR_SIDE_EITHER:
		return test_one(c, t, get(c, o->fid[0]), rhs) ||
		       test_one(c, t, get(c, o->fid[1]), rhs);
	case KR_SIDE_BOTH:
		return test_one(c, t, get(c, o->fid[0]), rhs) &&
		       test_one(c, t, get(c, o->fid[1]), rhs);
	default:
		return test_one(c, t, get(c, resolve(o, b)), rhs);
	}
}

/* Whether r holds under binding b. When it does not, *retry says whether
 * the other binding could change that (the failing line names x. or y.). */
static bool rule_matches(struct ectx *c, const struct kr_rule *r, int b, bool *retry)
{
	for (size_t i = 0; i < r->nconds; i++) {
		const struct kr_cond *cd = &r->conds[i];
		bool any = false;

		for (size_t j = 0; j < cd->ntests && !any; j++)
			any = test_eval(c, &cd->tests[j], b);
		if (any == cd->unless) {
			*retry = cd->xy;
			return false;
		}
	}
	return true;
}

static void add_value(struct kt_strbuf *sb, const struct kt_fact *f, const struct kr_operand *o)
{
	switch (f->type) {
	case KT_FACT_BOOL:
		kt_strbuf_adds(sb, f->b ? "true" : "false");
		break;
	case KT_FACT_INT:
		kt_strbuf_addf(sb, "%lld", (long long)f->i);
		break;
	case KT_FACT_STR:
		kt_strbuf_adds(sb, f->s ? f->s : "");
		break;
	case KT_FACT_STRLIST: {
		size_t lo = 0, hi = f->nlist;

		if (o->slice) {
			lo = o->from < hi ? o->from : hi;
			hi = o->to < hi ? o->to : hi;
		}
		for (size_t i = lo; i < hi; i++) {
			if (i > lo)
				kt_strbuf_adds(sb, ", ");
			kt_strbuf_adds(sb, f->list[i] ? f->list[i] : "");
		}
		break;
	}
	}
}

static void expand(struct ectx *c, struct kt_strbuf *sb, const struct kr_template *t, int b)
{
	for (size_t i = 0; i < t->nsegs; i++) {
		const struct kr_tseg *s = &t->segs[i];
		size_t fid;
		const struct kt_fact *f;

		if (s->lit) {
			kt_strbuf_adds(sb, s->lit);
			continue;
		}
		fid = resolve(&s->opd, b);
		f = get(c, fid);
		if (f && s->opd.slice && f->type != KT_FACT_STRLIST)
			f = NULL; /* as in conditions: a slice of a non-list is no value */
		if (f)
			add_value(sb, f, &s->opd);
		else if (s->def)
			kt_strbuf_adds(sb, s->def);
		else
			kt_strbuf_addf(sb, "(%s unknown)", c->rs->names[fid]);
	}
}

struct hit {
	const struct kr_rule *r;
	int b;
	size_t order;
};

static int cmp_hit(const void *pa, const void *pb)
{
	const struct hit *a = pa, *b = pb;

	if (a->r->priority != b->r->priority)
		return a->r->priority > b->r->priority ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static const char *binding_name(const struct kr_rule *r, int b)
{
	if (!r->uses_xy)
		return "";
	return b ? "x=b,y=a" : "x=a,y=b";
}

static void fill_match(const struct ectx *c, const struct hit *h, struct kt_rule_match *m)
{
	const struct kr_rule *r = h->r;

	m->id = r->id;
	m->verdict = r->verdict;
	m->confidence = r->confidence;
	m->priority = r->priority;
	m->binding = binding_name(r, h->b);
	m->nfacts_used = r->nused[h->b];
	m->facts_used = kt_xcalloc(m->nfacts_used ? m->nfacts_used : 1, sizeof(char *));
	for (size_t i = 0; i < m->nfacts_used; i++)
		m->facts_used[i] = kt_xstrdup(c->rs->names[r->used[h->b][i]]);
}

static void describe_hit(struct kt_strbuf *sb, const struct hit *h, bool verdict)
{
	kt_strbuf_addf(sb, "%s (priority %d", h->r->id, h->r->priority);
	if (verdict)
		kt_strbuf_addf(sb, ", %s", kt_verdict_name(h->r->verdict));
	kt_strbuf_addc(sb, ')');
}

static void select_winner(struct ectx *c, struct hit *hits, size_t n, struct kt_rule_result *res)
{
	struct kt_strbuf sel, ex, ac;
	size_t ntop = 1;
	bool conflict = false;

	kt_strbuf_init(&sel);
	kt_strbuf_init(&ex);
	kt_strbuf_init(&ac);
	qsort(hits, n, sizeof(*hits), cmp_hit);
	while (ntop < n && hits[ntop].r->priority == hits[0].r->priority) {
		if (hits[ntop].r->verdict != hits[0].r->verdict)
			conflict = true;
		ntop++;
	}
	if (conflict) {
		/* One reason per verdict: the first loaded rule of each. */
		bool seen[3] = {false, false, false};

		res->verdict = KT_VERDICT_UNKNOWN;
		res->confidence = KT_CONF_LOW;
		res->rule_id = "conflict";
		kt_strbuf_adds(&sel, "conflict: ");
		for (size_t i = 0; i < ntop; i++) {
			const struct hit *h = &hits[i];

			if (i)
				kt_strbuf_adds(&sel, i + 1 == ntop ? " and " : ", ");
			describe_hit(&sel, h, true);
			if (seen[h->r->verdict])
				continue;
			seen[h->r->verdict] = true;
			if (ex.len) {
				kt_strbuf_adds(&ex, "; ");
				kt_strbuf_adds(&ac, "; ");
			}
			kt_strbuf_addf(&ex, "%s by %s: ", kt_verdict_name(h->r->verdict), h->r->id);
			expand(c, &ex, &h->r->explain, h->b);
			kt_strbuf_addf(&ac, "%s by %s: ", kt_verdict_name(h->r->verdict), h->r->id);
			expand(c, &ac, &h->r->action, h->b);
		}
		kt_strbuf_adds(&sel, " matched with the same priority and different verdicts");
	} else {
		const struct hit *w = &hits[0];
		bool other = false;

		/* Only a decisive rule of the other verdict contradicts the
		 * winner; an "unknown" rule abstains. */
		for (size_t i = 1; i < n; i++)
			other |= hits[i].r->verdict != w->r->verdict &&
				 hits[i].r->verdict != KT_VERDICT_UNKNOWN;
		res->verdict = w->r->verdict;
		res->confidence = w->r->confidence;
		res->rule_id = w->r->id;
		expand(c, &ex, &w->r->explain, w->b);
		expand(c, &ac, &w->r->action, w->b);
		describe_hit(&sel, w, false);
		if (n == 1) {
			kt_strbuf_adds(&sel, " was the only rule that matched");
		} else {
			kt_strbuf_adds(&sel, " won over ");
			for (size_t i = 1; i < n; i++) {
				if (i > 1)
					kt_strbuf_adds(&sel, ", ");
				describe_hit(&sel, &hits[i], true);
				if (i < ntop)
					kt_strbuf_adds(&sel, " (same priority, loaded later)");
			}
		}
		if (other && res->confidence > KT_CONF_LOW) {
			res->confidence--;
			kt_strbuf_addf(
			    &sel,
			    "; confidence lowered from %s to %s because a rule with the opposite "
			    "verdict matched too",
			    kt_confidence_name(w->r->confidence),
			    kt_confidence_name(res->confidence));
		}
	}
	res->selection = kt_strbuf_detach(&sel);
	res->explanation = kt_strbuf_detach(&ex);
	res->action = kt_strbuf_detach(&ac);
}

void kt_ruleset_set_min_confidence(struct kt_ruleset *rs, enum kt_confidence c)
{
	rs->min_decided = c;
}

enum kt_confidence kt_ruleset_min_confidence(const struct kt_ruleset *rs)
{
	return rs->min_decided;
}

/* A decision below the rule set's minimum confidence becomes unknown; the
 * lean (set_lean) keeps what it would have said. */
static bool apply_min_confidence(const struct kt_ruleset *rs, struct kt_rule_result *res,
				 enum kt_confidence *was)
{
	struct kt_strbuf sel;

	if (res->verdict == KT_VERDICT_UNKNOWN || res->confidence >= rs->min_decided)
		return false;
	*was = res->confidence;
	kt_strbuf_init(&sel);
	kt_strbuf_addf(&sel,
		       "%s; %s at %s confidence is below the minimum for a decision (%s): "
		       "unknown, leaning %s",
		       res->selection, kt_verdict_name(res->verdict), kt_confidence_name(*was),
		       kt_confidence_name(rs->min_decided), kt_verdict_name(res->verdict));
	free(res->selection);
	res->selection = kt_strbuf_detach(&sel);
	res->verdict = KT_VERDICT_UNKNOWN;
	res->confidence = KT_CONF_LOW;
	return true;
}

static void add_lean_reason(struct kt_rule_result *res, struct kt_strbuf *sb)
{
	res->lean_reasons =
	    kt_xrealloc(res->lean_reasons, (res->nlean_reasons + 1) * sizeof(char *));
	res->lean_reasons[res->nlean_reasons++] = kt_strbuf_detach(sb);
}

/* For an unknown verdict: where the decisive rules that matched point (the
 * verdict of the highest-priority one, none when the two verdicts tie at
 * that priority), and why each did not decide. hits are sorted, winner
 * first; demoted: hits[0] decided at confidence was, below the minimum. */
static void set_lean(const struct ectx *c, const struct hit *hits, size_t n, bool demoted,
		     enum kt_confidence was, struct kt_rule_result *res)
{
	const struct kr_rule *top = hits[0].r;
	bool conflict = res->rule_id && strcmp(res->rule_id, "conflict") == 0;
	size_t best = n;

	res->lean = KT_VERDICT_UNKNOWN;
	for (size_t i = 0; i < n && best == n; i++)
		if (hits[i].r->verdict != KT_VERDICT_UNKNOWN)
			best = i;
	if (best == n)
		return;
	res->lean = hits[best].r->verdict;
	for (size_t i = best + 1; i < n && hits[i].r->priority == hits[best].r->priority; i++)
		if (hits[i].r->verdict != KT_VERDICT_UNKNOWN &&
		    hits[i].r->verdict != hits[best].r->verdict)
			res->lean = KT_VERDICT_UNKNOWN; /* the decisive rules disagree */
	for (size_t i = 0; i < n; i++) {
		const struct kr_rule *r = hits[i].r;
		struct kt_strbuf sb;

		if (r->verdict == KT_VERDICT_UNKNOWN)
			continue;
		kt_strbuf_init(&sb);
		kt_strbuf_addf(&sb, "%s (%s, %s, priority %d) ", r->id, kt_verdict_name(r->verdict),
			       kt_confidence_name(r->confidence), r->priority);
		if (demoted && i == 0)
			kt_strbuf_addf(&sb,
				       "won, but decided at %s confidence, below the minimum for "
				       "a decision (%s)",
				       kt_confidence_name(was),
				       kt_confidence_name(c->rs->min_decided));
		else if (conflict && r->priority == top->priority)
			kt_strbuf_adds(&sb, "tied with a rule of another verdict at the same "
					    "priority: a conflict");
		else if (conflict)
			kt_strbuf_addf(&sb, "matched below the conflict at priority %d",
				       top->priority);
		else
			kt_strbuf_addf(&sb, "matched below %s (%s, priority %d)", top->id,
				       kt_verdict_name(top->verdict), top->priority);
		add_lean_reason(res, &sb);
	}
}

struct kt_error *kt_ruleset_eval(const struct kt_ruleset *rs, const struct kt_facts *facts,
				 struct kt_rule_result *res)
{
	const struct kt_fact *stack_cache[KR_STACK_CACHE];
	struct ectx c = {.rs = rs, .facts = facts};
	struct hit *hits = NULL;
	size_t n = 0;

	if (!res)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_ruleset_eval: NULL result");
	memset(res, 0, sizeof(*res));
	if (!rs || !facts)
		return kt_error_new(KT_ERR_USAGE, NULL, 0, "kt_ruleset_eval: NULL argument");
	if (rs->nnames <= KR_STACK_CACHE) {
		memset(stack_cache, 0, rs->nnames * sizeof(stack_cache[0]));
		c.cache = stack_cache;
	} else {
		c.cache = kt_xcalloc(rs->nnames, sizeof(*c.cache));
	}
	c.md = pcre2_match_data_create(1, NULL);
	if (!c.md) {
		if (c.cache != stack_cache)
			free(c.cache);
		return kt_error_new(KT_ERR_NOMEM, NULL, 0, "cannot allocate regex match data");
	}
	for (size_t i = 0; i < rs->n; i++) {
		const struct kr_rule *r = rs->rules[i];
		bool retry = false;
		int b = 0;

		c.cur = r;
		if (!rule_matches(&c, r, 0, &retry)) {
			if (!r->uses_xy || !retry || !rule_matches(&c, r, 1, &retry))
				continue;
			b = 1;
		}
		if (!hits)
			hits = kt_xmalloc(rs->n * sizeof(*hits));
		hits[n++] = (struct hit){.r = r, .b = b, .order = i};
	}
	if (n == 0) {
		struct kt_strbuf sel;

		kt_strbuf_init(&sel);
		kt_strbuf_adds(&sel, "no rule matched");
		res->verdict = KT_VERDICT_UNKNOWN;
		res->confidence = KT_CONF_LOW;
		res->rule_id = NULL;
		res->explanation = kt_xstrdup("No rule matched the facts of this report.");
		res->action = kt_xstrdup("Review the report by hand.");
		res->selection = kt_strbuf_detach(&sel);
	} else {
		enum kt_confidence was = KT_CONF_LOW;
		bool demoted;

		select_winner(&c, hits, n, res);
		demoted = apply_min_confidence(rs, res, &was);
		if (res->verdict == KT_VERDICT_UNKNOWN)
			set_lean(&c, hits, n, demoted, was, res);
		res->matches = kt_xcalloc(n, sizeof(*res->matches));
		res->nmatches = n;
		for (size_t i = 0; i < n; i++)
			fill_match(&c, &hits[i], &res->matches[i]);
	}
	if (c.limit_rule) {
		char *old = res->selection;
		struct kt_strbuf sel;

		kt_strbuf_init(&sel);
		kt_strbuf_addf(&sel,
			       "%s; a regular expression of rule %s hit the match limit and was "
			       "counted as no match",
			       old, c.limit_rule->id);
		res->selection = kt_strbuf_detach(&sel);
		free(old);
	}
	free(hits);
	pcre2_match_data_free(c.md);
	if (c.cache != stack_cache)
		free(c.cache);
	return NULL;
}

void kt_rule_result_withhold(struct kt_rule_result *res, const char *reason)
{
	struct kt_strbuf sb;

	if (res->verdict == KT_VERDICT_UNKNOWN)
		return;
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s; withheld: %s: unknown, leaning %s", res->selection, reason,
		       kt_verdict_name(res->verdict));
	free(res->selection);
	res->selection = kt_strbuf_detach(&sb);
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s (%s, %s) won, but %s", res->rule_id ? res->rule_id : "?",
		       kt_verdict_name(res->verdict), kt_confidence_name(res->confidence), reason);
	add_lean_reason(res, &sb);
	res->lean = res->verdict;
	res->verdict = KT_VERDICT_UNKNOWN;
	res->confidence = KT_CONF_LOW;
}

void kt_rule_result_fini(struct kt_rule_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->nmatches; i++) {
		for (size_t j = 0; j < res->matches[i].nfacts_used; j++)
			free(res->matches[i].facts_used[j]);
		free(res->matches[i].facts_used);
	}
	free(res->matches);
	for (size_t i = 0; i < res->nlean_reasons; i++)
		free(res->lean_reasons[i]);
	free(res->lean_reasons);
	free(res->explanation);
	free(res->action);
	free(res->selection);
	memset(res, 0, sizeof(*res));
}
