// SPDX-License-Identifier: Apache-2.0
/*
 * Address -> object. Kernel-image addresses map to the ELF data symbol
 * holding them and, through the DWARF variable of that symbol, to the member
 * at the offset. Other addresses get the class of their x86-64 range from
 * rules/addr-layout.tbl. The variable index (address -> DIE) is built once per
 * vmlinux from the top-level DIEs of the CUs and kept in the cache.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "kcsan/strbuf.h"
#include "objects.h"
#include "vmlinux_int.h"

struct range_class {
	uint64_t lo, hi; /* inclusive */
	char *name;
};

struct kt_objects {
	struct range_class *classes;
	size_t nclasses;
	struct kt_global *globals; /* sorted by address */
	size_t nglobals;
	bool globals_loaded;
};

static void load_layout(struct kt_objects *o, const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[512];
	size_t cap = 0;

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long lo, hi;
		char name[64];

		if (line[0] == '#' || sscanf(line, "%llx %llx %63s", &lo, &hi, name) != 3)
			continue;
		if (o->nclasses == cap) {
			cap = cap ? cap * 2 : 16;
			o->classes = kt_xrealloc(o->classes, cap * sizeof(*o->classes));
		}
		o->classes[o->nclasses].lo = lo;
		o->classes[o->nclasses].hi = hi;
		o->classes[o->nclasses].name = kt_xstrdup(name);
		o->nclasses++;
	}
	fclose(fp);
}

struct kt_objects *kt_objects_new(struct kt_vmlinux *vm, const char *rules_dir)
{
	struct kt_objects *o = kt_xcalloc(1, sizeof(*o));
	const char *dirs[2] = {rules_dir, NULL};

	if (!rules_dir) {
#ifdef KT_SOURCE_RULES_DIR
		dirs[0] = KT_SOURCE_RULES_DIR;
#endif
#ifdef KT_INSTALL_RULES_DIR
		dirs[1] = KT_INSTALL_RULES_DIR;
#endif
	}
	for (int i = 0; i < 2 && !o->nclasses; i++) {
		char *path;

		if (!dirs[i] || asprintf(&path, "%s/addr-layout.tbl", dirs[i]) < 0)
			continue;
		load_layout(o, path);
		free(path);
	}
	(void)vm;
	return o;
}

void kt_objects_free(struct kt_objects *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nclasses; i++)
		free(o->classes[i].name);
	free(o->classes);
	free(o->globals);
	free(o);
}

const char *kt_objects_range_class(const struct kt_objects *o, uint64_t addr)
{
	for (size_t i = 0; o && i < o->nclasses; i++)
		if (addr >= o->classes[i].lo && addr <= o->classes[i].hi)
			return o->classes[i].name;
	return "other";
}

void kt_object_info_fini(struct kt_object_info *oi)
{
	free(oi->name);
	free(oi->type);
	free(oi->section);
	free(oi->object);
	kt_member_info_fini(&oi->member);
	memset(oi, 0, sizeof(*oi));
}

struct gcollect {
	struct kt_global *v;
	size_t n, cap;
	struct kt_error *err;
};

static int collect_var(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct gcollect *g = arg;
	struct kt_dw_die d;

	if (node->tag != KT_DW_TAG_variable)
		return 0;
	g->err = kt_dw_node_die(dw, node, &d);
	if (g->err)
		return 1;
	if (!d.has_addr)
		return 0;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 1024;
		g->v = kt_xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	g->v[g->n].addr = d.addr;
	g->v[g->n].size = 0;
	g->v[g->n].die = d.off;
	g->n++;
	return 0;
}

static int global_cmp(const void *a, const void *b)
{
	const struct kt_global *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->die < y->die ? -1 : x->die > y->die;
}

static struct kt_error *load_globals(struct kt_vmlinux *vm)
{
	struct kt_objects *o = vm->objects;
	struct gcollect g = {0};
	uint64_t *cus = NULL;
	size_t ncus = 0;
	struct kt_error *e;

	if (o->globals_loaded)
		return NULL;
	if (vm->cache && kt_cache_get_globals(vm->cache, &o->globals, &o->nglobals)) {
		o->globals_loaded = true;
		return NULL;
	}
	e = kt_dw_cus(vm->dw, &cus, &ncus);
	for (size_t i = 0; !e && i < ncus; i++) {
		e = kt_dw_visit_children(vm->dw, cus[i], collect_var, &g);
		if (!e)
			e = g.err;
	}
	free(cus);
	if (e) {
		free(g.v);
		return e;
	}
	qsort(g.v, g.n, sizeof(*g.v), global_cmp);
	o->globals = g.v;
	o->nglobals = g.n;
	o->globals_loaded = true;
	if (vm->cache)
		kt_cache_put_globals(vm->cache, o->globals, o->nglobals);
	return NULL;
}

/* The variable DIE at exactly addr (the start of the symbol). */
static const struct kt_global *global_at(const struct kt_objects *o, uint64_t addr)
{
	size_t lo = 0, hi = o->nglobals;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (o->globals[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < o->nglobals && o->globals[lo].addr == addr ? &o->globals[lo] : NULL;
}

/* Type of a variable DIE, through its declaration. */
static struct kt_error *var_type(struct kt_dw *dw, uint64_t die, uint64_t *type, bool *has)
{
	*has = false;
	for (int i = 0; i < 4; i++) {
		struct kt_dw_die d;
		struct kt_error *e = kt_dw_die_get(dw, die, &d);

		if (e)
			return e;
		if (d.has_type) {
			*type = d.type;
			*has = true;
			return NULL;
		}
		if (!d.has_origin)
			return NULL;
		die = d.origin;
	}
	return NULL;
}

struct kt_error *kt_objects_lookup(struct kt_vmlinux *vm, uint64_t addr, uint64_t size,
				   struct kt_object_info *out)
{
	const struct kt_elf_sec *sec = NULL;
	const struct kt_elf_sym *sym;
	struct kt_error *e;

	memset(out, 0, sizeof(*out));
	/* Sections linked at address 0 (.data..percpu of vmlinux) hold
	 * offsets, not addresses: they never match. */
	sec = kt_elf_section_at(vm->elf, addr);
	if (sec && sec->addr == 0)
		sec = NULL;
	if (!sec) {
		out->kind = kt_objects_range_class(vm->objects, addr);
		return NULL;
	}
	out->section = kt_xstrdup(sec->name);
	sym = kt_elf_sym_at(vm->elf, addr, false);
	if (sec->exec || !sym) {
		out->kind = "image";
		return NULL;
	}
	out->kind = strncmp(sec->name, ".data..percpu", 13) == 0 ? "percpu" : "global";
	out->name = kt_xstrdup(sym->name);
	out->offset = addr - sym->addr;
	e = load_globals(vm);
	if (e)
		return e;
	const struct kt_global *g = global_at(vm->objects, sym->addr);
	uint64_t type = 0;
	bool has = false;

	if (g && (e = var_type(vm->dw, g->die, &type, &has)))
		return e;
	if (has) {
		e = kt_dwtype_name(vm->dw, type, &out->type);
		if (!e)
			e = kt_layout_at(vm->dw, vm->types, type, out->offset, size, &out->member);
		if (e)
			return e;
		out->has_member = true;
	}
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_adds(&sb, out->name);
	if (out->has_member && out->member.path && *out->member.path) {
		if (out->member.path[0] != '[')
			kt_strbuf_addc(&sb, '.');
		kt_strbuf_adds(&sb, out->member.path);
	} else if (!out->has_member && out->offset) {
		kt_strbuf_addf(&sb, "+0x%llx", (unsigned long long)out->offset);
	}
	out->object = kt_strbuf_detach(&sb);
	return NULL;
}
