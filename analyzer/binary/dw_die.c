// SPDX-License-Identifier: Apache-2.0
/*
 * DIEs (libdwarf 20210528): decoded into struct kt_dw_die, and walks over a
 * DIE's children. Attributes of a form that needs a file this tool does not
 * read (a dwz supplementary file, a split-DWARF .dwo) or that libdwarf
 * cannot give as the class the attribute needs are recorded in bad_at and
 * bad_form rather than read wrong, so that callers can say so.
 */
#include <stdlib.h>
#include <string.h>

#include "dw_int.h"
#include "kcsan/strbuf.h"

/* DW_AT_location holding exactly DW_OP_addr <8 bytes>. */
static bool expr_addr(const unsigned char *p, Dwarf_Unsigned len, uint64_t *addr)
{
	if (len != 9 || p[0] != DW_OP_addr)
		return false;
	uint64_t v = 0;

	for (int i = 8; i >= 1; i--)
		v = (v << 8) | p[i];
	*addr = v;
	return true;
}

/* DW_OP_plus_uconst <uleb> (old member locations). */
static bool expr_uconst(const unsigned char *p, Dwarf_Unsigned len, uint64_t *v)
{
	uint64_t r = 0;
	unsigned shift = 0;

	if (len < 2 || p[0] != DW_OP_plus_uconst)
		return false;
	for (Dwarf_Unsigned i = 1; i < len && shift < 64; i++, shift += 7) {
		r |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i] & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

/* An unsigned constant, including DWARF 5 DW_FORM_implicit_const (the value
 * lives in the abbreviation: gcc uses it for call_file/call_line), which
 * libdwarf 20210528's dwarf_formudata refuses. */
static int attr_udata(Dwarf_Attribute a, Dwarf_Half form, Dwarf_Unsigned *u, Dwarf_Error *err)
{
	if (form == DW_FORM_implicit_const) {
		Dwarf_Signed v = 0;
		int rc = dwarf_formsdata(a, &v, err);

		*u = (Dwarf_Unsigned)v;
		return rc;
	}
	return dwarf_formudata(a, u, err);
}

/* The first attribute whose value could not be read, for the caller's note. */
static void bad(struct kt_dw_die *d, Dwarf_Half at, Dwarf_Half form)
{
	if (!d->bad_at) {
		d->bad_at = at;
		d->bad_form = form;
	}
}

/* Forms whose value lives in another file (dwz's supplementary file, a
 * split-DWARF .dwo): libdwarf alone would give an offset into the wrong
 * section. */
static bool foreign_form(Dwarf_Half form)
{
	return form == DW_FORM_GNU_ref_alt || form == DW_FORM_GNU_strp_alt ||
	       form == DW_FORM_ref_sup4 || form == DW_FORM_ref_sup8 || form == DW_FORM_strp_sup;
}

/* DW_AT_location of a variable: a single DW_OP_addr, or DW_OP_addrx (an
 * index into .debug_addr, clang's DWARF 5). Anything else is not an address
 * of the image (registers, location lists) and is left. */
static void location_addr(Dwarf_Die die, Dwarf_Attribute a, Dwarf_Half form, struct kt_dw_die *d,
			  Dwarf_Error *err)
{
	Dwarf_Unsigned len = 0;
	Dwarf_Ptr p = NULL;
	uint64_t v = 0;
	const unsigned char *q;

	if (form != DW_FORM_exprloc || dwarf_formexprloc(a, &len, &p, err) != DW_DLV_OK)
		return;
	q = p;
	if (expr_addr(q, len, &v)) {
		d->has_addr = true;
		d->addr = v;
		return;
	}
	if (len < 2 || (q[0] != DW_OP_addrx && q[0] != DW_OP_GNU_addr_index))
		return;
	uint64_t idx = 0;
	Dwarf_Addr ad = 0;
	Dwarf_Unsigned k = 1;

	for (unsigned sh = 0; k < len && sh < 64; k++, sh += 7) {
		idx |= (uint64_t)(q[k] & 0x7f) << sh;
		if (!(q[k] & 0x80))
			break;
	}
	if (k + 1 == len && dwarf_debug_addr_index_to_addr(die, idx, &ad, err) == DW_DLV_OK) {
		d->has_addr = true;
		d->addr = ad;
	}
}

/* DW_AT_data_member_location: a constant, or DW_OP_plus_uconst (DWARF 2). */
static int member_loc(Dwarf_Attribute a, Dwarf_Half form, struct kt_dw_die *d, Dwarf_Error *err)
{
	Dwarf_Unsigned u = 0, len = 0;
	Dwarf_Ptr p = NULL;
	uint64_t v = 0;
	int rc;

	if (form == DW_FORM_exprloc || form == DW_FORM_block1) {
		rc = dwarf_formexprloc(a, &len, &p, err);
		if (rc == DW_DLV_OK && !expr_uconst(p, len, &v))
			return DW_DLV_NO_ENTRY;
		u = v;
	} else {
		rc = attr_udata(a, form, &u, err);
	}
	if (rc == DW_DLV_OK) {
		d->has_member_loc = true;
		d->member_loc = u;
	}
	return rc;
}

/* The unsigned constants, by attribute: where each goes. */
static int constant(Dwarf_Half at, Dwarf_Attribute a, Dwarf_Half form, struct kt_dw_die *d,
		    Dwarf_Error *err)
{
	Dwarf_Unsigned u = 0;
	int rc = attr_udata(a, form, &u, err);

	if (rc != DW_DLV_OK)
		return rc;
	switch (at) {
	case DW_AT_byte_size:
		d->has_byte_size = true, d->byte_size = u;
		break;
	case DW_AT_bit_size:
		d->has_bit_size = true, d->bit_size = u;
		break;
	case DW_AT_data_bit_offset:
		d->has_data_bit_offset = true, d->data_bit_offset = u;
		break;
	case DW_AT_bit_offset:
		d->has_bit_offset = true, d->bit_offset = u;
		break;
	case DW_AT_count:
		d->has_count = true, d->count = u;
		break;
	case DW_AT_upper_bound:
		d->has_count = true, d->count = u + 1;
		break;
	case DW_AT_call_file:
		d->has_call = true, d->call_file = u;
		break;
	case DW_AT_call_line:
		d->has_call = true, d->call_line = u;
		break;
	}
	return rc;
}

/* One attribute into d. Structural ones (name, type, origin) that cannot be
 * read are errors; values that cannot are recorded in bad_at. */
static struct kt_error *decode_attr(struct kt_dw *dw, Dwarf_Die die, Dwarf_Attribute a,
				    struct kt_dw_die *d)
{
	Dwarf_Error err = NULL;
	Dwarf_Half at = 0, form = 0;
	Dwarf_Off ref = 0;
	Dwarf_Bool flag = false;
	char *s = NULL;
	int rc = DW_DLV_OK;

	if (dwarf_whatattr(a, &at, &err) != DW_DLV_OK ||
	    dwarf_whatform(a, &form, &err) != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)d->off, "attribute");
	if (foreign_form(form)) {
		bad(d, at, form);
		return NULL;
	}
	switch (at) {
	case DW_AT_name:
		if (dwarf_formstring(a, &s, &err) != DW_DLV_OK)
			return kt_dw_err(dw, err, (long long)d->off, "DW_AT_name");
		d->name = s;
		return NULL;
	case DW_AT_type:
	case DW_AT_abstract_origin:
	case DW_AT_specification:
		if (dwarf_global_formref(a, &ref, &err) != DW_DLV_OK)
			return kt_dw_err(dw, err, (long long)d->off,
					 at == DW_AT_type ? "DW_AT_type" : "DW_AT_abstract_origin");
		if (at == DW_AT_type)
			d->has_type = true, d->type = ref;
		else
			d->has_origin = true, d->origin = ref;
		return NULL;
	case DW_AT_declaration:
	case DW_AT_external:
		rc = dwarf_formflag(a, &flag, &err);
		if (rc == DW_DLV_OK && at == DW_AT_declaration)
			d->declaration = flag;
		else if (rc == DW_DLV_OK)
			d->external = flag;
		break;
	case DW_AT_byte_size:
	case DW_AT_bit_size:
	case DW_AT_data_bit_offset:
	case DW_AT_bit_offset:
	case DW_AT_count:
	case DW_AT_upper_bound:
	case DW_AT_call_file:
	case DW_AT_call_line:
		rc = constant(at, a, form, d, &err);
		break;
	case DW_AT_data_member_location:
		rc = member_loc(a, form, d, &err);
		break;
	case DW_AT_location:
		location_addr(die, a, form, d, &err);
		break;
	case DW_AT_dwo_name:
	case DW_AT_GNU_dwo_name:
		if (dwarf_formstring(a, &s, &err) == DW_DLV_OK)
			d->dwo_name = s;
		else
			rc = DW_DLV_ERROR;
		break;
	}
	/* upper_bound may be an expression (a variable-length array) */
	if (rc == DW_DLV_ERROR && at != DW_AT_upper_bound)
		bad(d, at, form);
	kt_dw_clear_err(dw, &err);
	return NULL;
}

static struct kt_error *decode_die(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_die *d)
{
	Dwarf_Error err = NULL;
	Dwarf_Attribute *attrs = NULL;
	Dwarf_Signed nattr = 0;
	Dwarf_Half tag = 0, hasch = 0;
	Dwarf_Off off = 0;
	struct kt_error *e = NULL;
	int rc;

	memset(d, 0, sizeof(*d));
	dwarf_dieoffset(die, &off, &err);
	kt_dw_clear_err(dw, &err);
	d->off = off;
	if (dwarf_tag(die, &tag, &err) != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)off, "DIE tag");
	d->tag = tag;
	if (dwarf_die_abbrev_children_flag(die, &hasch) == DW_DLV_OK)
		d->has_children = hasch;
	rc = dwarf_attrlist(die, &attrs, &nattr, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)off, "DIE attributes");
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;
	for (Dwarf_Signed i = 0; i < nattr; i++) {
		if (!e)
			e = decode_attr(dw, die, attrs[i], d);
		dwarf_dealloc(dw->dbg, attrs[i], DW_DLA_ATTR);
	}
	dwarf_dealloc(dw->dbg, attrs, DW_DLA_LIST);
	return e;
}

const char *kt_dw_at_name(unsigned at)
{
	const char *s = NULL;

	return dwarf_get_AT_name(at, &s) == DW_DLV_OK && s ? s : "an attribute";
}

const char *kt_dw_form_name(unsigned form)
{
	const char *s = NULL;

	return dwarf_get_FORM_name(form, &s) == DW_DLV_OK && s ? s : "an unknown form";
}

struct kt_error *kt_dw_die_get(struct kt_dw *dw, uint64_t off, struct kt_dw_die *out)
{
	Dwarf_Die die = NULL;
	struct kt_error *e = kt_dw_offdie(dw, off, &die);

	if (e) {
		memset(out, 0, sizeof(*out));
		return e;
	}
	e = decode_die(dw, die, out);
	dwarf_dealloc_die(die);
	return e;
}

/* The sibling after child (given back to libdwarf), or NULL at the end. */
static struct kt_error *next_sibling(struct kt_dw *dw, Dwarf_Die child, Dwarf_Die *next)
{
	Dwarf_Error err = NULL;
	Dwarf_Off coff = 0, soff = 0;
	Dwarf_Die sib = NULL;
	int rc;

	*next = NULL;
	dwarf_dieoffset(child, &coff, &err);
	kt_dw_clear_err(dw, &err);
	rc = dwarf_siblingof_b(dw->dbg, child, true, &sib, &err);
	dwarf_dealloc_die(child);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)coff, "DIE sibling");
	if (rc != DW_DLV_OK)
		return NULL;
	dwarf_dieoffset(sib, &soff, &err);
	kt_dw_clear_err(dw, &err);
	if (soff <= coff) {
		dwarf_dealloc_die(sib);
		return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)coff,
					  "corrupt DWARF: sibling goes backwards at .debug_info "
					  "offset 0x%llx",
					  (unsigned long long)coff);
	}
	*next = sib;
	return NULL;
}

/* Calls fn for child and the siblings after it; *stopped: the offset of the
 * child fn stopped at, 0 when it saw them all. */
static struct kt_error *visit_from(struct kt_dw *dw, uint64_t parent, Dwarf_Die child,
				   kt_dw_visit_fn fn, void *arg, uint64_t *stopped)
{
	Dwarf_Error err = NULL;
	struct kt_error *e = NULL;
	/* A hostile DWARF could make sibling chains loop; bound the walk. */
	unsigned long limit = 50UL * 1000 * 1000;

	*stopped = 0;
	while (child && !e) {
		struct kt_dw_node node = {0};
		Dwarf_Half tag = 0, hasch = 0;
		Dwarf_Off coff = 0;

		if (limit-- == 0) {
			dwarf_dealloc_die(child);
			return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)parent,
						  "corrupt DWARF: DIE sibling chain too long at "
						  ".debug_info offset 0x%llx",
						  (unsigned long long)parent);
		}
		dwarf_dieoffset(child, &coff, &err);
		kt_dw_clear_err(dw, &err);
		if (dwarf_tag(child, &tag, &err) != DW_DLV_OK) {
			dwarf_dealloc_die(child);
			return kt_dw_err(dw, err, (long long)coff, "DIE tag");
		}
		dwarf_die_abbrev_children_flag(child, &hasch);
		node.off = coff;
		node.tag = tag;
		node.has_children = hasch;
		node.h = child;
		int stop = fn(dw, &node, arg);

		if (stop) {
			dwarf_dealloc_die(child);
			*stopped = coff;
			return stop < 0 ? kt_error_at_offset(
					      KT_ERR_PARSE, dw->path, (long long)coff,
					      "corrupt DWARF near .debug_info offset 0x%llx",
					      (unsigned long long)coff)
					: NULL;
		}
		e = next_sibling(dw, child, &child);
	}
	return e;
}

struct kt_error *kt_dw_visit_children(struct kt_dw *dw, uint64_t off, kt_dw_visit_fn fn, void *arg)
{
	uint64_t stopped;

	return kt_dw_visit_after(dw, off, 0, fn, arg, &stopped);
}

struct kt_error *kt_dw_visit_after(struct kt_dw *dw, uint64_t parent, uint64_t after,
				   kt_dw_visit_fn fn, void *arg, uint64_t *stopped)
{
	Dwarf_Die die = NULL, child = NULL;
	Dwarf_Error err = NULL;
	struct kt_error *e;
	int rc;

	*stopped = 0;
	if (after) { /* resume after a child seen before */
		e = kt_dw_offdie(dw, after, &child);
		if (!e)
			e = next_sibling(dw, child, &child);
		return e ? e : visit_from(dw, parent, child, fn, arg, stopped);
	}
	e = kt_dw_offdie(dw, parent, &die);
	if (e)
		return e;
	rc = dwarf_child(die, &child, &err);
	dwarf_dealloc_die(die);
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;
	if (rc != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)parent, "first child");
	return visit_from(dw, parent, child, fn, arg, stopped);
}

struct kt_error *kt_dw_node_die(struct kt_dw *dw, const struct kt_dw_node *n, struct kt_dw_die *out)
{
	return decode_die(dw, (Dwarf_Die)n->h, out);
}

struct kt_error *kt_dw_node_name(struct kt_dw *dw, const struct kt_dw_node *n, const char **name,
				 bool *declaration)
{
	Dwarf_Die die = (Dwarf_Die)n->h;
	Dwarf_Error err = NULL;
	Dwarf_Bool has = false;
	Dwarf_Attribute a = NULL;
	char *s = NULL;
	/* dwarf_attr + dwarf_formstring rather than dwarf_diename, which
	 * loses an error object on some corrupt DIEs. */
	int rc = dwarf_attr(die, DW_AT_name, &a, &err);

	*name = NULL;
	*declaration = false;
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)n->off, "DW_AT_name");
	if (rc == DW_DLV_OK) {
		rc = dwarf_formstring(a, &s, &err);
		dwarf_dealloc(dw->dbg, a, DW_DLA_ATTR);
		if (rc == DW_DLV_ERROR)
			return kt_dw_err(dw, err, (long long)n->off, "DW_AT_name");
		if (rc == DW_DLV_OK)
			*name = s;
	}
	if (dwarf_hasattr(die, DW_AT_declaration, &has, &err) == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)n->off, "DW_AT_declaration");
	*declaration = has;
	return NULL;
}

static int collect_child(struct kt_dw *dw, const struct kt_dw_node *n, void *arg)
{
	struct {
		uint64_t *v;
		size_t n, cap;
	} *c = arg;

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->v = kt_xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	c->v[c->n++] = n->off;
	return 0;
}

struct kt_error *kt_dw_die_children(struct kt_dw *dw, uint64_t off, uint64_t **out, size_t *n)
{
	struct {
		uint64_t *v;
		size_t n, cap;
	} c = {0};
	struct kt_error *e = kt_dw_visit_children(dw, off, collect_child, &c);

	if (e) {
		free(c.v);
		*out = NULL;
		*n = 0;
		return e;
	}
	*out = c.v;
	*n = c.n;
	return NULL;
}
