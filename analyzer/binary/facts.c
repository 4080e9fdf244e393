// SPDX-License-Identifier: Apache-2.0
/* The binary stage's facts (catalogue in rules/README.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cache.h"
#include "kcsan/strbuf.h"
#include "objects.h"
#include "vmlinux_int.h"

#define V KT_ORIGIN_VMLINUX

static const char *fname(char *buf, size_t n, const char *side, const char *name)
{
	if (side)
		snprintf(buf, n, "%s.%s", side, name);
	else
		snprintf(buf, n, "%s", name);
	return buf;
}

/* The names of the variables and parameters in scope, innermost last. */
struct scope_vars {
	char **names;
	size_t n, cap;
	struct kt_error *err;
};

static int add_var(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct scope_vars *sv = arg;
	struct kt_dw_die d;

	if (node->tag != KT_DW_TAG_variable && node->tag != KT_DW_TAG_formal_parameter)
		return 0;
	sv->err = kt_dw_node_die(dw, node, &d);
	if (sv->err)
		return 1;
	for (int i = 0; i < 4 && !d.name && d.has_origin; i++)
		if ((sv->err = kt_dw_die_get(dw, d.origin, &d)))
			return 1;
	if (d.name) {
		if (sv->n == sv->cap) {
			sv->cap = sv->cap ? 2 * sv->cap : 16;
			sv->names = kt_xrealloc(sv->names, sv->cap * sizeof(*sv->names));
		}
		sv->names[sv->n++] = kt_xstrdup(d.name);
	}
	return 0;
}

/* The names in scope at pc as the fact `name`: from the index cache, or
 * read from the DWARF (loading the unit's DIEs, the costliest part of a
 * report's binary facts) and then kept there. */
static struct kt_error *scope_names(struct kt_vmlinux *vm, uint64_t pc, struct kt_facts *facts,
				    const char *name)
{
	struct scope_vars sv = {0};
	uint64_t *scopes = NULL;
	size_t ns = 0;
	struct kt_error *e = NULL;
	bool cached = vm->cache && kt_cache_get_scope_names(vm->cache, pc, &sv.names, &sv.n);

	if (!cached)
		e = kt_symz_scopes(vm->z, pc, &scopes, &ns);
	for (size_t i = 0; i < ns && !e; i++) {
		e = kt_dw_visit_children(vm->dw, scopes[i], add_var, &sv);
		if (!e)
			e = sv.err;
	}
	free(scopes);
	if (!e && !cached && vm->cache)
		kt_cache_put_scope_names(vm->cache, pc, sv.names, sv.n);
	for (size_t i = 0; i < sv.n; i++) {
		if (!e)
			kt_facts_add_str(facts, name, sv.names[i], V);
		free(sv.names[i]);
	}
	free(sv.names);
	return e;
}

/* The access frame: site.func/file/line/inline and the names in scope. */
static struct kt_error *site_facts(struct kt_vmlinux *vm, const struct kt_access *acc,
				   const char *side, struct kt_facts *facts)
{
	struct kt_frame_pc fp;
	struct kt_loc *l = NULL;
	size_t n = 0;
	bool ok = false;
	char name[64];
	struct kt_error *e;

	if (acc->nframes == 0)
		return NULL;
	/* The access frame is the first printed frame with an offset. */
	const struct kt_frame *f = NULL;

	for (size_t i = 0; i < acc->nframes && !f; i++)
		if (acc->frames[i].has_offset)
			f = &acc->frames[i];
	if (!f)
		return NULL;
	e = kt_vmlinux_frame_pc(vm, f, &fp, &ok);
	if (e || !ok)
		return e;
	e = kt_vmlinux_pc_chain(vm, fp.pc, &l, &n);
	if (e || n == 0) {
		kt_locs_free(l, n);
		return e;
	}
	kt_facts_set_str(facts, fname(name, sizeof(name), side, "site.func"), l[0].func, V);
	if (l[0].file) {
		kt_facts_set_str(facts, fname(name, sizeof(name), side, "site.file"), l[0].file, V);
		kt_facts_set_int(facts, fname(name, sizeof(name), side, "site.line"), l[0].line, V);
	}
	kt_facts_remove(facts, fname(name, sizeof(name), side, "site.inline"));
	for (size_t k = 0; k + 1 < n; k++)
		kt_facts_add_str(facts, name, l[k].func, V);
	kt_facts_set_str(facts, fname(name, sizeof(name), side, "site.outer"), l[n - 1].func, V);
	kt_locs_free(l, n);

	/* Variables and parameters visible at the access, innermost scope last. */
	kt_facts_remove(facts, fname(name, sizeof(name), side, "site.vars"));
	return scope_names(vm, fp.pc, facts, name);
}

static struct kt_error *stack_facts(struct kt_vmlinux *vm, const struct kt_access *acc,
				    const char *side, struct kt_facts *facts)
{
	struct kt_frame *fr = NULL;
	size_t n = 0;
	char fn[64], ff[64];
	struct kt_error *e = kt_vmlinux_symbolize_stack(vm, acc, &fr, &n);

	if (e)
		return e;
	fname(fn, sizeof(fn), side, "frames.func");
	fname(ff, sizeof(ff), side, "frames.file");
	kt_facts_remove(facts, fn);
	kt_facts_remove(facts, ff);
	for (size_t i = 0; i < n; i++) {
		const char *f = fr[i].func;
		char *base = kt_xstrdup(f ? f : "??");
		char *dot = strchr(base, '.');

		if (dot && dot != base)
			*dot = 0; /* .constprop.0, .isra.0, .part.0 */
		kt_facts_add_str(facts, fn, base, V);
		kt_facts_add_str(facts, ff, fr[i].file ? fr[i].file : "??", V);
		free(base);
	}
	if (n > 0 && fr[0].file)
		kt_facts_set_str(facts, fname(fn, sizeof(fn), side, "file"), fr[0].file, V);
	kt_frames_free(fr, n);
	return NULL;
}

static void object_facts(const struct kt_object_info *oi, const char *side, struct kt_facts *facts)
{
	char name[64];

	kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.kind"), oi->kind, V);
	if (oi->kaslr)
		kt_facts_set_bool(facts, fname(name, sizeof(name), side, "obj.kaslr"), true, V);
	if (oi->name)
		kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.name"), oi->name, V);
	if (oi->section)
		kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.section"), oi->section,
				 V);
	if (oi->type)
		kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.type"), oi->type, V);
	if (oi->name || oi->type)
		kt_facts_set_int(facts, fname(name, sizeof(name), side, "obj.offset"),
				 (int64_t)oi->offset, V);
	if (oi->via)
		kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.via"), oi->via, V);
	if (oi->has_member) {
		const struct kt_member_info *m = &oi->member;

		if (m->path && *m->path)
			kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.member"),
					 m->path, V);
		if (m->type)
			kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.member_type"),
					 m->type, V);
		if (m->kind)
			kt_facts_set_str(facts, fname(name, sizeof(name), side, "obj.member_kind"),
					 m->kind, V);
		kt_facts_set_bool(facts, fname(name, sizeof(name), side, "obj.bitfield"),
				  m->bitfield, V);
		if (m->bitfield)
			kt_facts_set_bool(facts,
					  fname(name, sizeof(name), side, "obj.bitfield_shared"),
					  m->bitfield_shared, V);
	}
	if (oi->object && !side)
		kt_facts_set_str(facts, "object", oi->object, V);
}

/* The PC of an access's own frame (the first printed frame with an offset). */
static struct kt_error *access_pc(struct kt_vmlinux *vm, const struct kt_access *acc, uint64_t *pc,
				  bool *ok)
{
	struct kt_frame_pc fp;
	struct kt_error *e;

	*ok = false;
	for (size_t i = 0; i < acc->nframes; i++)
		if (acc->frames[i].has_offset) {
			e = kt_vmlinux_frame_pc(vm, &acc->frames[i], &fp, ok);
			*pc = fp.pc;
			return e;
		}
	return NULL;
}

/* The object of each access: a global by its address, else (heap, stacks)
 * the struct its code goes through, else the other access's struct when
 * the address lies in it. */
static struct kt_error *objects(struct kt_vmlinux *vm, const struct kt_report *rep,
				struct kt_object_info *oi, size_t n)
{
	struct kt_error *e = NULL;

	for (size_t i = 0; i < n && !e; i++) {
		const struct kt_access *acc = &rep->access[i];
		uint64_t pc = 0;
		bool ok = false, found = false;

		e = kt_objects_lookup(vm, acc->addr, acc->size, &oi[i]);
		if (!e && !oi[i].name && !oi[i].type)
			e = access_pc(vm, acc, &pc, &ok);
		if (!e && ok)
			e = kt_access_object(vm, pc, acc->size, &oi[i], &found);
	}
	for (size_t i = 0; i < n && n == 2 && !e; i++) {
		bool found = false;

		if (!oi[i].name && !oi[i].type && oi[1 - i].via)
			e = kt_access_same_object(vm, &oi[1 - i], rep->access[1 - i].addr,
						  rep->access[i].addr, rep->access[i].size, &oi[i],
						  &found);
	}
	return e;
}

struct kt_error *kt_vmlinux_add_facts(struct kt_vmlinux *vm, const struct kt_report *rep,
				      struct kt_facts *facts)
{
	static const char *const sides[2] = {"a", "b"};
	struct kt_object_info oi[2];
	size_t n = rep->naccess < 2 ? rep->naccess : 2, top = 0;
	struct kt_error *e = kt_vmlinux_check_report(vm, rep);

	/* A vmlinux of another build must not speak about this report. */
	if (e)
		return e;
	memset(oi, 0, sizeof(oi));
	for (size_t i = 0; i < n && !e; i++) {
		e = stack_facts(vm, &rep->access[i], sides[i], facts);
		if (!e)
			e = site_facts(vm, &rep->access[i], sides[i], facts);
	}
	if (!e)
		e = objects(vm, rep, oi, n);
	for (size_t i = 0; i < n && !e; i++)
		object_facts(&oi[i], sides[i], facts);
	/* The report's object: the first access's, unless only the other's
	 * type is known. */
	if (n == 2 && !oi[0].type && oi[1].type)
		top = 1;
	if (!e && n)
		object_facts(&oi[top], NULL, facts);
	for (size_t i = 0; i < n; i++)
		kt_object_info_fini(&oi[i]);
	return e;
}
