/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Facts: the one interface between the analysis stages and the rules.
 * Every stage (report, binary, source) writes named, typed facts; the rule
 * engine reads nothing else. A fact absent is "not known", which no condition
 * but "missing" satisfies, so rules that need the vmlinux or the source stay
 * silent without them.
 *
 * Names are dotted. Per-access facts start with "a." (first access printed)
 * or "b." (second); the rules reach them through the side variables x, y,
 * either, both (see rules/README.md). The catalogue of names is
 * rules/facts.tbl; stages add facts, never change their meaning.
 */
#ifndef KCSAN_FACTS_H
#define KCSAN_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum kt_fact_type {
	KT_FACT_BOOL,
	KT_FACT_INT, /* int64_t */
	KT_FACT_STR,
	KT_FACT_STRLIST, /* ordered list of strings (e.g. all frame functions) */
};

/* Which input a fact came from; the output lists the inputs used. */
enum kt_fact_origin {
	KT_ORIGIN_REPORT = 1,
	KT_ORIGIN_VMLINUX = 2,
	KT_ORIGIN_SOURCE = 4,
};

struct kt_fact {
	const char *name;
	enum kt_fact_type type;
	enum kt_fact_origin origin;
	bool b;
	int64_t i;
	const char *s;
	const char *const *list; /* KT_FACT_STRLIST */
	size_t nlist;
};

struct kt_facts;
struct kt_catalogue;

struct kt_facts *kt_facts_new(void);
void kt_facts_free(struct kt_facts *f);
/* Check mode (tests): from now on a write of a fact that cat (the fact
 * catalogue, kcsan/catalogue.h; borrowed) does not list with that type for
 * the writing stage is refused: not stored, and kt_facts_refused() says
 * which. */
void kt_facts_check(struct kt_facts *f, const struct kt_catalogue *cat);
/* The first write refused, as a sentence naming the fact; NULL when none. */
const char *kt_facts_refused(const struct kt_facts *f);

/* Setting a name again replaces its value (for lists: use add_str). */
void kt_facts_set_bool(struct kt_facts *f, const char *name, bool v, enum kt_fact_origin o);
void kt_facts_set_int(struct kt_facts *f, const char *name, int64_t v, enum kt_fact_origin o);
void kt_facts_set_str(struct kt_facts *f, const char *name, const char *v, enum kt_fact_origin o);
/* Append to a string list, creating it. */
void kt_facts_add_str(struct kt_facts *f, const char *name, const char *v, enum kt_fact_origin o);
/* printf-style name helpers for per-side facts: kt_facts_name(buf, n, "%s.func", side). */
void kt_facts_remove(struct kt_facts *f, const char *name);

const struct kt_fact *kt_facts_get(const struct kt_facts *f, const char *name);
size_t kt_facts_count(const struct kt_facts *f);
const struct kt_fact *kt_facts_at(const struct kt_facts *f, size_t i); /* insertion order */
/* OR of the origins of all facts. */
unsigned kt_facts_origins(const struct kt_facts *f);
/* A copy of f without the facts whose origin is among origins (an OR of
 * enum kt_fact_origin), in the same order. */
struct kt_facts *kt_facts_copy_except(const struct kt_facts *f, unsigned origins);

/* Render a fact's value as text ("true", "42", "foo", "[a, b]"); caller frees. */
char *kt_fact_value_text(const struct kt_fact *fact);

#endif
