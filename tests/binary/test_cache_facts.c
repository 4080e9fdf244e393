// SPDX-License-Identifier: Apache-2.0
/*
 * The index cache never changes a report's binary facts: for every report
 * of a KCSAN fixture, the facts from a vmlinux without the cache, from one
 * filling an empty cache and from one reading that cache are the same, and
 * the cache read back holds the names in scope at each access (the part of
 * the facts that otherwise loads the unit's DIEs).
 * usage: test_cache_facts [kcsan-6.1|kcsan-6.12-clang]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "fixture.h"
#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/facts.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "vmlinux_int.h"

#define MAX_REPORTS 128

static int txt_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".txt") == 0;
}

/* Every fact as "name=v1|v2...", one per line, in insertion order. */
static char *facts_text(const struct kt_facts *f)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	for (size_t i = 0; i < kt_facts_count(f); i++) {
		const struct kt_fact *x = kt_facts_at(f, i);

		kt_strbuf_addf(&sb, "%s=", x->name);
		if (x->type == KT_FACT_STRLIST)
			for (size_t k = 0; k < x->nlist; k++)
				kt_strbuf_addf(&sb, "%s%s", k ? "|" : "", x->list[k]);
		else if (x->type == KT_FACT_STR)
			kt_strbuf_adds(&sb, x->s);
		else if (x->type == KT_FACT_BOOL)
			kt_strbuf_adds(&sb, x->b ? "true" : "false");
		else
			kt_strbuf_addf(&sb, "%lld", (long long)x->i);
		kt_strbuf_adds(&sb, "\n");
	}
	return kt_strbuf_detach(&sb);
}

static char *facts_of(struct kt_vmlinux *vm, const struct kt_report *rep)
{
	struct kt_facts *f = kt_facts_new();
	struct kt_error *e = kt_vmlinux_add_facts(vm, rep, f);
	char *t;

	CHECK(e == NULL);
	kt_error_free(e);
	t = facts_text(f);
	kt_facts_free(f);
	return t;
}

static struct kt_vmlinux *open_vm(const char *path, const struct kt_vmlinux_opts *o)
{
	struct kt_vmlinux *vm = NULL;
	struct kt_error *e = kt_vmlinux_open(path, o, &vm);

	CHECK(e == NULL && vm);
	kt_error_free(e);
	return vm;
}

/* The cache of a warm vm holds the names in scope at the first access's
 * PC, and they are the a.site.vars fact. */
static void scope_names_cached(struct kt_vmlinux *vm, const struct kt_report *rep,
			       const char *facts, int *checked)
{
	const struct kt_access *acc = &rep->access[0];
	struct kt_frame_pc fp;
	struct kt_strbuf want;
	char **names = NULL;
	size_t n = 0;
	bool ok = false;

	for (size_t i = 0; i < acc->nframes; i++) {
		if (!acc->frames[i].has_offset)
			continue;
		struct kt_error *e = kt_vmlinux_frame_pc(vm, &acc->frames[i], &fp, &ok);

		kt_error_free(e);
		break;
	}
	if (!ok || !strstr(facts, "\na.site.vars="))
		return;
	CHECK(kt_cache_get_scope_names(vm->cache, fp.pc, &names, &n));
	kt_strbuf_init(&want);
	kt_strbuf_adds(&want, "\na.site.vars=");
	for (size_t i = 0; i < n; i++) {
		kt_strbuf_addf(&want, "%s%s", i ? "|" : "", names[i]);
		free(names[i]);
	}
	kt_strbuf_adds(&want, "\n");
	free(names);
	CHECK(strstr(facts, want.buf) != NULL);
	kt_strbuf_fini(&want);
	(*checked)++;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "kcsan-6.1";
	char vmpath[1024], repdir[1024], dir[1200], path[2048], cmd[1300];
	struct kt_vmlinux_opts none = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_vmlinux_opts on = {.rules_dir = KT_SOURCE_RULES_DIR};
	struct kt_report *reps[MAX_REPORTS];
	char *plain[MAX_REPORTS];
	struct dirent **ents = NULL;
	int nrep = 0, nents, same_cold = 0, same_warm = 0, checked = 0;
	struct kt_vmlinux *vm;

	if (!fixture_vmlinux_of(name, vmpath, sizeof(vmpath)))
		return 77;
	fixture_reports_of(name, repdir, sizeof(repdir));
	snprintf(path, sizeof(path), "%s/raw", repdir);
	nents = scandir(path, &ents, txt_filter, alphasort);
	if (nents <= 0) {
		printf("SKIP: no reports in %s\n", path);
		return 77;
	}
	for (int i = 0; i < nents; i++) {
		char *text;
		struct kt_error *e;

		snprintf(path, sizeof(path), "%s/raw/%s", repdir, ents[i]->d_name);
		text = fixture_slurp(path);
		if (text && nrep < MAX_REPORTS) {
			e = kt_report_parse_string(text, ents[i]->d_name, &reps[nrep]);
			CHECK(e == NULL);
			if (!e)
				nrep++;
			kt_error_free(e);
		}
		free(text);
		free(ents[i]);
	}
	free(ents);
	snprintf(dir, sizeof(dir), "%s/cache-facts-%s", KT_BUILD_DIR, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	on.cache_dir = dir;

	vm = open_vm(vmpath, &none);
	for (int i = 0; i < nrep && vm; i++)
		plain[i] = facts_of(vm, reps[i]);
	kt_vmlinux_close(vm);
	for (int pass = 0; pass < 2; pass++) {
		vm = open_vm(vmpath, &on);
		if (!vm)
			break;
		CHECK(vm->cache && kt_cache_was_loaded(vm->cache) == (pass == 1));
		for (int i = 0; i < nrep; i++) {
			char *t = facts_of(vm, reps[i]);

			if (strcmp(t, plain[i]) == 0)
				*(pass ? &same_warm : &same_cold) += 1;
			else
				fprintf(stderr, "%s: %s cache changes the facts\n", reps[i]->input,
					pass ? "a warm" : "a cold");
			if (pass)
				scope_names_cached(vm, reps[i], t, &checked);
			free(t);
		}
		kt_vmlinux_close(vm);
	}
	printf("%s: %d reports; facts with a cold cache %d identical, warm %d identical; names in "
	       "scope read from the cache for %d\n",
	       name, nrep, same_cold, same_warm, checked);
	CHECK_INT(same_cold, nrep);
	CHECK_INT(same_warm, nrep);
	CHECK(checked > nrep / 2);
	for (int i = 0; i < nrep; i++) {
		free(plain[i]);
		kt_report_free(reps[i]);
	}
	return kt_test_done("test_cache_facts");
}
