// SPDX-License-Identifier: Apache-2.0
/*
 * The object a heap access goes through (see access.h): the sanitizer call
 * at the access PC, how its address was formed, the variable in that
 * register, its struct type and the member at the displacement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "kcsan/strbuf.h"
#include "types.h"
#include "vmlinux_int.h"
#include "x86.h"

/* A call to a sanitizer hook whose first argument (rdi) is the address of
 * the access: __tsan_read4, __tsan_unaligned_write8, __tsan_volatile_read2,
 * __tsan_read_write4, __tsan_read_range... (not __tsan_memcpy and the like,
 * whose rdi is one of two buffers). */
static bool address_hook(const char *name)
{
	static const char *const kinds[] = {"read_write", "read", "write"};
	const char *p;

	if (!name || strncmp(name, "__tsan_", 7) != 0)
		return false;
	p = name + 7;
	if (strncmp(p, "unaligned_", 10) == 0)
		p += 10;
	else if (strncmp(p, "volatile_", 9) == 0)
		p += 9;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t l = strlen(kinds[i]);

		if (strncmp(p, kinds[i], l) == 0)
			return strcmp(p + l, "_range") == 0 ||
			       strspn(p + l, "0123456789") == strlen(p + l);
	}
	return false;
}

/* Where the address of the access was: a register plus a displacement, at
 * an instruction address where that register held it. */
struct site {
	struct kt_x86_mem mem;
	uint64_t at;
};

/* Both readings of the code at the return address ret: the register rdi
 * was loaded from before the call, and the operand of the instruction after
 * it when it reads or writes no more than the access. */
static size_t sites_of(struct kt_vmlinux *vm, uint64_t ret, uint64_t size, struct site *s)
{
	unsigned char before[16], after[16];
	size_t n = 0, back = 0;
	int32_t rel;

	if (ret < sizeof(before) ||
	    kt_elf_code(vm->elf, ret - sizeof(before), before, sizeof(before)) != sizeof(before))
		return 0;
	if (before[sizeof(before) - 5] != 0xe8) /* call rel32 */
		return 0;
	memcpy(&rel, before + sizeof(before) - 4, 4);
	const struct kt_elf_sym *callee = kt_elf_sym_before(vm->elf, ret + (int64_t)rel);

	if (!callee || callee->addr != ret + (int64_t)rel || !address_hook(callee->name))
		return 0;
	if (kt_x86_rdi_from(before, sizeof(before) - 5, &s[n].mem, &back)) {
		s[n].at = ret - 5 - back;
		n++;
	}
	size_t got = kt_elf_code(vm->elf, ret, after, sizeof(after));

	/* Its operand may be a part of what the hook checked (a flag of a
	 * 4-byte word tested as a byte), never more. */
	if (got && kt_x86_mem_operand(after, got, &s[n].mem) && s[n].mem.size <= size) {
		s[n].at = ret;
		n++;
	}
	return n;
}

struct var_search {
	struct kt_vmlinux *vm;
	const struct site *site;
	uint64_t size;		   /* of the operand the site gives */
	uint64_t access_size;	   /* of the access KCSAN checked */
	struct kt_object_info *oi; /* the best so far */
	uint64_t best_size;	   /* of its struct */
	bool found;
	struct kt_error *err;
};

/* Name and type of a variable or parameter, through its abstract origin. */
static struct kt_error *var_decl(struct kt_dw *dw, const struct kt_dw_node *n, struct kt_dw_die *d)
{
	struct kt_error *e = kt_dw_node_die(dw, n, d);

	for (int hops = 0; !e && hops < 4 && (!d->name || !d->has_type) && d->has_origin; hops++)
		e = kt_dw_die_get(dw, d->origin, d);
	return e;
}

/* The struct a variable points to, a definition: the named type of the
 * whole vmlinux when the unit only declares it. */
static struct kt_error *pointee(struct kt_vmlinux *vm, uint64_t type, uint64_t *target)
{
	bool decl = false;
	char *name = NULL;
	struct kt_error *e = kt_type_pointee(vm->dw, type, target, &decl);

	if (e || !*target || !decl)
		return e;
	e = kt_dwtype_name(vm->dw, *target, &name);
	*target = 0;
	if (!e) {
		e = kt_objects_find_type(vm, name, target);
		if (e && e->code == KT_ERR_USAGE) { /* no definition anywhere */
			kt_error_free(e);
			e = NULL;
		}
	}
	free(name);
	return e;
}

/* The member of struct target at [off, off + size): false when the access
 * is not inside one (past the end: a container_of() we cannot see). */
static bool inside(struct var_search *vs, uint64_t target, int64_t off, struct kt_member_info *m)
{
	struct kt_error *e;

	if (off < 0)
		return false;
	e = kt_layout_at(vs->vm->dw, vs->vm->types, target, (uint64_t)off, vs->size, m);
	if (e) {
		kt_error_free(e);
		return false;
	}
	if (m->bitfield ||
	    (m->offset <= (uint64_t)off && (uint64_t)off + vs->size <= m->offset + m->size))
		return true;
	kt_member_info_fini(m);
	return false;
}

/* A variable of the scope: is it a pointer in the site's register, to a
 * struct the access lies in? Of several, the one pointing to the largest
 * struct names the object best ("inode", not "rhs" pointing into it); on a
 * tie the innermost scope's. */
static int try_var(struct kt_dw *dw, const struct kt_dw_node *n, void *arg)
{
	struct var_search *vs = arg;
	struct kt_dw_varloc loc;
	struct kt_dw_die d;
	struct kt_member_info m;
	uint64_t target = 0, tsize = 0;
	bool here = false;

	if (n->tag != KT_DW_TAG_variable && n->tag != KT_DW_TAG_formal_parameter)
		return 0;
	vs->err = kt_dw_var_reg_at(dw, n->off, vs->site->at, &loc, &here);
	if (vs->err)
		return 1;
	if (!here || loc.dwreg != kt_x86_dwarf_reg(vs->site->mem.base))
		return 0;
	if ((vs->err = var_decl(dw, n, &d)) || !d.has_type)
		return vs->err ? 1 : 0;
	if ((vs->err = pointee(vs->vm, d.type, &target)) || !target)
		return vs->err ? 1 : 0;
	if ((vs->err = kt_dwtype_size(dw, target, &tsize)))
		return 1;
	int64_t off = vs->site->mem.disp - loc.add;

	if (tsize <= vs->best_size || !inside(vs, target, off, &m))
		return 0;
	/* An operand smaller than the access (a byte of a flags word): the
	 * access is the whole member it lies in, or this says nothing. */
	if (vs->size < vs->access_size) {
		if (m.bitfield || m.size != vs->access_size) {
			kt_member_info_fini(&m);
			return 0;
		}
		off = (int64_t)m.offset;
	}
	kt_object_info_fini(vs->oi);
	vs->oi->type = m.container ? kt_xstrdup(m.container) : NULL;
	vs->oi->type_die = target;
	vs->oi->offset = (uint64_t)off;
	vs->oi->has_member = m.path && *m.path;
	vs->oi->member = m;
	if (asprintf(&vs->oi->via, "%s (%s *) in %%%s at 0x%llx", d.name ? d.name : "?",
		     vs->oi->type ? vs->oi->type : "?", kt_x86_reg_name(vs->site->mem.base),
		     (unsigned long long)vs->site->at) < 0)
		abort();
	vs->best_size = tsize;
	vs->found = true;
	return 0;
}

/* The variables of the scopes at the site, innermost scope first. */
static struct kt_error *search_site(struct kt_vmlinux *vm, const struct site *s, uint64_t size,
				    struct kt_object_info *oi, bool *found)
{
	uint64_t *scopes = NULL;
	size_t ns = 0;
	/* the hook's address and size, or the instruction's operand */
	struct var_search vs = {.vm = vm,
				.site = s,
				.size = s->mem.size ? s->mem.size : size,
				.access_size = size,
				.oi = oi};
	struct kt_error *e = kt_symz_scopes(vm->z, s->at, &scopes, &ns);

	for (size_t i = ns; !e && i-- > 0;) {
		e = kt_dw_visit_children(vm->dw, scopes[i], try_var, &vs);
		if (!e)
			e = vs.err;
	}
	free(scopes);
	*found = vs.found;
	return e;
}

/* The struct, offset, member and how, from got into oi (its kind, section
 * and the like stay). */
static void take_object(struct kt_object_info *oi, struct kt_object_info *got)
{
	free(oi->type);
	free(oi->via);
	kt_member_info_fini(&oi->member);
	oi->type = got->type;
	oi->type_die = got->type_die;
	oi->offset = got->offset;
	oi->has_member = got->has_member;
	oi->member = got->member;
	oi->via = got->via;
	got->type = got->via = NULL;
	memset(&got->member, 0, sizeof(got->member));
}

struct kt_error *kt_access_object(struct kt_vmlinux *vm, uint64_t pc, uint64_t size,
				  struct kt_object_info *oi, bool *found)
{
	struct site s[2];
	size_t n = sites_of(vm, pc + 1, size, s);
	struct kt_error *e = NULL;

	*found = false;
	for (size_t i = 0; i < n && !e && !*found; i++) {
		struct kt_object_info got = {0};

		e = search_site(vm, &s[i], size, &got, found);
		if (*found)
			take_object(oi, &got);
		kt_object_info_fini(&got);
	}
	return e;
}

struct kt_error *kt_access_same_object(struct kt_vmlinux *vm, const struct kt_object_info *known,
				       uint64_t known_addr, uint64_t addr, uint64_t size,
				       struct kt_object_info *oi, bool *found)
{
	uint64_t start = known_addr - known->offset;
	struct kt_object_info got = {0};
	struct kt_member_info m;

	*found = false;
	if (!known->type_die || !known->via || addr < start)
		return NULL;
	struct var_search vs = {.vm = vm, .size = size, .access_size = size};

	if (!inside(&vs, known->type_die, (int64_t)(addr - start), &m))
		return NULL;
	got.type = kt_xstrdup(known->type);
	got.type_die = known->type_die;
	got.offset = addr - start;
	got.has_member = m.path && *m.path;
	got.member = m;
	if (asprintf(&got.via, "the other access's object: %s", known->via) < 0)
		abort();
	take_object(oi, &got);
	kt_object_info_fini(&got);
	*found = true;
	return NULL;
}
