// SPDX-License-Identifier: Apache-2.0
/*
 * Address -> object. Kernel-image addresses map to the ELF data symbol
 * holding them and, through the DWARF variable of that symbol, to the member
 * at the offset. Other addresses get the class of their x86-64 range from
 * rules/addr-layout.tbl. The variable index (address -> DIE) is built once per
 * vmlinux from the top-level DIEs of the CUs and kept in the cache.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "kcsan/strbuf.h"
#include "kcsan/table.h"
#include "objects.h"
#include "vmlinux_int.h"

struct range_class {
	uint64_t lo, hi; /* inclusive */
	char *name;
};

struct alias {
	char *from, *to;
};

struct kt_objects {
	struct range_class *classes;
	size_t nclasses;
	struct alias *aliases; /* rules/symbol-aliases.tbl */
	size_t naliases;
	struct kt_global *globals; /* sorted by address */
	size_t nglobals;
	struct kt_named_type *types; /* sorted by name */
	size_t ntypes;
	uint64_t *cu_offs;    /* CU DIEs */
	const char **cu_base; /* and the base names of their DW_AT_name */
	size_t ncu;
	bool cu_names_loaded;
	bool globals_loaded;
};

/* FIRST LAST CLASS: an address range (hex, inclusive) and its class. */
static bool parse_addr(const char *s, uint64_t *out)
{
	char *end;

	if (!isxdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	*out = strtoull(s, &end, 16);
	return !errno && !*end;
}

static struct kt_error *layout_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_objects *o = ctx;
	uint64_t lo, hi;

	if (l->n != 3)
		return kt_table_bad(l, "range lines are: FIRST LAST CLASS (addresses in hex)");
	if (!parse_addr(l->f[0], &lo))
		return kt_table_bad(l, "'%s' is not a 64-bit hex address", l->f[0]);
	if (!parse_addr(l->f[1], &hi))
		return kt_table_bad(l, "'%s' is not a 64-bit hex address", l->f[1]);
	if (lo > hi)
		return kt_table_bad(l, "the first address is above the last");
	if (o->nclasses % 16 == 0)
		o->classes = kt_xrealloc(o->classes, (o->nclasses + 16) * sizeof(*o->classes));
	o->classes[o->nclasses].lo = lo;
	o->classes[o->nclasses].hi = hi;
	o->classes[o->nclasses].name = kt_xstrdup(l->f[2]);
	o->nclasses++;
	return NULL;
}

static void free_types(struct kt_named_type *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

/* NAME-IN-ELF NAME-TO-SHOW */
static struct kt_error *alias_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_objects *o = ctx;

	if (l->n != 2)
		return kt_table_bad(l, "alias lines are: NAME-IN-ELF NAME-TO-SHOW");
	if (o->naliases % 8 == 0)
		o->aliases = kt_xrealloc(o->aliases, (o->naliases + 8) * sizeof(*o->aliases));
	o->aliases[o->naliases].from = kt_xstrdup(l->f[0]);
	o->aliases[o->naliases].to = kt_xstrdup(l->f[1]);
	o->naliases++;
	return NULL;
}

/* The name kernel code uses for the variable of sym: its alias when the
 * table has one and the vmlinux defines it at the same address. */
static const char *shown_name(const struct kt_vmlinux *vm, const struct kt_elf_sym *sym)
{
	const struct kt_objects *o = vm->objects;

	for (size_t i = 0; i < o->naliases; i++) {
		size_t first, n;

		if (strcmp(o->aliases[i].from, sym->name) != 0)
			continue;
		kt_elf_find_name(vm->elf, o->aliases[i].to, &first, &n);
		for (size_t k = 0; k < n; k++)
			if (vm->elf->syms[vm->elf->by_name[first + k]].addr == sym->addr)
				return o->aliases[i].to;
	}
	return sym->name;
}

/* A table of rules_dir, when there is one (both are optional). */
static struct kt_error *load(const char *rules_dir, const char *name, kt_table_line_fn fn,
			     struct kt_objects *o)
{
	char *path = kt_rules_path(rules_dir, name);
	struct kt_error *err = path ? kt_table_read(path, fn, o) : NULL;

	free(path);
	return err;
}

struct kt_error *kt_objects_new(const char *rules_dir, struct kt_objects **out)
{
	struct kt_objects *o = kt_xcalloc(1, sizeof(*o));
	struct kt_error *err =
	    kt_error_append(load(rules_dir, "addr-layout.tbl", layout_line, o),
			    load(rules_dir, "symbol-aliases.tbl", alias_line, o));

	*out = NULL;
	if (err) {
		kt_objects_free(o);
		return err;
	}
	*out = o;
	return NULL;
}

void kt_objects_free(struct kt_objects *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nclasses; i++)
		free(o->classes[i].name);
	for (size_t i = 0; i < o->naliases; i++) {
		free(o->aliases[i].from);
		free(o->aliases[i].to);
	}
	free(o->aliases);
	free(o->classes);
	free(o->globals);
	free_types(o->types, o->ntypes);
	free(o->cu_offs);
	free(o->cu_base);
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
	free(oi->via);
	kt_member_info_fini(&oi->member);
	memset(oi, 0, sizeof(*oi));
}

/* Names seen, in an open-addressing hash set: a header's types appear in
 * every unit that includes it, and only the first definition is kept. */
struct name_set {
	const char **v;	   /* DWARF strings; NULL: empty slot */
	unsigned char *kw; /* 0 typedef, 1 struct, 2 union */
	size_t cap, n;
};

static uint64_t name_hash(const char *s, unsigned char kw)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ kw;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* true when (name, kw) was not in the set (and is now). */
static bool name_set_add(struct name_set *ns, const char *name, unsigned char kw)
{
	if (ns->n * 2 >= ns->cap) {
		struct name_set bigger = {0};

		bigger.cap = ns->cap ? ns->cap * 2 : 4096;
		bigger.v = kt_xcalloc(bigger.cap, sizeof(*bigger.v));
		bigger.kw = kt_xcalloc(bigger.cap, 1);
		for (size_t i = 0; i < ns->cap; i++)
			if (ns->v[i])
				name_set_add(&bigger, ns->v[i], ns->kw[i]);
		free(ns->v);
		free(ns->kw);
		*ns = bigger;
	}
	size_t i = name_hash(name, kw) & (ns->cap - 1);

	while (ns->v[i]) {
		if (ns->kw[i] == kw && strcmp(ns->v[i], name) == 0)
			return false;
		i = (i + 1) & (ns->cap - 1);
	}
	ns->v[i] = name;
	ns->kw[i] = kw;
	ns->n++;
	return true;
}

struct gcollect {
	struct kt_global *v;
	size_t n, cap;
	struct kt_named_type *t;
	size_t nt, capt;
	struct name_set seen;
	struct kt_error *err;
};

static int collect_top(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct gcollect *g = arg;
	struct kt_dw_die d;

	if (node->tag == KT_DW_TAG_structure_type || node->tag == KT_DW_TAG_union_type ||
	    node->tag == KT_DW_TAG_typedef) {
		const char *name = NULL;
		bool decl = false;
		unsigned char kw = node->tag == KT_DW_TAG_structure_type ? 1
				   : node->tag == KT_DW_TAG_union_type	 ? 2
									 : 0;

		g->err = kt_dw_node_name(dw, node, &name, &decl);
		if (g->err)
			return 1;
		if (!name || decl || !name_set_add(&g->seen, name, kw))
			return 0;
		if (g->nt == g->capt) {
			g->capt = g->capt ? g->capt * 2 : 1024;
			g->t = kt_xrealloc(g->t, g->capt * sizeof(*g->t));
		}
		if (asprintf(&g->t[g->nt].name, "%s%s",
			     kw == 1   ? "struct "
			     : kw == 2 ? "union "
				       : "",
			     name) < 0)
			abort();
		g->t[g->nt].die = node->off;
		g->nt++;
		return 0;
	}
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

static int type_cmp(const void *a, const void *b)
{
	const struct kt_named_type *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->die < y->die ? -1 : x->die > y->die;
}

/* Globals (address -> variable DIE) and named types (name -> DIE), from
 * the top-level DIEs of every CU: read once per vmlinux, then cached. */
static struct kt_error *load_index(struct kt_vmlinux *vm)
{
	struct kt_objects *o = vm->objects;
	struct gcollect g = {0};
	uint64_t *cus = NULL;
	size_t ncus = 0;
	struct kt_error *e;

	if (o->globals_loaded)
		return NULL;
	if (vm->cache && kt_cache_get_globals(vm->cache, &o->globals, &o->nglobals)) {
		if (kt_cache_get_types(vm->cache, &o->types, &o->ntypes)) {
			o->globals_loaded = true;
			return NULL;
		}
		free(o->globals);
		o->globals = NULL;
		o->nglobals = 0;
	}
	e = kt_dw_cus(vm->dw, &cus, &ncus);
	for (size_t i = 0; !e && i < ncus; i++) {
		e = kt_dw_visit_children(vm->dw, cus[i], collect_top, &g);
		if (!e)
			e = g.err;
		if (i % 512 == 511)
			kt_elf_drop_pages(vm->elf); /* one pass over the file */
	}
	free(cus);
	free(g.seen.v);
	free(g.seen.kw);
	kt_elf_drop_pages(vm->elf);
	if (e) {
		free(g.v);
		free_types(g.t, g.nt);
		return e;
	}
	/* An image without units has nothing to sort (and NULL lists). */
	if (g.n)
		qsort(g.v, g.n, sizeof(*g.v), global_cmp);
	if (g.nt)
		qsort(g.t, g.nt, sizeof(*g.t), type_cmp);
	/* One DIE per name: the first definition. */
	size_t k = 0;

	for (size_t i = 0; i < g.nt; i++) {
		if (k && strcmp(g.t[k - 1].name, g.t[i].name) == 0) {
			free(g.t[i].name);
			continue;
		}
		g.t[k++] = g.t[i];
	}
	g.nt = k;
	o->globals = g.v;
	o->nglobals = g.n;
	o->types = g.t;
	o->ntypes = g.nt;
	o->globals_loaded = true;
	if (vm->cache) {
		kt_cache_put_globals(vm->cache, o->globals, o->nglobals);
		kt_cache_put_types(vm->cache, o->types, o->ntypes);
	}
	return NULL;
}

/* Base names of the CUs (DW_AT_name), listed once. */
static struct kt_error *cu_names(struct kt_vmlinux *vm)
{
	struct kt_objects *o = vm->objects;
	uint64_t *cus = NULL;
	size_t n = 0;
	struct kt_error *e;

	if (o->cu_names_loaded)
		return NULL;
	e = kt_dw_cus(vm->dw, &cus, &n);
	if (e)
		return e;
	o->cu_offs = cus;
	o->cu_base = kt_xcalloc(n + 1, sizeof(*o->cu_base));
	o->ncu = n;
	for (size_t i = 0; i < n; i++) {
		struct kt_dw_die d;

		e = kt_dw_die_get(vm->dw, cus[i], &d);
		if (e)
			break;
		if (d.name) {
			const char *b = strrchr(d.name, '/');

			o->cu_base[i] = b ? b + 1 : d.name;
		}
	}
	o->cu_names_loaded = true;
	kt_elf_drop_pages(vm->elf);
	return e;
}

struct var_find {
	uint64_t addr, die;
	bool found;
	struct kt_error *err;
};

static int find_var(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct var_find *f = arg;
	struct kt_dw_die d;

	if (node->tag != KT_DW_TAG_variable)
		return 0;
	f->err = kt_dw_node_die(dw, node, &d);
	if (f->err)
		return 1;
	if (d.has_addr && d.addr == f->addr) {
		f->die = d.off;
		f->found = true;
		return 1;
	}
	return 0;
}

/* The source file a data symbol comes from: its own STT_FILE when it is
 * local, else that of the nearest local data symbol around it in the same
 * section (the linker lays out each object's data together). */
static void candidate_files(const struct kt_elf *elf, const struct kt_elf_sym *sym,
			    const char **files, size_t *n)
{
	size_t i = (size_t)(sym - elf->syms);

	*n = 0;
	if (sym->file) {
		files[(*n)++] = sym->file;
		return;
	}
	for (size_t k = i, steps = 0; k-- > 0 && steps < 64; steps++)
		if (!elf->syms[k].text && elf->syms[k].file) {
			files[(*n)++] = elf->syms[k].file;
			break;
		}
	for (size_t k = i + 1, steps = 0; k < elf->nsyms && steps < 64; k++, steps++)
		if (!elf->syms[k].text && elf->syms[k].file) {
			if (!*n || strcmp(files[0], elf->syms[k].file) != 0)
				files[(*n)++] = elf->syms[k].file;
			break;
		}
}

/* The variable of sym found in the units of its source file: a few CUs read
 * instead of the top level of all of them. */
static struct kt_error *var_by_file(struct kt_vmlinux *vm, const struct kt_elf_sym *sym,
				    uint64_t *die, bool *found)
{
	struct kt_objects *o = vm->objects;
	const char *files[2];
	size_t nf = 0;
	struct kt_error *e;

	*found = false;
	candidate_files(vm->elf, sym, files, &nf);
	if (!nf)
		return NULL;
	e = cu_names(vm);
	if (e)
		return e;
	for (size_t f = 0; f < nf && !*found; f++)
		for (size_t i = 0; i < o->ncu && !*found; i++) {
			struct var_find vf = {.addr = sym->addr};

			if (!o->cu_base[i] || strcmp(o->cu_base[i], files[f]) != 0)
				continue;
			e = kt_dw_visit_children(vm->dw, o->cu_offs[i], find_var, &vf);
			if (!e)
				e = vf.err;
			if (e)
				return e;
			if (vf.found) {
				*die = vf.die;
				*found = true;
			}
		}
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
	if (vm->elf->relocatable) {
		/* KASLR may have moved the image the report came from: an
		 * address here could belong to any variable. Say so rather
		 * than name the wrong one. */
		out->kind = "image";
		out->kaslr = true;
		return NULL;
	}
	sym = kt_elf_sym_at(vm->elf, addr, false);
	if (sec->exec || !sym) {
		out->kind = "image";
		return NULL;
	}
	out->kind = strncmp(sec->name, ".data..percpu", 13) == 0 ? "percpu" : "global";
	out->name = kt_xstrdup(shown_name(vm, sym));
	out->offset = addr - sym->addr;
	/* On an error nothing is handed back: the caller has no info to free. */
	uint64_t vdie = 0;
	bool vfound = false;

	/* First the units of the source file the symbol table names for it
	 * (or for its neighbours), then the whole index. */
	if (!vm->objects->globals_loaded) {
		e = var_by_file(vm, sym, &vdie, &vfound);
		if (e)
			goto fail;
	}
	if (!vfound) {
		e = load_index(vm);
		if (e)
			goto fail;
		const struct kt_global *g = global_at(vm->objects, sym->addr);

		if (g) {
			vdie = g->die;
			vfound = true;
		}
	}
	uint64_t type = 0;
	bool has = false;

	if (vfound && (e = var_type(vm->dw, vdie, &type, &has)))
		goto fail;
	if (has) {
		e = kt_dwtype_name(vm->dw, type, &out->type);
		if (!e)
			e = kt_layout_at(vm->dw, vm->types, type, out->offset, size, &out->member);
		if (e)
			goto fail;
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
fail:
	kt_object_info_fini(out);
	return e;
}

static void member_out(struct kt_member_info *m, struct kt_vmlinux_member *out)
{
	out->path = m->path;
	out->type = m->type;
	out->kind = m->kind;
	out->container = m->container;
	out->offset = m->offset;
	out->size = m->size;
	out->bitfield = m->bitfield;
	out->bit_offset = m->bit_offset;
	out->bit_size = m->bit_size;
	out->bitfield_shared = m->bitfield_shared;
	memset(m, 0, sizeof(*m));
}

struct kt_error *kt_objects_find_type(struct kt_vmlinux *vm, const char *name, uint64_t *die)
{
	struct kt_objects *o = vm->objects;
	struct kt_error *e = load_index(vm);
	size_t lo = 0, hi;

	if (e)
		return e;
	hi = o->ntypes;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(o->types[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < o->ntypes && strcmp(o->types[lo].name, name) == 0) {
		*die = o->types[lo].die;
		return NULL;
	}
	return kt_error_new(KT_ERR_USAGE, vm->path, 0, "no type '%s' in this vmlinux", name);
}

struct kt_error *kt_vmlinux_member_at(struct kt_vmlinux *vm, const char *type, uint64_t offset,
				      uint64_t size, struct kt_vmlinux_member *out)
{
	struct kt_member_info m;
	uint64_t die = 0;
	struct kt_error *e;

	memset(out, 0, sizeof(*out));
	e = kt_objects_find_type(vm, type, &die);
	if (!e)
		e = kt_layout_at(vm->dw, vm->types, die, offset, size, &m);
	if (!e)
		member_out(&m, out);
	return e;
}

struct kt_error *kt_vmlinux_member_named(struct kt_vmlinux *vm, const char *type,
					 const char *member, struct kt_vmlinux_member *out)
{
	struct kt_member_info m;
	uint64_t die = 0;
	struct kt_error *e;

	memset(out, 0, sizeof(*out));
	e = kt_objects_find_type(vm, type, &die);
	if (!e)
		e = kt_layout_member(vm->dw, vm->types, die, member, &m);
	if (!e)
		member_out(&m, out);
	return e;
}

void kt_vmlinux_member_fini(struct kt_vmlinux_member *m)
{
	free(m->path);
	free(m->type);
	free(m->kind);
	free(m->container);
	memset(m, 0, sizeof(*m));
}
