// SPDX-License-Identifier: Apache-2.0
/*
 * Address ranges from DWARF (libdwarf 20210528): of a DIE (DW_AT_low_pc and
 * DW_AT_high_pc, or DW_AT_ranges in DWARF 4 .debug_ranges or DWARF 5
 * .debug_rnglists), and of every compilation unit (.debug_aranges and the
 * units' own DIEs).
 */
#include <stdlib.h>
#include <string.h>

#include "dw_int.h"
#include "kcsan/strbuf.h"

static void push_range(struct kt_dw_range **out, size_t *n, size_t *cap, uint64_t lo, uint64_t hi)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*out = kt_xrealloc(*out, *cap * sizeof(**out));
	}
	(*out)[*n].lo = lo;
	(*out)[*n].hi = hi;
	(*out)[*n].cu = 0;
	(*n)++;
}

/* DWARF 5: a range list of .debug_rnglists (offset or DW_FORM_rnglistx index);
 * libdwarf applies the base addresses. */
static struct kt_error *rnglist5(struct kt_dw *dw, Dwarf_Attribute attr, Dwarf_Half form,
				 Dwarf_Unsigned val, uint64_t doff, struct kt_dw_range **out,
				 size_t *n)
{
	Dwarf_Rnglists_Head head = NULL;
	Dwarf_Unsigned count = 0, goff = 0;
	Dwarf_Error err = NULL;
	size_t cap = 0;
	int rc = dwarf_rnglists_get_rle_head(attr, form, val, &head, &count, &goff, &err);

	if (rc != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_ranges rnglist");
	for (Dwarf_Unsigned i = 0; i < count; i++) {
		unsigned len = 0, code = 0;
		Dwarf_Unsigned r1 = 0, r2 = 0, c1 = 0, c2 = 0;
		Dwarf_Bool unavail = false;

		rc = dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &r1, &r2, &unavail,
						       &c1, &c2, &err);
		if (rc != DW_DLV_OK) {
			dwarf_dealloc_rnglists_head(head);
			return kt_dw_err(dw, err, (long long)doff, "rnglist entry");
		}
		if (unavail || code == DW_RLE_end_of_list || code == DW_RLE_base_address ||
		    code == DW_RLE_base_addressx || c2 <= c1)
			continue;
		push_range(out, n, &cap, c1, c2);
	}
	dwarf_dealloc_rnglists_head(head);
	return NULL;
}

/* DWARF 4: a list of .debug_ranges, relative to the unit's DW_AT_low_pc
 * unless an entry selects another base. */
/* DW_AT_low_pc of the unit of die: the base of its DWARF 4 range lists.
 * The last one is kept (the DIEs of a scope walk are of one unit). */
static Dwarf_Addr unit_base(struct kt_dw *dw, Dwarf_Die die)
{
	Dwarf_Off cuoff = 0;
	Dwarf_Die cu = NULL;
	Dwarf_Addr base = 0;
	Dwarf_Error err = NULL;

	if (dwarf_CU_dieoffset_given_die(die, &cuoff, &err) != DW_DLV_OK) {
		kt_dw_clear_err(dw, &err);
		return 0;
	}
	if (dw->base_known && dw->base_unit == cuoff)
		return dw->base;
	if (dwarf_offdie_b(dw->dbg, cuoff, true, &cu, &err) == DW_DLV_OK) {
		if (dwarf_lowpc(cu, &base, &err) != DW_DLV_OK)
			base = 0;
		dwarf_dealloc_die(cu);
	}
	kt_dw_clear_err(dw, &err);
	dw->base_known = true;
	dw->base_unit = cuoff;
	dw->base = base;
	return base;
}

/* base: the unit's DW_AT_low_pc when die is the unit's DIE, else ~0. */
static struct kt_error *ranges4(struct kt_dw *dw, Dwarf_Die die, Dwarf_Unsigned val, uint64_t doff,
				Dwarf_Addr base, struct kt_dw_range **out, size_t *n)
{
	Dwarf_Ranges *rl = NULL;
	Dwarf_Signed cnt = 0;
	Dwarf_Unsigned bytes = 0;
	Dwarf_Off real = 0;
	Dwarf_Error err = NULL;
	size_t cap = 0;

	if (base == ~(Dwarf_Addr)0)
		base = unit_base(dw, die);
	if (dwarf_get_ranges_b(dw->dbg, val, die, &real, &rl, &cnt, &bytes, &err) != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_ranges list");
	for (Dwarf_Signed i = 0; i < cnt; i++) {
		if (rl[i].dwr_type == DW_RANGES_END)
			break;
		if (rl[i].dwr_type == DW_RANGES_ADDRESS_SELECTION) {
			base = rl[i].dwr_addr2;
			continue;
		}
		if (rl[i].dwr_addr2 > rl[i].dwr_addr1)
			push_range(out, n, &cap, base + rl[i].dwr_addr1, base + rl[i].dwr_addr2);
	}
	dwarf_ranges_dealloc(dw->dbg, rl, cnt);
	return NULL;
}

/* DW_AT_ranges of a DIE, in either DWARF version. */
static struct kt_error *attr_ranges(struct kt_dw *dw, Dwarf_Die die, Dwarf_Attribute attr,
				    uint64_t doff, Dwarf_Addr base, struct kt_dw_range **out,
				    size_t *n)
{
	Dwarf_Error err = NULL;
	Dwarf_Half version = 0, offsize = 0, form = 0;
	Dwarf_Unsigned val = 0;
	int rc;

	dwarf_get_version_of_die(die, &version, &offsize);
	if (dwarf_whatform(attr, &form, &err) != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_ranges form");
	if (form == DW_FORM_rnglistx)
		rc = dwarf_formudata(attr, &val, &err);
	else
		rc = dwarf_global_formref(attr, &val, &err);
	if (rc != DW_DLV_OK)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_ranges value");
	if (version >= 5)
		return rnglist5(dw, attr, form, val, doff, out, n);
	return ranges4(dw, die, val, doff, base, out, n);
}

struct kt_error *kt_dw_ranges_of(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_range **out,
				 size_t *n)
{
	Dwarf_Error err = NULL;
	Dwarf_Addr lo = 0, hi = 0;
	Dwarf_Half form = 0;
	enum Dwarf_Form_Class cls = DW_FORM_CLASS_UNKNOWN;
	Dwarf_Attribute attr = NULL;
	Dwarf_Off doff = 0;
	Dwarf_Half tag = 0;
	Dwarf_Addr base = ~(Dwarf_Addr)0; /* not known yet */
	struct kt_error *e;
	int rc;

	*out = NULL;
	*n = 0;
	dwarf_dieoffset(die, &doff, &err);
	kt_dw_clear_err(dw, &err);
	rc = dwarf_lowpc(die, &lo, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_low_pc");
	/* a unit's own DW_AT_low_pc is the base of its range lists */
	if (rc == DW_DLV_OK && dwarf_tag(die, &tag, &err) == DW_DLV_OK &&
	    (tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit))
		base = lo;
	kt_dw_clear_err(dw, &err);
	if (rc == DW_DLV_OK) {
		rc = dwarf_highpc_b(die, &hi, &form, &cls, &err);
		if (rc == DW_DLV_ERROR)
			return kt_dw_err(dw, err, (long long)doff, "DW_AT_high_pc");
		if (rc == DW_DLV_OK) {
			size_t cap = 0;

			if (cls == DW_FORM_CLASS_CONSTANT)
				hi += lo;
			if (hi > lo)
				push_range(out, n, &cap, lo, hi);
			return NULL;
		}
	}
	rc = dwarf_attr(die, DW_AT_ranges, &attr, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)doff, "DW_AT_ranges");
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;
	e = attr_ranges(dw, die, attr, doff, base, out, n);
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	if (e) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

static struct kt_error *unit_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n);

struct kt_error *kt_dw_cu_ranges(struct kt_dw *dw, bool all, struct kt_dw_range **out, size_t *n,
				 bool *complete)
{
	Dwarf_Arange *ar = NULL;
	Dwarf_Signed cnt = 0;
	Dwarf_Error err = NULL;
	struct kt_error *e = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	*complete = true;
	rc = dwarf_get_aranges(dw->dbg, &ar, &cnt, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, 0, ".debug_aranges");
	if (rc == DW_DLV_OK && cnt > 0) {
		*out = kt_xcalloc((size_t)cnt, sizeof(**out));
		for (Dwarf_Signed i = 0; i < cnt; i++) {
			Dwarf_Unsigned seg = 0, segsz = 0, len = 0;
			Dwarf_Addr start = 0;
			Dwarf_Off cuoff = 0;

			/* Only the unit's header offset: asking for the DIE offset here
			 * would read every CU header of .debug_info. */
			rc = dwarf_get_arange_info_b(ar[i], &seg, &segsz, &start, &len, NULL, &err);
			if (rc == DW_DLV_OK)
				rc = dwarf_get_arange_cu_header_offset(ar[i], &cuoff, &err);
			if (rc == DW_DLV_ERROR && !e)
				e = kt_dw_err(dw, err, 0, ".debug_aranges entry");
			if (rc == DW_DLV_OK && len > 0) {
				(*out)[*n].lo = start;
				(*out)[*n].hi = start + len;
				(*out)[*n].cu = cuoff;
				(*n)++;
			}
			dwarf_dealloc(dw->dbg, ar[i], DW_DLA_ARANGE);
		}
		dwarf_dealloc(dw->dbg, ar, DW_DLA_LIST);
		/* clang writes .debug_aranges only for assembler units, gcc
		 * leaves its constructors out: the whole list adds the ranges
		 * of every unit's DIE. */
		if (!e && all)
			e = unit_die_ranges(dw, out, n);
		*complete = all;
		if (e) {
			free(*out);
			*out = NULL;
			*n = 0;
		}
		return e;
	}
	/* An empty .debug_aranges still comes with a list to give back. */
	if (rc == DW_DLV_OK && ar)
		dwarf_dealloc(dw->dbg, ar, DW_DLA_LIST);
	/* No .debug_aranges: the CU DIEs' own ranges. */
	return kt_dw_cu_die_ranges(dw, out, n);
}

/* Appends to *out the DIE ranges of every unit: .debug_aranges may leave
 * units out (clang writes it only for assembler units) or parts of them (gcc
 * leaves its constructors out). */
static struct kt_error *unit_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n)
{
	struct kt_dw_range *all = NULL;
	size_t nall = 0;
	struct kt_error *e = kt_dw_cu_die_ranges(dw, &all, &nall);

	if (e)
		return e;
	if (nall) {
		*out = kt_xrealloc(*out, (*n + nall) * sizeof(**out));
		memcpy(*out + *n, all, nall * sizeof(*all));
		*n += nall;
	}
	free(all);
	return NULL;
}

struct unit_ranges {
	struct kt_dw_range *v;
	size_t n, cap;
};

static struct kt_error *add_unit(struct kt_dw *dw, Dwarf_Die cu, uint64_t hdr, void *arg)
{
	struct unit_ranges *u = arg;
	struct kt_dw_range *r = NULL;
	size_t nr = 0;
	struct kt_error *e = kt_dw_ranges_of(dw, cu, &r, &nr);

	if (e)
		return e;
	if (nr == 0) /* no range at all: an empty one says the unit exists */
		push_range(&u->v, &u->n, &u->cap, 0, 0);
	for (size_t j = 0; j < nr; j++)
		push_range(&u->v, &u->n, &u->cap, r[j].lo, r[j].hi);
	for (size_t j = u->n - (nr ? nr : 1); j < u->n; j++)
		u->v[j].cu = hdr;
	free(r);
	return NULL;
}

struct kt_error *kt_dw_cu_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n)
{
	struct unit_ranges u = {0};
	struct kt_error *e = kt_dw_walk_units(dw, add_unit, &u);

	if (e) {
		free(u.v);
		u.v = NULL;
		u.n = 0;
	}
	*out = u.v;
	*n = u.n;
	return e;
}

struct kt_error *kt_dw_die_ranges(struct kt_dw *dw, uint64_t off, struct kt_dw_range **out,
				  size_t *n)
{
	Dwarf_Die die = NULL;
	struct kt_error *e = kt_dw_offdie(dw, off, &die);

	*out = NULL;
	*n = 0;
	if (e)
		return e;
	e = kt_dw_ranges_of(dw, die, out, n);
	dwarf_dealloc_die(die);
	return e;
}

struct kt_error *kt_dw_node_ranges(struct kt_dw *dw, const struct kt_dw_node *n,
				   struct kt_dw_range **out, size_t *nr)
{
	return kt_dw_ranges_of(dw, (Dwarf_Die)n->h, out, nr);
}
