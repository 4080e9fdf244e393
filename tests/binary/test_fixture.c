// SPDX-License-Identifier: Apache-2.0
/*
 * A shared KCSAN fixture, named by the first argument: kcsan-6.1 (gcc,
 * DWARF 5; the default) or kcsan-6.12-clang (clang, DWARF 4). Every raw
 * report, symbolized, must equal its syzbot-style symbolized copy (made with
 * binutils addr2line) byte for byte; the symbolized copies must check clean;
 * altered reports must be refused; facts of the access sites; arbitrary PCs
 * against addr2line; the real struct inode; globals of the real kernel
 * named. Skips (77) when ../shared is absent.
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

/* What differs between the fixtures. */
struct fixture {
	const char *name;
	const char *build_id;
	int nreports;
	const char *root; /* the tree the kernel was built in (DW_AT_comp_dir) */
	/* an access site of the first report: frame, its facts */
	const char *first_func, *first_frame, *bad_frame, *renamed, *renamed_to;
	const char *site_a_file, *site_func, *site_file, *site_outer, *site_inline1;
	/* a frame line of the first symbolized copy, and an inline line */
	const char *sym_line, *sym_line_bad, *sym_inline, *sym_inline_outer;
	int ntitles; /* distinct titles */
	/* the objects of the first report's accesses, from DWARF */
	const char *a_type, *a_member, *b_type, *b_member;
	/* a member of struct inode, and the 8 bytes 8 bytes past its start */
	const char *time_member, *time_type, *time_next;
	uint64_t time_size;
};

static const struct fixture fixtures[] = {
    {.name = "kcsan-6.1",
     .build_id = "026a9d9f666a4b6242fabaae53a42a6635ef025d",
     .nreports = 76,
     .ntitles = 33,
     .a_type = "struct inode",
     .a_member = "i_mtime",
     .b_type = "struct inode",
     .b_member = "i_mtime.tv_nsec",
     .root = "/usr/src/linux-source-6.1/",
     .first_func = "generic_update_time",
     .first_frame = "generic_update_time+0xcf/0x110",
     .bad_frame = "generic_update_time+0xcf/0x120",
     .renamed = "touch_atime+0x54/0x200",
     .renamed_to = "touch_atimes+0x54/0x200",
     .site_a_file = "fs/inode.c",
     .site_func = "timespec64_compare",
     .site_file = "include/linux/time64.h",
     .site_outer = "atime_needs_update",
     .site_inline1 = "relatime_need_update",
     .sym_line = "fs/inode.c:1933",
     .sym_line_bad = "fs/inode.c:1934",
     .sym_inline = " relatime_need_update fs/inode.c:1903 [inline]\n",
     .sym_inline_outer = "atime_needs_update",
     .time_member = "i_mtime",
     .time_type = "struct timespec64",
     .time_next = "i_mtime.tv_nsec",
     .time_size = 16},
    {.name = "kcsan-6.12-clang",
     .build_id = "a2478917c446afd298b73575d3afc8a1411ed829",
     .nreports = 36,
     .ntitles = 18,
     .a_type = "struct inode",
     .a_member = "i_mtime_nsec",
     .b_type = "struct inode",
     .b_member = "i_mtime_nsec",
     .root = "/usr/src/linux-source-6.12/",
     .first_func = "inode_update_timestamps",
     .first_frame = "inode_update_timestamps+0x2b7/0x3c0",
     .bad_frame = "inode_update_timestamps+0x2b7/0x3d0",
     .renamed = "touch_atime+0x3d/0x1b0",
     .renamed_to = "touch_atimes+0x3d/0x1b0",
     .site_a_file = "include/linux/fs.h",
     .site_func = "inode_get_mtime_nsec",
     .site_file = "include/linux/fs.h",
     .site_outer = "atime_needs_update",
     .site_inline1 = "inode_get_mtime",
     .sym_line = "fs/inode.c:2009",
     .sym_line_bad = "fs/inode.c:2010",
     .sym_inline = " relatime_need_update fs/inode.c:1958 [inline]\n",
     .sym_inline_outer = "atime_needs_update",
     .time_member = "i_mtime_sec",
     .time_type = "time64_t",
     .time_next = "i_ctime_sec",
     .time_size = 8},
};

/* Per distinct title: does some report of it get its object (a struct and
 * a member) from the DWARF of its code? Buffer copies (every access over
 * 16 bytes, such as page-cache data copied by _copy_to_iter) have none. */
struct title {
	char name[256];
	bool object, copy_only;
};

struct tally {
	int same_reports, same_frames, total_frames, clean;
	struct title titles[128];
	int ntitles;
};

static void tally_object(struct tally *t, const struct kt_report *rep, const struct kt_facts *f)
{
	struct title *x = NULL;
	bool object = false, copy = true;

	for (int i = 0; i < t->ntitles && !x; i++)
		if (strcmp(t->titles[i].name, rep->title) == 0)
			x = &t->titles[i];
	if (!x && t->ntitles < 128) {
		x = &t->titles[t->ntitles++];
		snprintf(x->name, sizeof(x->name), "%s", rep->title);
		x->copy_only = true;
	}
	for (size_t i = 0; i < rep->naccess && i < 2; i++) {
		char ty[32], mem[32];

		snprintf(ty, sizeof(ty), "%s.obj.type", i ? "b" : "a");
		snprintf(mem, sizeof(mem), "%s.obj.member", i ? "b" : "a");
		object = object || (fact_str(f, ty) && fact_str(f, mem));
		copy = copy && rep->access[i].size > 16;
	}
	if (x) {
		x->object = x->object || object;
		x->copy_only = x->copy_only && copy;
	}
}

/* The facts of the first report's access sites. */
static void first_report_facts(const struct fixture *fx, const struct kt_facts *f)
{
	CHECK_STR(fact_str(f, "a.site.file"), fx->site_a_file);
	CHECK_STR(fact_str(f, "b.site.func"), fx->site_func);
	CHECK_STR(fact_str(f, "b.site.file"), fx->site_file);
	CHECK_STR(fact_str(f, "b.site.outer"), fx->site_outer);
	const struct kt_fact *inl = kt_facts_get(f, "b.site.inline");

	CHECK(inl && inl->nlist >= 2 && strcmp(inl->list[1], fx->site_inline1) == 0);
	const struct kt_fact *vars = kt_facts_get(f, "b.site.vars");

	CHECK(vars && vars->nlist > 0);
	CHECK_STR(fact_str(f, "a.obj.type"), fx->a_type);
	CHECK_STR(fact_str(f, "a.obj.member"), fx->a_member);
	CHECK_STR(fact_str(f, "b.obj.type"), fx->b_type);
	CHECK_STR(fact_str(f, "b.obj.member"), fx->b_member);
	CHECK_STR(fact_str(f, "obj.type"), fx->a_type);
}

/* Altered copies of the first report are refused, naming the frame. */
static void altered(struct kt_vmlinux *vm, const struct fixture *fx, const char *stripped,
		    const char *want)
{
	char *bad = replace_once(stripped, fx->first_frame, fx->bad_frame);
	struct kt_error *e;

	CHECK(bad != NULL);
	if (bad) {
		expect_mismatch(vm, bad, fx->first_func);
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
	bad = replace_once(stripped, fx->renamed, fx->renamed_to);
	CHECK(bad != NULL);
	if (bad)
		expect_mismatch(vm, bad, "touch_atimes");
	free(bad);
	bad = replace_once(want, fx->sym_line, fx->sym_line_bad);
	CHECK(bad != NULL);
	if (bad)
		expect_mismatch(vm, bad, fx->sym_line);
	free(bad);
	bad = replace_once(want, fx->sym_inline, "");
	CHECK(bad != NULL);
	if (bad)
		expect_mismatch(vm, bad, fx->sym_inline_outer);
	free(bad);
}

/* One report: symbolized through the parser and from the text, its facts,
 * its symbolized copy checked. */
static void one_report(struct kt_vmlinux *vm, const struct fixture *fx, const char *repdir,
		       const char *name, bool first, struct tally *t)
{
	char path[2048];
	char *raw, *stripped, *want, *got = NULL, *got2 = NULL;
	size_t gotlen = 0, got2len = 0;
	struct kt_report *rep = NULL;
	struct kt_error *e;

	snprintf(path, sizeof(path), "%s/raw/%s", repdir, name);
	raw = fixture_slurp(path);
	snprintf(path, sizeof(path), "%s/symbolized/%s", repdir, name);
	want = fixture_slurp(path);
	CHECK(raw && want);
	if (!raw || !want) {
		free(raw);
		free(want);
		return;
	}
	/* 1. through the parser, as the CLI's --symbolize does */
	e = kt_report_parse_string(raw, name, &rep);
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
	mf = open_memstream(&got2, &got2len);
	e = kt_vmlinux_symbolize_text(vm, stripped, mf);
	fclose(mf);
	CHECK(e == NULL);
	kt_error_free(e);
	/* the text ends with "\n": one empty line more is ours */
	if (got2len && strlen(want) + 1 == got2len)
		got2[--got2len] = 0;
	if (strcmp(got2, want) == 0)
		t->same_reports++;
	else
		fprintf(stderr, "%s: symbolized text differs\n", name);
	count_frames(got2, want, &t->same_frames, &t->total_frames);
	/* rep->text is the parser's: it drops trailing blanks of lines
	 * (the copy keeps "#1 "), so compare without them. */
	char *g1 = rstrip_lines(got), *w1 = rstrip_lines(want);

	if (rep && strcmp(g1, w1) != 0)
		fprintf(stderr, "%s: print_symbolized differs from the copy\n", name);
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
		if (first)
			first_report_facts(fx, f);
		tally_object(t, rep, f);
		kt_facts_free(f);
	}
	kt_report_free(rep);
	rep = NULL;

	/* 4. the symbolized copy checks clean against this vmlinux */
	e = kt_report_parse_string(want, name, &rep);
	CHECK(e == NULL && rep);
	kt_error_free(e);
	if (rep) {
		e = kt_vmlinux_check_report(vm, rep);
		if (e)
			fprintf(stderr, "%s: %s\n", name, e->msg);
		else
			t->clean++;
		kt_error_free(e);
	}
	kt_report_free(rep);

	/* 5. altered copies are refused, naming the frame */
	if (first)
		altered(vm, fx, stripped, want);
	free(got);
	free(got2);
	free(stripped);
	free(raw);
	free(want);
}

static void all_reports(struct kt_vmlinux *vm, const struct fixture *fx, const char *repdir)
{
	char path[2048];
	struct dirent **ents = NULL;
	struct tally t = {0};
	int nents;

	snprintf(path, sizeof(path), "%s/raw", repdir);
	nents = scandir(path, &ents, txt_filter, alphasort);
	CHECK(nents == fx->nreports);
	for (int i = 0; i < nents; i++) {
		one_report(vm, fx, repdir, ents[i]->d_name, i == 0, &t);
		free(ents[i]);
	}
	free(ents);
	printf("%s: %d of %d reports identical, %d of %d frame lines identical, %d of %d "
	       "symbolized copies check clean\n",
	       fx->name, t.same_reports, nents, t.same_frames, t.total_frames, t.clean, nents);
	CHECK_INT(t.same_reports, fx->nreports);
	CHECK_INT(t.same_frames, t.total_frames);
	CHECK_INT(t.clean, fx->nreports);
	int objects = 0, copies = 0;

	for (int i = 0; i < t.ntitles; i++) {
		objects += t.titles[i].object;
		copies += t.titles[i].copy_only;
		if (!t.titles[i].object && !t.titles[i].copy_only)
			fprintf(stderr, "%s: no object from DWARF\n", t.titles[i].name);
		CHECK(t.titles[i].object || t.titles[i].copy_only);
	}
	printf("%s: %d of %d distinct titles get their object (struct and member) from DWARF; "
	       "%d are buffer copies\n",
	       fx->name, objects, t.ntitles, copies);
	CHECK_INT(t.ntitles, fx->ntitles);
}

/* Globals of the real 6.1 kernel. */
static void globals(struct kt_vmlinux *vm)
{
	size_t first, n;
	bool found = false;
	struct kt_error *e;

	kt_elf_find_name(vm->elf, "rcu_state", &first, &n);
	CHECK(n >= 1);
	if (n >= 1) {
		const struct kt_elf_sym *s = &vm->elf->syms[vm->elf->by_name[first]];

		for (uint64_t off = 0; off < s->size && !found; off += 8) {
			struct kt_object_info oi;

			e = kt_objects_lookup(vm, s->addr + off, 8, &oi);
			CHECK(e == NULL);
			kt_error_free(e);
			if (oi.object && strcmp(oi.object, "rcu_state.expedited_sequence") == 0) {
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

		e = kt_objects_lookup(vm, vm->elf->syms[vm->elf->by_name[first]].addr, 8, &oi);
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

static void count_note(void *arg, const char *line)
{
	(void)line;
	(*(int *)arg)++;
}

/* Arbitrary PCs of .text, not only report frames: every one must print what
 * addr2line -f -i prints (paths relative to the tree). */
/* n PCs of the image's functions, picked by a fixed pseudo-random walk,
 * anywhere up to the next symbol (in the function and in the padding after
 * it); each written to pf as "0x...". */
static size_t pick_pcs(const struct kt_elf *elf, uint64_t *pcs, size_t n, FILE *pf)
{
	uint64_t seed = 12345;
	size_t npcs = 0;

	while (npcs < n) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t i = (size_t)(seed >> 33) % elf->nsyms;
		const struct kt_elf_sym *sy = &elf->syms[i];
		uint64_t ext = kt_elf_sym_next_dist(elf, sy);

		if (!sy->text || sy->type != STT_FUNC || ext < 2 || ext > 0x10000)
			continue;
		pcs[npcs] = sy->addr + ((seed >> 7) % ext);
		fprintf(pf, "0x%llx\n", (unsigned long long)pcs[npcs]);
		npcs++;
	}
	return npcs;
}

/* addr2line's output lines as syzbot cleans them: no discriminators, no
 * build root, no "./" or "/./". */
static void a2l_clean(const char *a2l, const char *root, struct kt_strbuf *want)
{
	for (const char *p = a2l; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[1024], clean[1024], *dot;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		char *d = strstr(line, " (discriminator");

		if (d)
			*d = 0;
		const char *q = line;

		if (strncmp(q, root, strlen(root)) == 0)
			q += strlen(root);
		while (strncmp(q, "./", 2) == 0)
			q += 2;
		snprintf(clean, sizeof(clean), "%s", q);
		while ((dot = strstr(clean, "/./")))
			memmove(dot, dot + 2, strlen(dot + 2) + 1);
		kt_strbuf_adds(want, clean);
		kt_strbuf_addc(want, '\n');
		p = nl ? nl + 1 : p + len;
	}
}

static void random_pcs(struct kt_vmlinux *vm, const struct fixture *fx, const char *vmpath,
		       const struct kt_vmlinux_opts *o)
{
	struct kt_vmlinux_opts opts = *o;
	struct kt_error *e;
	int notes = 0;

	/* arbitrary PCs include code no DWARF describes (sanitizer
	 * constructors, static-call trampolines): count the notes */
	opts.diag = count_note;
	opts.diag_arg = &notes;

	if (system("command -v addr2line >/dev/null 2>&1") == 0) {
		char pcs_path[1200], out_path[1200], cmd[4200];
		uint64_t *pcs = calloc(2000, sizeof(*pcs));
		size_t npcs = 0;

		snprintf(pcs_path, sizeof(pcs_path), "%s/%s-pcs.txt", KT_BUILD_DIR, fx->name);
		snprintf(out_path, sizeof(out_path), "%s/%s-pcs.a2l", KT_BUILD_DIR, fx->name);
		FILE *pf = fopen(pcs_path, "w");

		CHECK(pf != NULL);
		if (pf) {
			npcs = pick_pcs(vm->elf, pcs, 1500, pf);
			fclose(pf);
		}
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
		a2l_clean(a2l, fx->root, &want);
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
		printf("%s: random PCs: %zu of %zu identical to addr2line -fi (%d notes of what "
		       "the DWARF does not say)\n",
		       fx->name, same, npcs, notes);
		CHECK_INT(same, npcs);
		kt_strbuf_fini(&ours);
		kt_strbuf_fini(&want);
		free(a2l);
		free(pcs);
	} else {
		printf("addr2line not installed: random PC comparison skipped\n");
	}
}

/* The real struct inode: what the fixtures' heap races touch. */
static void inode_layout(struct kt_vmlinux *vm, const struct fixture *fx)
{
	struct kt_error *e;

	{
		struct kt_vmlinux_member m;

		e = kt_vmlinux_member_named(vm, "struct inode", fx->time_member, &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.type, fx->time_type);
		CHECK_INT(m.size, fx->time_size);
		uint64_t mtime = m.offset;

		kt_vmlinux_member_fini(&m);
		e = kt_vmlinux_member_at(vm, "struct inode", mtime + 8, 8, &m);
		CHECK(e == NULL);
		kt_error_free(e);
		CHECK_STR(m.path, fx->time_next);
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
}

int main(int argc, char **argv)
{
	char vmpath[1024], repdir[1024];
	struct kt_vmlinux *vm = NULL;
	struct kt_vmlinux_opts opts = {.no_cache = true, .rules_dir = KT_SOURCE_RULES_DIR};
	const struct fixture *fx = NULL;
	const char *name = argc > 1 ? argv[1] : "kcsan-6.1";
	struct kt_error *e;
	struct stat st;

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		if (strcmp(fixtures[i].name, name) == 0)
			fx = &fixtures[i];
	if (!fx) {
		fprintf(stderr, "no fixture %s\n", name);
		return 2;
	}
	if (!fixture_vmlinux_of(fx->name, vmpath, sizeof(vmpath)))
		return 77;
	fixture_reports_of(fx->name, repdir, sizeof(repdir));
	if (stat(repdir, &st) != 0) {
		printf("SKIP: %s is absent\n", repdir);
		return 77;
	}
	e = kt_vmlinux_open(vmpath, &opts, &vm);
	CHECK(e == NULL);
	if (e) {
		fprintf(stderr, "%s\n", e->msg);
		kt_error_free(e);
		return kt_test_done("test_fixture");
	}
	CHECK_STR(kt_vmlinux_build_id(vm), fx->build_id);
	all_reports(vm, fx, repdir);
	if (strcmp(fx->name, "kcsan-6.1") == 0)
		globals(vm);
	random_pcs(vm, fx, vmpath, &opts);
	inode_layout(vm, fx);
	kt_vmlinux_close(vm);
	return kt_test_done("test_fixture");
}
