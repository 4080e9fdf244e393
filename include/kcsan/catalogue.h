/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fact catalogue (rules/facts.tbl): every fact a stage may write, with
 * its scope, type, the stages that write it and what it means. The rule
 * checker refuses a rule naming a fact it does not list, and a fact table
 * checked against it (kt_facts_check()) refuses a write it does not list,
 * so the catalogue, the stages and the rules cannot drift apart.
 */
#ifndef KCSAN_CATALOGUE_H
#define KCSAN_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"

enum kt_fact_scope {
	KT_SCOPE_ACCESS = 1, /* stored per access, as a.NAME and b.NAME */
	KT_SCOPE_REPORT = 2, /* stored as NAME */
};

struct kt_fact_def {
	const char *name; /* without a side: "expr.text", "value.old" */
	unsigned scopes;  /* enum kt_fact_scope bits */
	enum kt_fact_type type;
	unsigned stages; /* enum kt_fact_origin bits: the stages that write it */
	const char *meaning;
	long line; /* in the catalogue file */
};

struct kt_catalogue;

/* Reads a catalogue file (format in rules/README.md, "Fact catalogue");
 * every bad line is reported, chained. */
struct kt_error *kt_catalogue_load(const char *path, struct kt_catalogue **out);
/* The same from text (len bytes, any bytes); name is used in errors. */
struct kt_error *kt_catalogue_parse(const char *name, const char *text, size_t len,
				    struct kt_catalogue **out);
void kt_catalogue_free(struct kt_catalogue *c);
/* The file it was read from. */
const char *kt_catalogue_path(const struct kt_catalogue *c);
size_t kt_catalogue_count(const struct kt_catalogue *c);
const struct kt_fact_def *kt_catalogue_at(const struct kt_catalogue *c, size_t i);

/* The entry of a fact as a stage stores it ("a.expr.text": per access;
 * "value.old": report level), or NULL when the catalogue does not list it. */
const struct kt_fact_def *kt_catalogue_find(const struct kt_catalogue *c, const char *stored);
/* The entry of NAME (no side) in scope, or NULL. */
const struct kt_fact_def *kt_catalogue_lookup(const struct kt_catalogue *c, const char *name,
					      enum kt_fact_scope scope);

/* "report", "binary", "source" for one origin bit. */
const char *kt_catalogue_stage_name(enum kt_fact_origin o);
/* "bool", "int", "string", "list". */
const char *kt_catalogue_type_name(enum kt_fact_type t);

#endif
