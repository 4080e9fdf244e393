// SPDX-License-Identifier: Apache-2.0
/*
 * The shared KCSAN 6.1 fixture: every raw report, symbolized, must equal its
 * syzbot-style symbolized copy byte for byte; the symbolized copies must
 * check clean; altered reports must be refused; facts of the access sites;
 * globals of the real kernel named. Skips (77) when ../shared is absent.
 */
#include <dirent.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "harness.h"
#include "kcsan/binary.h"
#include "kcsan/report.h"
#include "kcsan/strbuf.h"
#include "objects.h"
#include "vmlinux_int.h"

static int txt_filter(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && strcmp(d->d_name + n - 4, ".txt") == 0;
}

static const char *fact_str(const struct kt_facts *f, const char *name)
{
	const struct kt_fact *x = kt_facts_get(f, name);

	return x && x->type == KT_FACT_STR ? x->s : NULL;
}

/* Frame lines of a symbolized text that equal the expected ones. */
static void count_frames(const char *got, const char *want, int *same, int *total)
{
	const char *g = got, *w = want;

	while (*w) {
		const char *wn = strchr(w, '\n'), *gn = strchr(g, '\n');
		size_t wl = wn ? (size_t)(wn - w) : strlen(w);
		size_t gl = gn ? (size_t)(gn - g) : strlen(g);

		if (w[0] == ' ') {
			(*total)++;
			if (wl == gl && memcmp(w, g, wl) == 0)
				(*same)++;
		}
		if (!wn)
			break;
		w = wn + 1;
		g = gn ? gn + 1 : g + gl;
	}
}

/* Trailing blanks of each line removed, and trailing empty lines. */
static char *rstrip_lines(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;

	for (const char *p = s; *p; p++) {
		if (*p == '\n')
			while (o > out && (o[-1] == ' ' || o[-1] == '\t'))
				o--;
		*o++ = *p;
	}
	while (o > out && (o[-1] == '\n' || o[-1] == ' '))
		o--;
	*o = 0;
	return out;
}

static char *replace_once(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);
	char *out;

	if (!p)
		return NULL;
	out = malloc(strlen(s) - strlen(from) + strlen(to) + 1);
	memcpy(out, s, (size_t)(p - s));
	strcpy(out + (p - s), to);
	strcat(out, p + strlen(from));
	return out;
}

static void expect_mismatch(struct kt_vmlinux *vm, const char *text, const char *needle)
{
	struct kt_report *rep = NULL;
	struct kt_error *e = kt_report_parse_string(text, "altered", &rep);

	CHECK(e == NULL && rep != NULL);
	kt_error_free(e);
	if (!rep)
		return;
	e = kt_vmlinux_check_report(vm, rep);
	CHECK(e != NULL);
	if (e) {
		CHECK_INT(e->code, KT_ERR_MISMATCH);
		CHECK(strstr(e->msg, "vmlinux does not match this report") != NULL);
		if (!strstr(e->msg, needle))
			fprintf(stderr, "mismatch message without %s: %s\n", needle, e->msg);
		CHECK(strstr(e->msg, needle) != NULL);
	}
	kt_error_free(e);
	kt_report_free(rep);
}

int main(void)
{
	char vmpath[1024], repdir[1024], path[2048];
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	struct dirent **ents = NULL;
	int nents, same_reports = 0, same_frames = 0, total_frames = 0, clean = 0;
	struct kt_error *e;

	if (!fixture_vmlinux(vmpath, sizeof(vmpath)))
		return 77;
	fixture_reports(repdir, sizeof(repdir));
	{
		struct stat st;

		if (stat(repdir, &st) != 0) {
			printf("SKIP: %s is absent\n", repdir);
			return 77;
		}
	}
	e = kt_vmlinux_open(vmpath, &opts, &vm);
	CHECK(e == NULL);
	if (e) {
		fprintf(stderr, "%s\n", e->msg);
		kt_error_free(e);
		return kt_test_done("test_fixture");
	}
	CHECK_STR(kt_vmlinux_build_id(vm), "026a9d9f666a4b6242fabaae53a42a6635ef025d");

	snprintf(path, sizeof(path), "%s/raw", repdir);
	nents = scandir(path, &ents, txt_filter, alphasort);
	CHECK(nents == 76);
	for (int i = 0; i < nents; i++) {
		char *raw, *stripped, *want, *got = NULL;
		size_t gotlen = 0;
		struct kt_report *rep = NULL;

		snprintf(path, sizeof(path), "%s/raw/%s", repdir, ents[i]->d_name);
		raw = fixture_slurp(path);
		snprintf(path, sizeof(path), "%s/symbolized/%s", repdir, ents[i]->d_name);
		want = fixture_slurp(path);
		CHECK(raw && want);
		if (!raw || !want) {
			free(raw);
			free(want);
			continue;
		}
		/* 1. through the parser, as the CLI's --symbolize does */
		e = kt_report_parse_string(raw, ents[i]->d_name, &rep);
		CHECK(e == NULL && rep);
		kt_error_free(e);
		FILE *mf = open_memstream(&got, &gotlen);

		if (rep) {
			e = kt_vmlinux_print_symbolized(vm, rep, mf);
			CHECK(e == NULL);
			kt_error_free(e);
		}
		fclose(mf);
		/* 2. the prefix-stripped text directly */
		stripped = fixture_strip_prefixes(raw);
		char *got2 = NULL;
		size_t got2len = 0;

		mf = open_memstream(&got2, &got2len);
		e = kt_vmlinux_symbolize_text(vm, stripped, mf);
		fclose(mf);
		CHECK(e == NULL);
		kt_error_free(e);
		/* the text ends with "\n": one empty line more is ours */
		if (got2len && strlen(want) + 1 == got2len)
			got2[--got2len] = 0;
		if (strcmp(got2, want) == 0)
			same_reports++;
		else
			fprintf(stderr, "%s: symbolized text differs\n", ents[i]->d_name);
		count_frames(got2, want, &same_frames, &total_frames);
		/* rep->text is the parser's: it drops trailing blanks of lines
		 * (the copy keeps "#1 "), so compare without them. */
		char *g1 = rstrip_lines(got), *w1 = rstrip_lines(want);

		if (rep && strcmp(g1, w1) != 0)
			fprintf(stderr, "%s: print_symbolized differs from the copy\n",
				ents[i]->d_name);
		CHECK(rep == NULL || strcmp(g1, w1) == 0);
		free(g1);
		free(w1);

		/* 3. facts of a raw report */
		if (rep) {
			struct kt_facts *f = kt_facts_new();

			e = kt_vmlinux_add_facts(vm, rep, f);
			CHECK(e == NULL);
			kt_error_free(e);
			CHECK(fact_str(f, "a.site.func") != NULL);
			CHECK(fact_str(f, "b.site.file") != NULL);
			const char *k = fact_str(f, "obj.kind");

			CHECK(k && (strcmp(k, "heap") == 0 || strcmp(k, "vmalloc") == 0));
			if (strncmp(ents[i]->d_name, "001-", 4) == 0) {
				CHECK_STR(fact_str(f, "a.site.func"), "generic_update_time");
				CHECK_STR(fact_str(f, "a.site.file"), "fs/inode.c");
				CHECK_STR(fact_str(f, "b.site.func"), "timespec64_compare");
				CHECK_STR(fact_str(f, "b.site.file"), "include/linux/time64.h");
				CHECK_STR(fact_str(f, "b.site.outer"), "atime_needs_update");
				const struct kt_fact *inl = kt_facts_get(f, "b.site.inline");

				CHECK(inl && inl->nlist == 2 &&
				      strcmp(inl->list[1], "relatime_need_update") == 0);
				const struct kt_fact *vars = kt_facts_get(f, "b.site.vars");

				CHECK(vars && vars->nlist > 0);
			}
			kt_facts_free(f);
		}
		kt_report_free(rep);
		rep = NULL;

		/* 4. the symbolized copy checks clean against this vmlinux */
		e = kt_report_parse_string(want, ents[i]->d_name, &rep);
		CHECK(e == NULL && rep);
		kt_error_free(e);
		if (rep) {
			e = kt_vmlinux_check_report(vm, rep);
			if (e)
				fprintf(stderr, "%s: %s\n", ents[i]->d_name, e->msg);
			else
				clean++;
			kt_error_free(e);
		}
		kt_report_free(rep);

		/* 5. altered copies are refused, naming the frame */
		if (i == 0) {
			char *bad = replace_once(stripped, "generic_update_time+0xcf/0x110",
						 "generic_update_time+0xcf/0x120");

			CHECK(bad != NULL);
			if (bad) {
				expect_mismatch(vm, bad, "generic_update_time");
				/* --symbolize prints such a report as it came */
				char *o = NULL;
				size_t ol = 0;
				FILE *mf2 = open_memstream(&o, &ol);

				e = kt_vmlinux_symbolize_text(vm, bad, mf2);
				fclose(mf2);
				CHECK(e != NULL && e->code == KT_ERR_MISMATCH);
				CHECK_STR(o, bad);
				kt_error_free(e);
				free(o);
			}
			free(bad);
			bad = replace_once(stripped, "touch_atime+0x54/0x200",
					   "touch_atimes+0x54/0x200");
			CHECK(bad != NULL);
			if (bad)
				expect_mismatch(vm, bad, "touch_atimes");
			free(bad);
			bad = replace_once(want, "fs/inode.c:1933", "fs/inode.c:1934");
			CHECK(bad != NULL);
			if (bad)
				expect_mismatch(vm, bad, "fs/inode.c:1933");
			free(bad);
			bad = replace_once(want, " relatime_need_update fs/inode.c:1903 [inline]\n",
					   "");
			CHECK(bad != NULL);
			if (bad)
				expect_mismatch(vm, bad, "atime_needs_update");
			free(bad);
		}
		free(got);
		free(got2);
		free(stripped);
		free(raw);
		free(want);
		free(ents[i]);
	}
	free(ents);
	printf("fixture: %d of %d reports identical, %d of %d frame lines identical, %d of %d "
	       "symbolized copies check clean\n",
	       same_reports, nents, same_frames, total_frames, clean, nents);
	CHECK_INT(same_reports, 76);
	CHECK_INT(same_frames, total_frames);
	CHECK_INT(clean, 76);

	/* Globals of the real kernel. */
	{
		size_t first, n;
		bool found = false;

		kt_elf_find_name(vm->elf, "rcu_state", &first, &n);
		CHECK(n >= 1);
		if (n >= 1) {
			const struct kt_elf_sym *s = &vm->elf->syms[vm->elf->by_name[first]];

			for (uint64_t off = 0; off < s->size && !found; off += 8) {
				struct kt_object_info oi;

				e = kt_objects_lookup(vm, s->addr + off, 8, &oi);
				CHECK(e == NULL);
				kt_error_free(e);
				if (oi.object &&
				    strcmp(oi.object, "rcu_state.expedited_sequence") == 0) {
					found = true;
					CHECK_STR(oi.kind, "global");
					CHECK_STR(oi.member.kind, "integer");
					CHECK_STR(oi.type, "struct rcu_state");
				}
				kt_object_info_fini(&oi);
			}
		}
		CHECK(found);
		kt_elf_find_name(vm->elf, "jiffies", &first, &n);
		CHECK(n >= 1);
		if (n >= 1) {
			struct kt_object_info oi;

			e = kt_objects_lookup(vm, vm->elf->syms[vm->elf->by_name[first]].addr, 8,
					      &oi);
			CHECK(e == NULL);
			kt_error_free(e);
			/* jiffies_64 holds it; kernel code (and the table) says jiffies */
			CHECK_STR(oi.object, "jiffies");
			CHECK_STR(oi.name, "jiffies");
			printf("jiffies -> %s (%s)\n", oi.object ? oi.object : "?",
			       oi.type ? oi.type : "?");
			kt_object_info_fini(&oi);
		}
	}
	/* Arbitrary PCs of .text, not only report frames: every one must print
	 * what addr2line -f -i prints (paths relative to the tree). */
	if (system("command -v addr2line >/dev/null 2>&1") == 0) {
		char pcs_path[1200], out_path[1200], cmd[4200];
		uint64_t *pcs = calloc(2000, sizeof(*pcs));
		size_t npcs = 0;
		uint64_t seed = 12345;
		const struct kt_elf *elf = vm->elf;

		snprintf(pcs_path, sizeof(pcs_path), "%s/fixture-pcs.txt", KT_BUILD_DIR);
		snprintf(out_path, sizeof(out_path), "%s/fixture-pcs.a2l", KT_BUILD_DIR);
		FILE *pf = fopen(pcs_path, "w");

		CHECK(pf != NULL);
		while (pf && npcs < 1500) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			size_t i = (size_t)(seed >> 33) % elf->nsyms;
			const struct kt_elf_sym *sy = &elf->syms[i];
			uint64_t ext = kt_elf_sym_next_dist(elf, sy);

			/* Anywhere up to the next symbol: in the function and
			 * in the padding after it. */
			if (!sy->text || sy->type != STT_FUNC || ext < 2 || ext > 0x10000)
				continue;
			pcs[npcs] = sy->addr + ((seed >> 7) % ext);
			fprintf(pf, "0x%llx\n", (unsigned long long)pcs[npcs]);
			npcs++;
		}
		if (pf)
			fclose(pf);
		snprintf(cmd, sizeof(cmd), "addr2line -a -f -i -e '%s' < '%s' > '%s'", vmpath,
			 pcs_path, out_path);
		CHECK(system(cmd) == 0);
		char *a2l = fixture_slurp(out_path);
		struct kt_strbuf ours;
		int diffs = 0;

		kt_strbuf_init(&ours);
		/* A fresh vmlinux, PCs in the same order: addresses outside
		 * every unit's range depend on the units read before, in
		 * addr2line as here. */
		struct kt_vmlinux *vm2 = NULL;

		e = kt_vmlinux_open(vmpath, &opts, &vm2);
		CHECK(e == NULL);
		kt_error_free(e);
		for (size_t i = 0; vm2 && i < npcs; i++) {
			struct kt_loc *l = NULL;
			size_t n = 0;

			e = kt_vmlinux_pc_chain(vm2, pcs[i], &l, &n);
			CHECK(e == NULL);
			kt_error_free(e);
			kt_strbuf_addf(&ours, "0x%016llx\n", (unsigned long long)pcs[i]);
			if (n == 0)
				kt_strbuf_adds(&ours, "??\n??:0\n");
			for (size_t k = 0; k < n; k++) {
				kt_strbuf_addf(&ours, "%s\n%s:", l[k].func,
					       l[k].file ? l[k].file : "??");
				if (l[k].line)
					kt_strbuf_addf(&ours, "%d\n", l[k].line);
				else
					kt_strbuf_adds(&ours, "?\n");
			}
			kt_locs_free(l, n);
		}
		kt_vmlinux_close(vm2);
		/* addr2line's lines, as syzbot cleans them */
		struct kt_strbuf want;

		kt_strbuf_init(&want);
		for (char *p = a2l; p && *p;) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);
			char line[1024];

			snprintf(line, sizeof(line), "%.*s", (int)len, p);
			char *d = strstr(line, " (discriminator");

			if (d)
				*d = 0;
			const char *q = line;
			static const char root[] = "/usr/src/linux-source-6.1/";

			if (strncmp(q, root, sizeof(root) - 1) == 0)
				q += sizeof(root) - 1;
			while (strncmp(q, "./", 2) == 0)
				q += 2;
			char *dot;
			char clean[1024];

			snprintf(clean, sizeof(clean), "%s", q);
			while ((dot = strstr(clean, "/./")))
				memmove(dot, dot + 2, strlen(dot + 2) + 1);
			kt_strbuf_adds(&want, clean);
			kt_strbuf_addc(&want, '\n');
			p = nl ? nl + 1 : p + len;
		}
		/* compare PC by PC */
		const char *g = ours.buf, *w = want.buf;
		size_t same = 0;

		for (size_t i = 0; i < npcs && g && w; i++) {
			const char *gn = strstr(g + 1, "\n0x"), *wn = strstr(w + 1, "\n0x");
			size_t gl = gn ? (size_t)(gn - g) : strlen(g);
			size_t wl = wn ? (size_t)(wn - w) : strlen(w);

			if (gl == wl && memcmp(g, w, gl) == 0)
				same++;
			else if (diffs++ < 3)
				fprintf(stderr, "PC differs:\n%.*s\naddr2line:\n%.*s\n", (int)gl, g,
					(int)wl, w);
			g = gn ? gn + 1 : NULL;
			w = wn ? wn + 1 : NULL;
		}
		printf("random PCs: %zu of %zu identical to addr2line -fi\n", same, npcs);
		CHECK_INT(same, npcs);
		kt_strbuf_fini(&ours);
		kt_strbuf_fini(&want);
		free(a2l);
		free(pcs);
	} else {
		printf("addr2line not installed: random PC comparison skipped\n");
	}

	/* The real struct inode: what the fixture's heap races touch. */
	{
		struct kt_vmlinux_member m;

		e = kt_vmlinux_member_named(vm, "struct inode", "i_mtime", &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.type, "struct timespec64");
		CHECK_INT(m.size, 16);
		uint64_t mtime = m.offset;

		kt_vmlinux_member_fini(&m);
		e = kt_vmlinux_member_at(vm, "struct inode", mtime + 8, 8, &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.path, "i_mtime.tv_nsec");
		CHECK_STR(m.kind, "integer");
		kt_vmlinux_member_fini(&m);
		e = kt_vmlinux_member_named(vm, "struct inode", "i_lru", &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.kind, "list_head");
		kt_vmlinux_member_fini(&m);
		e = kt_vmlinux_member_named(vm, "struct inode", "i_count", &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.kind, "atomic_t");
		kt_vmlinux_member_fini(&m);
	}
	kt_vmlinux_close(vm);
	return kt_test_done("test_fixture");
}
