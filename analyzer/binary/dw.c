// SPDX-License-Identifier: Apache-2.0
/*
 * libdwarf wrapper (libdwarf 20210528 API): opening the DWARF of the vmlinux
 * and listing its compilation units. With dw_ranges.c, dw_lines.c and
 * dw_die.c, the only files of the project that call libdwarf. Errors from
 * libdwarf become kt_error values naming the file and the .debug_info offset
 * involved; libdwarf's abort-on-error handler is never used (every call
 * passes an error pointer).
 */
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "dw_int.h"
#include "kcsan/strbuf.h"

struct kt_error *kt_dw_err(struct kt_dw *dw, Dwarf_Error err, long long off, const char *what)
{
	struct kt_error *e;
	const char *msg = err ? dwarf_errmsg(err) : "no detail";

	e = kt_error_at_offset(KT_ERR_PARSE, dw->path, off,
			       "corrupt DWARF (%s, .debug_info offset 0x%llx): %s", what,
			       (unsigned long long)off, msg);
	if (err)
		dwarf_dealloc(dw->dbg, err, DW_DLA_ERROR);
	return e;
}

/* The section of that name (with contents), or NULL. */
static Elf_Scn *find_section(Elf *elf, const char *name, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t shstr = 0;

	if (elf_getshdrstrndx(elf, &shstr) != 0)
		return NULL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		const char *n;

		if (!gelf_getshdr(scn, sh))
			continue;
		n = elf_strptr(elf, shstr, sh->sh_name);
		if (n && strcmp(n, name) == 0 && sh->sh_type != SHT_NOBITS)
			return scn;
	}
	return NULL;
}

/* The section's data and file offset, or NULL. */
static Elf_Data *elf_section(Elf *elf, const char *name, uint64_t *fileoff, bool *compressed)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(elf, name, &sh);

	if (!scn)
		return NULL;
	*fileoff = sh.sh_offset;
	*compressed = (sh.sh_flags & SHF_COMPRESSED) != 0;
	return elf_getdata(scn, NULL);
}

/* Size of .debug_info once inflated: SHF_COMPRESSED sections give it in
 * their header, GNU .zdebug_info after its "ZLIB" magic (big-endian). */
static uint64_t info_size(Elf *elf)
{
	GElf_Shdr sh;
	Elf_Scn *scn = find_section(elf, ".debug_info", &sh);

	if (scn && (sh.sh_flags & SHF_COMPRESSED)) {
		GElf_Chdr ch;

		return gelf_getchdr(scn, &ch) ? ch.ch_size : 0;
	}
	if (scn)
		return sh.sh_size;
	scn = find_section(elf, ".zdebug_info", &sh);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	uint64_t size = 0;

	if (!d || d->d_size < 12 || memcmp(d->d_buf, "ZLIB", 4) != 0)
		return 0;
	for (int i = 4; i < 12; i++)
		size = size << 8 | ((const unsigned char *)d->d_buf)[i];
	return size;
}

/*
 * libdwarf 20210528 frees memory twice on some malformed .debug_rnglists and
 * .debug_loclists headers, so their unit headers (DWARF 5, 6.1.5 and 7.29)
 * are checked before libdwarf reads them: lengths that chain to the end of
 * the section, version 5, 8-byte addresses, no segments, an offset table that
 * fits.
 */
static struct kt_error *check_list_headers(Elf *elf, const char *path, const char *name)
{
	uint64_t fileoff = 0;
	bool compressed = false;
	Elf_Data *d = elf_section(elf, name, &fileoff, &compressed);
	const unsigned char *p;
	uint64_t size, off = 0;

	/* Compressed sections (CONFIG_DEBUG_INFO_COMPRESSED) are inflated by
	 * libdwarf; their headers cannot be read here. */
	if (!d || !d->d_buf || d->d_size == 0 || compressed)
		return NULL;
	p = d->d_buf;
	size = d->d_size;
	while (off < size) {
		uint64_t len, hdr = 4;
		uint32_t l32, count;
		uint16_t ver;

		if (size - off < 12)
			goto bad;
		memcpy(&l32, p + off, 4);
		len = l32;
		if (l32 == 0xffffffffu) {
			if (size - off < 20)
				goto bad;
			memcpy(&len, p + off + 4, 8);
			hdr = 12;
		} else if (l32 >= 0xfffffff0u) {
			goto bad;
		}
		if (len > size - off - hdr || len < 8)
			goto bad;
		memcpy(&ver, p + off + hdr, 2);
		memcpy(&count, p + off + hdr + 4, 4);
		if (ver != 5 || p[off + hdr + 2] != 8 || p[off + hdr + 3] != 0 ||
		    (uint64_t)count * (hdr == 12 ? 8 : 4) > len - 8)
			goto bad;
		off += hdr + len;
	}
	return NULL;
bad:
	return kt_error_at_offset(KT_ERR_PARSE, path, (long long)(fileoff + off),
				  "corrupt DWARF: bad %s unit header at section offset 0x%llx",
				  name, (unsigned long long)off);
}

/* For calls whose failure only means "not there": give the error object
 * back (libdwarf's own tracking of allocations is off, see kt_dw_open). */
void kt_dw_clear_err(struct kt_dw *dw, Dwarf_Error *err)
{
	if (*err) {
		dwarf_dealloc(dw->dbg, *err, DW_DLA_ERROR);
		*err = NULL;
	}
}

struct kt_error *kt_dw_open(Elf *elf, const char *path, struct kt_dw **out)
{
	Dwarf_Debug dbg = NULL;
	Dwarf_Error err = NULL;
	struct kt_dw *dw;
	int rc;

	*out = NULL;
	{
		uint64_t fo = 0;
		bool z = false;
		Elf_Data *info = elf_section(elf, ".debug_info", &fo, &z);

		if (!info) /* the older GNU compressed form */
			info = elf_section(elf, ".zdebug_info", &fo, &z);
		struct kt_error *e;

		if (!info || info->d_size == 0)
			return kt_error_new(KT_ERR_UNSUPPORTED, path, 0,
					    "no DWARF debug information (.debug_info): rebuild the "
					    "kernel with CONFIG_DEBUG_INFO=y (DWARF 4 or 5)");
		e = check_list_headers(elf, path, ".debug_rnglists");
		if (!e)
			e = check_list_headers(elf, path, ".debug_loclists");
		if (e)
			return e;
	}
	/* A linked vmlinux keeps .rela.debug_* when linked with --emit-relocs
	 * (distribution kernels, for KASLR): those relocations are already
	 * applied and must not be applied again. Only relocatable objects
	 * need them. (A libdwarf-wide setting: this is its only caller.) */
	{
		GElf_Ehdr eh;

		dwarf_set_reloc_application(gelf_getehdr(elf, &eh) && eh.e_type == ET_REL);
	}
	/* Every object this module gets from libdwarf is given back (DIEs,
	 * attributes, line contexts, lists): libdwarf's own record of all
	 * allocations only costs memory and time on big line tables. */
	dwarf_set_de_alloc_flag(0);
	rc = dwarf_elf_init_b(elf, DW_DLC_READ, DW_GROUPNUMBER_ANY, NULL, NULL, &dbg, &err);
	if (rc == DW_DLV_NO_ENTRY)
		return kt_error_new(KT_ERR_UNSUPPORTED, path, 0,
				    "no DWARF debug information: rebuild the kernel with "
				    "CONFIG_DEBUG_INFO=y (DWARF 4 or 5)");
	if (rc != DW_DLV_OK) {
		struct kt_error *e =
		    kt_error_at_offset(KT_ERR_PARSE, path, 0, "cannot read DWARF: %s",
				       err ? dwarf_errmsg(err) : "unknown libdwarf error");
		if (err)
			dwarf_dealloc(dbg, err, DW_DLA_ERROR);
		return e;
	}
	dw = kt_xcalloc(1, sizeof(*dw));
	dw->dbg = dbg;
	dw->path = kt_xstrdup(path);
	dw->info_size = info_size(elf);
	*out = dw;
	return NULL;
}

void kt_dw_close(struct kt_dw *dw)
{
	Dwarf_Error err = NULL;

	if (!dw)
		return;
	dwarf_finish(dw->dbg, &err);
	free(dw->cus);
	free(dw->cu_hdrs);
	free(dw->path);
	free(dw);
}

struct kt_error *kt_dw_offdie(struct kt_dw *dw, uint64_t off, Dwarf_Die *die)
{
	Dwarf_Error err = NULL;
	int rc = dwarf_offdie_b(dw->dbg, (Dwarf_Off)off, true, die, &err);

	if (rc == DW_DLV_OK)
		return NULL;
	if (rc == DW_DLV_NO_ENTRY)
		return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)off,
					  "corrupt DWARF: no DIE at .debug_info offset 0x%llx",
					  (unsigned long long)off);
	return kt_dw_err(dw, err, (long long)off, "reading a DIE");
}

/* One step of libdwarf's CU iterator: it loads .debug_info for the offset
 * lookups. false when there is no unit at all. */
static struct kt_error *load_info(struct kt_dw *dw, bool *any)
{
	Dwarf_Unsigned hlen = 0, typeoff = 0, next = 0;
	Dwarf_Half ver = 0, asz = 0, lsz = 0, esz = 0, utype = 0;
	Dwarf_Off abbr = 0;
	Dwarf_Sig8 sig;
	Dwarf_Error err = NULL;
	int rc = dwarf_next_cu_header_d(dw->dbg, true, &hlen, &ver, &abbr, &asz, &lsz, &esz, &sig,
					&typeoff, &next, &utype, &err);

	*any = rc == DW_DLV_OK;
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, 0, "CU header");
	dw->info_loaded = dw->info_loaded || *any;
	return NULL;
}

struct kt_error *kt_dw_walk_units(struct kt_dw *dw, kt_dw_unit_fn fn, void *arg)
{
	Dwarf_Error err = NULL;
	Dwarf_Unsigned hdr = 0;
	size_t n = 0, cap = 0;
	uint64_t *hdrs = NULL, *dies = NULL;
	bool any = false;
	struct kt_error *e = NULL;

	for (size_t i = 0; dw->cus && i < dw->ncus && !e; i++) {
		Dwarf_Die cu = NULL;

		if (!(e = kt_dw_offdie(dw, dw->cus[i], &cu))) {
			e = fn(dw, cu, dw->cu_hdrs[i], arg);
			dwarf_dealloc_die(cu);
		}
	}
	if (dw->cus || (e = load_info(dw, &any)) || !any)
		return e;
	/* libdwarf's CU iterator is a cursor that other calls move: walk the
	 * unit headers by offset instead (header offset + unit length). */
	while (hdr < dw->info_size && !e) {
		Dwarf_Off cuoff = 0, cuhdr = 0, culen = 0;
		Dwarf_Die cu = NULL;
		int rc = dwarf_get_cu_die_offset_given_cu_header_offset_b(dw->dbg, hdr, true,
									  &cuoff, &err);

		if (rc == DW_DLV_OK)
			rc = dwarf_offdie_b(dw->dbg, cuoff, true, &cu, &err);
		if (rc == DW_DLV_OK &&
		    (rc = dwarf_die_CU_offset_range(cu, &cuhdr, &culen, &err)) == DW_DLV_OK &&
		    (cuhdr != hdr || culen == 0)) {
			dwarf_dealloc_die(cu);
			break;
		}
		if (rc != DW_DLV_OK) {
			if (cu)
				dwarf_dealloc_die(cu);
			e = rc == DW_DLV_ERROR
				? kt_dw_err(dw, err, (long long)hdr, "CU header")
				: kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)hdr,
						     "corrupt DWARF: no CU at "
						     ".debug_info offset 0x%llx",
						     (unsigned long long)hdr);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			hdrs = kt_xrealloc(hdrs, cap * sizeof(*hdrs));
			dies = kt_xrealloc(dies, cap * sizeof(*dies));
		}
		hdrs[n] = hdr;
		dies[n++] = cuoff;
		hdr += culen;
		if (fn)
			e = fn(dw, cu, hdrs[n - 1], arg);
		dwarf_dealloc_die(cu);
	}
	if (e) {
		free(hdrs);
		free(dies);
		return e;
	}
	dw->cus = dies ? dies : kt_xcalloc(1, sizeof(*dies));
	dw->cu_hdrs = hdrs ? hdrs : kt_xcalloc(1, sizeof(*hdrs));
	dw->ncus = n;
	return NULL;
}

struct kt_error *kt_dw_cus(struct kt_dw *dw, uint64_t **out, size_t *n)
{
	struct kt_error *e = dw->cus ? NULL : kt_dw_walk_units(dw, NULL, NULL);

	*out = NULL;
	*n = 0;
	if (e)
		return e;
	*out = kt_xcalloc(dw->ncus + 1, sizeof(**out));
	if (dw->ncus)
		memcpy(*out, dw->cus, dw->ncus * sizeof(**out));
	*n = dw->ncus;
	return NULL;
}

struct kt_error *kt_dw_cu_die(struct kt_dw *dw, uint64_t hdr, uint64_t *die)
{
	Dwarf_Error err = NULL;
	Dwarf_Off off = 0;
	int rc;

	*die = 0;
	if (!dw->info_loaded) {
		/* One step of the CU iterator makes libdwarf load .debug_info,
		 * which the offset lookup below assumes. */
		Dwarf_Unsigned hlen = 0, typeoff = 0, next = 0;
		Dwarf_Half ver = 0, asz = 0, lsz = 0, esz = 0, utype = 0;
		Dwarf_Off abbr = 0;
		Dwarf_Sig8 sig;

		rc = dwarf_next_cu_header_d(dw->dbg, true, &hlen, &ver, &abbr, &asz, &lsz, &esz,
					    &sig, &typeoff, &next, &utype, &err);
		if (rc == DW_DLV_ERROR)
			return kt_dw_err(dw, err, 0, "CU header");
		if (rc == DW_DLV_NO_ENTRY)
			return kt_error_at_offset(KT_ERR_PARSE, dw->path, 0,
						  "corrupt DWARF: no compilation unit");
		dw->info_loaded = true;
	}
	rc = dwarf_get_cu_die_offset_given_cu_header_offset_b(dw->dbg, hdr, true, &off, &err);
	if (rc == DW_DLV_ERROR)
		return kt_dw_err(dw, err, (long long)hdr, "CU header");
	if (rc != DW_DLV_OK)
		return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)hdr,
					  "corrupt DWARF: no CU at .debug_info offset 0x%llx",
					  (unsigned long long)hdr);
	*die = off;
	return NULL;
}
