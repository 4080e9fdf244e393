// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <string.h>

#include "common.h"

const char *kt_out_object(const struct kt_triage_result *res)
{
	const struct kt_fact *f = kt_facts_get(res->facts, "object");

	if (f && f->type == KT_FACT_STR && f->s && *f->s)
		return f->s;
	f = kt_facts_get(res->facts, "obj.name");
	if (f && f->type == KT_FACT_STR && f->s && *f->s)
		return f->s;
	return NULL;
}

const struct kt_fact *kt_out_side_fact(const struct kt_triage_result *res, int side,
				       const char *name)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s.%s", side ? "b" : "a", name);
	return kt_facts_get(res->facts, buf);
}

const struct kt_frame *kt_out_top_frame(const struct kt_access *a)
{
	return a->nframes ? &a->frames[0] : NULL;
}

const struct kt_frame *kt_out_outer_frame(const struct kt_access *a)
{
	for (size_t i = 0; i < a->nframes; i++)
		if (!a->frames[i].inlined)
			return &a->frames[i];
	return kt_out_top_frame(a);
}

void kt_out_inputs(unsigned inputs, const char **names, int *n)
{
	*n = 0;
	if (inputs & KT_ORIGIN_REPORT)
		names[(*n)++] = "report";
	if (inputs & KT_ORIGIN_VMLINUX)
		names[(*n)++] = "vmlinux";
	if (inputs & KT_ORIGIN_SOURCE)
		names[(*n)++] = "source";
}

const char *kt_out_source_tree(const struct kt_triage_result *res)
{
	const struct kt_fact *t = kt_facts_get(res->facts, "src.tree");

	if (!t || t->type != KT_FACT_STR)
		return NULL;
	if (res->source_rev && res->source_rev_from &&
	    strcmp(res->source_rev_from, "option") != 0 && strcmp(t->s, "matches") == 0)
		return "exact";
	return t->s;
}
