// SPDX-License-Identifier: Apache-2.0
/*
 * Line tables (libdwarf 20210528): the rows of one compilation unit and its
 * file names. DWARF 4 numbers files from 1 and leaves the compilation
 * directory out of include_directories; DWARF 5 numbers them from 0 with the
 * unit's own file first: libdwarf says which (file_base).
 */
#include <stdlib.h>
#include <string.h>

#include "dw_int.h"
#include "kcsan/strbuf.h"

/* DW_AT_comp_dir of the unit, copied, or NULL. */
static char *comp_dir(struct kt_dw *dw, Dwarf_Die cu)
{
	Dwarf_Attribute a = NULL;
	Dwarf_Error err = NULL;
	char *s = NULL, *r = NULL;

	if (dwarf_attr(cu, DW_AT_comp_dir, &a, &err) == DW_DLV_OK) {
		if (dwarf_formstring(a, &s, &err) == DW_DLV_OK && s)
			r = kt_xstrdup(s);
		dwarf_dealloc(dw->dbg, a, DW_DLA_ATTR);
	}
	kt_dw_clear_err(dw, &err);
	return r;
}

/* The file names as the line table gives them, and how they are numbered. */
static struct kt_error *line_files(struct kt_dw *dw, Dwarf_Die cu, Dwarf_Line_Context ctx,
				   Dwarf_Unsigned version, uint64_t cuoff, struct kt_dw_lines *out)
{
	Dwarf_Signed base = 1, count = 0, end = 0, nfiles = 0;
	Dwarf_Error err = NULL;
	char **srcfiles = NULL;
	int rc;

	if (dwarf_srclines_files_indexes(ctx, &base, &count, &end, &err) == DW_DLV_OK)
		out->file_base = (long)base;
	else
		out->file_base = version >= 5 ? 0 : 1;
	kt_dw_clear_err(dw, &err);
	rc = dwarf_srcfiles(cu, &srcfiles, &nfiles, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)cuoff, "line table file names");
	if (rc != DW_DLV_OK)
		return NULL;
	out->files = kt_xcalloc((size_t)nfiles + 1, sizeof(char *));
	out->nfiles = (size_t)nfiles;
	for (Dwarf_Signed i = 0; i < nfiles; i++) {
		out->files[i] = kt_xstrdup(srcfiles[i] ? srcfiles[i] : "??");
		dwarf_dealloc(dw->dbg, srcfiles[i], DW_DLA_STRING);
	}
	dwarf_dealloc(dw->dbg, srcfiles, DW_DLA_LIST);
	return NULL;
}

static struct kt_error *line_rows(struct kt_dw *dw, Dwarf_Line *lines, Dwarf_Signed nlines,
				  uint64_t cuoff, struct kt_dw_lines *out)
{
	Dwarf_Error err = NULL;

	if (nlines > 0)
		out->rows = kt_xcalloc((size_t)nlines, sizeof(*out->rows));
	for (Dwarf_Signed i = 0; i < nlines; i++) {
		Dwarf_Addr addr = 0;
		Dwarf_Unsigned lno = 0, fno = 0;
		Dwarf_Bool endseq = false;
		struct kt_dw_row *r = &out->rows[out->nrows];

		if (dwarf_lineaddr(lines[i], &addr, &err) != DW_DLV_OK ||
		    dwarf_lineno(lines[i], &lno, &err) != DW_DLV_OK ||
		    dwarf_line_srcfileno(lines[i], &fno, &err) != DW_DLV_OK ||
		    dwarf_lineendsequence(lines[i], &endseq, &err) != DW_DLV_OK)
			return kt_dw_err(dw, err, (long long)cuoff, "line table row");
		r->addr = addr;
		r->line = (uint32_t)lno;
		r->file = (uint32_t)fno;
		r->end_seq = endseq;
		out->nrows++;
	}
	return NULL;
}

struct kt_error *kt_dw_cu_lines(struct kt_dw *dw, uint64_t cuoff, struct kt_dw_lines *out)
{
	Dwarf_Die cu = NULL;
	Dwarf_Error err = NULL;
	Dwarf_Unsigned version = 0;
	Dwarf_Small tables = 0;
	Dwarf_Line_Context ctx = NULL;
	Dwarf_Line *lines = NULL;
	Dwarf_Signed nlines = 0;
	struct kt_error *e;
	int rc;

	memset(out, 0, sizeof(*out));
	e = kt_dw_offdie(dw, cuoff, &cu);
	if (e)
		return e;
	out->comp_dir = comp_dir(dw, cu);
	rc = dwarf_srclines_b(cu, &version, &tables, &ctx, &err);
	if (rc == DW_DLV_NO_ENTRY) {
		dwarf_dealloc_die(cu);
		return NULL;
	}
	if (rc != DW_DLV_OK) {
		dwarf_dealloc_die(cu);
		kt_dw_lines_fini(out);
		return kt_dw_err(dw, err, (long long)cuoff, "line table");
	}
	out->present = true;
	rc = dwarf_srclines_from_linecontext(ctx, &lines, &nlines, &err);
	if (rc == DW_DLV_ERROR)
		e = kt_dw_err(dw, err, (long long)cuoff, "line table rows");
	if (!e)
		e = line_files(dw, cu, ctx, version, cuoff, out);
	if (!e)
		e = line_rows(dw, lines, nlines, cuoff, out);
	dwarf_srclines_dealloc_b(ctx);
	dwarf_dealloc_die(cu);
	if (e)
		kt_dw_lines_fini(out);
	return e;
}

void kt_dw_lines_fini(struct kt_dw_lines *l)
{
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	free(l->rows);
	free(l->comp_dir);
	memset(l, 0, sizeof(*l));
}
