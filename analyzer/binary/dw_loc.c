// SPDX-License-Identifier: Apache-2.0
/*
 * Variable locations (libdwarf 20210528): where a variable's value is at a
 * PC, from its DW_AT_location (a single expression, or a DWARF 4 .debug_loc
 * or DWARF 5 .debug_loclists list), when that is a register or a register
 * plus a constant.
 */
#include <stdlib.h>
#include <string.h>

#include "dw_int.h"

/* One location expression: DW_OP_regN, DW_OP_regx N, or DW_OP_bregN k
 * (or DW_OP_bregx N k) followed by DW_OP_stack_value. */
static bool reg_expr(Dwarf_Locdesc_c desc, Dwarf_Unsigned nops, struct kt_dw_varloc *out)
{
	Dwarf_Small op[2] = {0, 0};
	Dwarf_Unsigned a[2] = {0, 0}, b[2] = {0, 0}, c = 0, br = 0;
	Dwarf_Error err = NULL;

	if (nops == 0 || nops > 2)
		return false;
	for (Dwarf_Unsigned i = 0; i < nops; i++)
		if (dwarf_get_location_op_value_c(desc, i, &op[i], &a[i], &b[i], &c, &br, &err) !=
		    DW_DLV_OK)
			return false; /* err stays with the head, freed with it */
	if (nops == 1 && op[0] >= DW_OP_reg0 && op[0] <= DW_OP_reg31) {
		out->dwreg = op[0] - DW_OP_reg0;
		out->add = 0;
		return true;
	}
	if (nops == 1 && op[0] == DW_OP_regx) {
		out->dwreg = (int)a[0];
		out->add = 0;
		return true;
	}
	if (nops != 2 || op[1] != DW_OP_stack_value)
		return false;
	if (op[0] >= DW_OP_breg0 && op[0] <= DW_OP_breg31) {
		out->dwreg = op[0] - DW_OP_breg0;
		out->add = (int64_t)a[0];
		return true;
	}
	if (op[0] == DW_OP_bregx) {
		out->dwreg = (int)a[0];
		out->add = (int64_t)b[0];
		return true;
	}
	return false;
}

/* The entry of a location list (or the single expression) valid at pc. */
static bool entry_at(Dwarf_Loc_Head_c head, Dwarf_Unsigned count, uint64_t pc,
		     struct kt_dw_varloc *out)
{
	unsigned kind = DW_LKIND_unknown;
	Dwarf_Error err = NULL;

	if (dwarf_get_loclist_head_kind(head, &kind, &err) != DW_DLV_OK)
		return false;
	for (Dwarf_Unsigned i = 0; i < count; i++) {
		Dwarf_Small lle = 0, source = 0;
		Dwarf_Unsigned rawlo = 0, rawhi = 0, nops = 0, eoff = 0, doff = 0;
		Dwarf_Bool unavail = false;
		Dwarf_Addr lo = 0, hi = 0;
		Dwarf_Locdesc_c desc = NULL;

		if (dwarf_get_locdesc_entry_d(head, i, &lle, &rawlo, &rawhi, &unavail, &lo, &hi,
					      &nops, &desc, &source, &eoff, &doff,
					      &err) != DW_DLV_OK)
			return false;
		if (kind != DW_LKIND_expression && (unavail || pc < lo || pc >= hi))
			continue;
		return reg_expr(desc, nops, out);
	}
	return false;
}

struct kt_error *kt_dw_var_reg_at(struct kt_dw *dw, uint64_t off, uint64_t pc,
				  struct kt_dw_varloc *out, bool *found)
{
	Dwarf_Die die = NULL;
	Dwarf_Attribute attr = NULL;
	Dwarf_Loc_Head_c head = NULL;
	Dwarf_Unsigned count = 0;
	Dwarf_Error err = NULL;
	struct kt_error *e = kt_dw_offdie(dw, off, &die);
	int rc;

	memset(out, 0, sizeof(*out));
	*found = false;
	if (e)
		return e;
	rc = dwarf_attr(die, DW_AT_location, &attr, &err);
	if (rc == DW_DLV_OK) {
		/* A location libdwarf cannot read (a list past the end of its
		 * section) only means "not known here". */
		if (dwarf_get_loclist_c(attr, &head, &count, &err) == DW_DLV_OK) {
			*found = entry_at(head, count, pc, out);
			dwarf_loc_head_c_dealloc(head);
		}
		dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	}
	kt_dw_clear_err(dw, &err);
	dwarf_dealloc_die(die);
	return NULL;
}
