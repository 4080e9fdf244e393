// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baseline.h"
#include "kcsan/strbuf.h"

static char *field(char **p)
{
	char *s = *p, *tab = strchr(s, '\t');

	if (tab) {
		*tab = '\0';
		*p = tab + 1;
	} else {
		*p = s + strlen(s);
	}
	return s;
}

struct kt_error *kt_baseline_load(const char *path, struct kt_baseline *out)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	long lineno = 0;
	struct kt_error *err = NULL;

	memset(out, 0, sizeof(*out));
	if (!fp)
		return kt_error_new(KT_ERR_IO, path, 0, "cannot open the baseline");
	while (getline(&line, &cap, fp) > 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *p = line;
		char *title = field(&p), *object = field(&p), *reason = field(&p), *who = field(&p);
		if (!*title || !*object || !*reason || !*who) {
			err =
			    kt_error_new(KT_ERR_PARSE, path, lineno,
					 "a baseline entry needs four tab-separated fields: title, "
					 "object (or *), reason, accepted-by");
			break;
		}
		if (strncmp(title, "KCSAN: ", 7) != 0) {
			err = kt_error_new(KT_ERR_PARSE, path, lineno,
					   "the title must be a normalized bug title starting with "
					   "\"KCSAN: \"");
			break;
		}
		out->e = kt_xrealloc(out->e, (out->n + 1) * sizeof(*out->e));
		struct kt_baseline_entry *e = &out->e[out->n++];
		e->title = kt_xstrdup(title);
		e->object = strcmp(object, "*") == 0 ? NULL : kt_xstrdup(object);
		e->reason = kt_xstrdup(reason);
		e->who = kt_xstrdup(who);
		e->line = lineno;
	}
	free(line);
	fclose(fp);
	if (err)
		kt_baseline_fini(out);
	return err;
}

void kt_baseline_fini(struct kt_baseline *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->e[i].title);
		free(b->e[i].object);
		free(b->e[i].reason);
		free(b->e[i].who);
	}
	free(b->e);
	memset(b, 0, sizeof(*b));
}

const struct kt_baseline_entry *kt_baseline_match(const struct kt_baseline *b,
						  const struct kt_triage_result *res)
{
	const char *title = res->report->title;
	const struct kt_fact *obj = kt_facts_get(res->facts, "object");

	if (!title)
		return NULL;
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->e[i].title, title) != 0)
			continue;
		if (b->e[i].object &&
		    !(obj && obj->type == KT_FACT_STR && strcmp(obj->s, b->e[i].object) == 0))
			continue;
		return &b->e[i];
	}
	return NULL;
}
