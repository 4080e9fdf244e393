// SPDX-License-Identifier: Apache-2.0
/*
 * libdwarf wrapper (libdwarf 20210528 API). Every libdwarf call of the project
 * is in this file. Errors from libdwarf become kt_error values naming the file
 * and the .debug_info offset involved; libdwarf's abort-on-error handler is
 * never used (every call passes an error pointer).
 */
#include <dwarf.h>
#include <gelf.h>
#include <libdwarf.h>
#include <stdlib.h>
#include <string.h>

#include "dw.h"
#include "kcsan/strbuf.h"

struct kt_dw {
	Dwarf_Debug dbg;
	char *path;
	uint64_t *cus;	   /* CU DIE offsets, once listed */
	uint64_t *cu_hdrs; /* and their unit header offsets */
	size_t ncus;
	uint64_t info_size; /* of .debug_info, inflated */
	bool info_loaded;
};

static struct kt_error *dw_err(struct kt_dw *dw, Dwarf_Error err, long long off, const char *what)
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
static void clear_err(struct kt_dw *dw, Dwarf_Error *err)
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

static struct kt_error *offdie(struct kt_dw *dw, uint64_t off, Dwarf_Die *die)
{
	Dwarf_Error err = NULL;
	int rc = dwarf_offdie_b(dw->dbg, (Dwarf_Off)off, true, die, &err);

	if (rc == DW_DLV_OK)
		return NULL;
	if (rc == DW_DLV_NO_ENTRY)
		return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)off,
					  "corrupt DWARF: no DIE at .debug_info offset 0x%llx",
					  (unsigned long long)off);
	return dw_err(dw, err, (long long)off, "reading a DIE");
}

/* Ranges of one DIE; base is the CU base address. */
static struct kt_error *die_ranges(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_range **out,
				   size_t *n)
{
	Dwarf_Error err = NULL;
	Dwarf_Addr lo = 0, hi = 0;
	Dwarf_Half form = 0;
	enum Dwarf_Form_Class cls = DW_FORM_CLASS_UNKNOWN;
	Dwarf_Attribute attr = NULL;
	Dwarf_Off doff = 0;
	int rc;

	*out = NULL;
	*n = 0;
	dwarf_dieoffset(die, &doff, &err);
	clear_err(dw, &err);
	rc = dwarf_lowpc(die, &lo, &err);
	if (rc == DW_DLV_ERROR)
		return dw_err(dw, err, (long long)doff, "DW_AT_low_pc");
	if (rc == DW_DLV_OK) {
		rc = dwarf_highpc_b(die, &hi, &form, &cls, &err);
		if (rc == DW_DLV_ERROR)
			return dw_err(dw, err, (long long)doff, "DW_AT_high_pc");
		if (rc == DW_DLV_OK) {
			if (cls == DW_FORM_CLASS_CONSTANT)
				hi += lo;
			if (hi > lo) {
				*out = kt_xcalloc(1, sizeof(**out));
				(*out)[0].lo = lo;
				(*out)[0].hi = hi;
				*n = 1;
			}
			return NULL;
		}
	}
	rc = dwarf_attr(die, DW_AT_ranges, &attr, &err);
	if (rc == DW_DLV_ERROR)
		return dw_err(dw, err, (long long)doff, "DW_AT_ranges");
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;

	Dwarf_Half version = 0, offsize = 0;
	Dwarf_Unsigned val = 0;
	struct kt_error *e = NULL;
	size_t cap = 0;

	dwarf_get_version_of_die(die, &version, &offsize);
	if (dwarf_whatform(attr, &form, &err) != DW_DLV_OK) {
		e = dw_err(dw, err, (long long)doff, "DW_AT_ranges form");
		goto out;
	}
	if (form == DW_FORM_rnglistx)
		rc = dwarf_formudata(attr, &val, &err);
	else
		rc = dwarf_global_formref(attr, &val, &err);
	if (rc != DW_DLV_OK) {
		e = dw_err(dw, err, (long long)doff, "DW_AT_ranges value");
		goto out;
	}
	if (version >= 5) {
		Dwarf_Rnglists_Head head = NULL;
		Dwarf_Unsigned count = 0, goff = 0;

		rc = dwarf_rnglists_get_rle_head(attr, form, val, &head, &count, &goff, &err);
		if (rc != DW_DLV_OK) {
			e = dw_err(dw, err, (long long)doff, "DW_AT_ranges rnglist");
			goto out;
		}
		for (Dwarf_Unsigned i = 0; i < count; i++) {
			unsigned len = 0, code = 0;
			Dwarf_Unsigned r1 = 0, r2 = 0, c1 = 0, c2 = 0;
			Dwarf_Bool unavail = false;

			rc = dwarf_get_rnglists_entry_fields_a(head, i, &len, &code, &r1, &r2,
							       &unavail, &c1, &c2, &err);
			if (rc != DW_DLV_OK) {
				dwarf_dealloc_rnglists_head(head);
				e = dw_err(dw, err, (long long)doff, "rnglist entry");
				goto out;
			}
			if (unavail || code == DW_RLE_end_of_list || code == DW_RLE_base_address ||
			    code == DW_RLE_base_addressx || c2 <= c1)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*out = kt_xrealloc(*out, cap * sizeof(**out));
			}
			(*out)[*n].lo = c1;
			(*out)[*n].hi = c2;
			(*out)[*n].cu = 0;
			(*n)++;
		}
		dwarf_dealloc_rnglists_head(head);
	} else {
		Dwarf_Ranges *rl = NULL;
		Dwarf_Signed cnt = 0;
		Dwarf_Unsigned bytes = 0;
		Dwarf_Off real = 0;
		Dwarf_Addr base = 0;
		Dwarf_Die cu = NULL;
		Dwarf_Off cuoff = 0;

		/* The base of DWARF 4 range lists is the CU's low_pc. */
		if (dwarf_CU_dieoffset_given_die(die, &cuoff, &err) == DW_DLV_OK &&
		    dwarf_offdie_b(dw->dbg, cuoff, true, &cu, &err) == DW_DLV_OK) {
			if (dwarf_lowpc(cu, &base, &err) != DW_DLV_OK)
				base = 0;
			dwarf_dealloc_die(cu);
		}
		clear_err(dw, &err);
		rc = dwarf_get_ranges_b(dw->dbg, val, die, &real, &rl, &cnt, &bytes, &err);
		if (rc != DW_DLV_OK) {
			e = dw_err(dw, err, (long long)doff, "DW_AT_ranges list");
			goto out;
		}
		for (Dwarf_Signed i = 0; i < cnt; i++) {
			if (rl[i].dwr_type == DW_RANGES_END)
				break;
			if (rl[i].dwr_type == DW_RANGES_ADDRESS_SELECTION) {
				base = rl[i].dwr_addr2;
				continue;
			}
			if (rl[i].dwr_addr2 <= rl[i].dwr_addr1)
				continue;
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*out = kt_xrealloc(*out, cap * sizeof(**out));
			}
			(*out)[*n].lo = base + rl[i].dwr_addr1;
			(*out)[*n].hi = base + rl[i].dwr_addr2;
			(*out)[*n].cu = 0;
			(*n)++;
		}
		dwarf_ranges_dealloc(dw->dbg, rl, cnt);
	}
out:
	dwarf_dealloc(dw->dbg, attr, DW_DLA_ATTR);
	if (e) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

struct kt_error *kt_dw_cus(struct kt_dw *dw, uint64_t **out, size_t *n)
{
	size_t cap = 0;
	Dwarf_Error err = NULL;

	*out = NULL;
	*n = 0;
	if (dw->cus) {
		*out = kt_xcalloc(dw->ncus + 1, sizeof(**out));
		memcpy(*out, dw->cus, dw->ncus * sizeof(**out));
		*n = dw->ncus;
		return NULL;
	}
	/* libdwarf's CU iterator is a cursor that other calls move: walk the
	 * unit headers by offset instead (header offset + unit length). */
	Dwarf_Unsigned hdr = 0;
	uint64_t *hdrs = NULL;

	{
		/* One step of the iterator loads .debug_info for the calls below. */
		Dwarf_Unsigned hlen = 0, typeoff = 0, next = 0;
		Dwarf_Half ver = 0, asz = 0, lsz = 0, esz = 0, utype = 0;
		Dwarf_Off abbr = 0;
		Dwarf_Sig8 sig;
		int rc = dwarf_next_cu_header_d(dw->dbg, true, &hlen, &ver, &abbr, &asz, &lsz, &esz,
						&sig, &typeoff, &next, &utype, &err);

		if (rc == DW_DLV_ERROR)
			return dw_err(dw, err, 0, "CU header");
		if (rc == DW_DLV_NO_ENTRY)
			return NULL;
	}
	while (hdr < dw->info_size) {
		Dwarf_Off cuoff = 0, cuhdr = 0, culen = 0;
		Dwarf_Die cu = NULL;
		int rc = dwarf_get_cu_die_offset_given_cu_header_offset_b(dw->dbg, hdr, true,
									  &cuoff, &err);

		if (rc == DW_DLV_OK)
			rc = dwarf_offdie_b(dw->dbg, cuoff, true, &cu, &err);
		if (rc == DW_DLV_OK) {
			rc = dwarf_die_CU_offset_range(cu, &cuhdr, &culen, &err);
			dwarf_dealloc_die(cu);
		}
		if (rc != DW_DLV_OK) {
			free(*out);
			free(hdrs);
			*out = NULL;
			*n = 0;
			return rc == DW_DLV_ERROR
				   ? dw_err(dw, err, (long long)hdr, "CU header")
				   : kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)hdr,
							"corrupt DWARF: no CU "
							"at .debug_info offset "
							"0x%llx",
							(unsigned long long)hdr);
		}
		if (cuhdr != hdr || culen == 0)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			*out = kt_xrealloc(*out, cap * sizeof(**out));
			hdrs = kt_xrealloc(hdrs, cap * sizeof(*hdrs));
		}
		hdrs[*n] = hdr;
		hdr += culen;
		(*out)[(*n)++] = cuoff;
	}
	dw->cus = kt_xcalloc(*n + 1, sizeof(*dw->cus));
	memcpy(dw->cus, *out, *n * sizeof(*dw->cus));
	dw->cu_hdrs = hdrs ? hdrs : kt_xcalloc(1, sizeof(*hdrs));
	dw->ncus = *n;
	dw->info_loaded = true;
	return NULL;
}

static struct kt_error *unit_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n);

struct kt_error *kt_dw_cu_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n)
{
	Dwarf_Arange *ar = NULL;
	Dwarf_Signed cnt = 0;
	Dwarf_Error err = NULL;
	struct kt_error *e = NULL;
	int rc;

	*out = NULL;
	*n = 0;
	rc = dwarf_get_aranges(dw->dbg, &ar, &cnt, &err);
	if (rc == DW_DLV_ERROR)
		return dw_err(dw, err, 0, ".debug_aranges");
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
				e = dw_err(dw, err, 0, ".debug_aranges entry");
			if (rc == DW_DLV_OK && len > 0) {
				(*out)[*n].lo = start;
				(*out)[*n].hi = start + len;
				(*out)[*n].cu = cuoff;
				(*n)++;
			}
			dwarf_dealloc(dw->dbg, ar[i], DW_DLA_ARANGE);
		}
		dwarf_dealloc(dw->dbg, ar, DW_DLA_LIST);
		/* clang writes .debug_aranges only for assembler units: the
		 * units it leaves out are placed by their own DIE ranges. */
		if (!e)
			e = unit_die_ranges(dw, out, n);
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

struct kt_error *kt_dw_cu_die_ranges(struct kt_dw *dw, struct kt_dw_range **out, size_t *n)
{
	uint64_t *cus = NULL;
	size_t ncus = 0, cap = 0;
	struct kt_error *e;

	*out = NULL;
	*n = 0;
	e = kt_dw_cus(dw, &cus, &ncus);
	if (e)
		return e;
	uint64_t *hdrs = kt_xcalloc(ncus + 1, sizeof(*hdrs));

	if (ncus) /* no units: cu_hdrs may be NULL, which memcpy may not take */
		memcpy(hdrs, dw->cu_hdrs, ncus * sizeof(*hdrs));
	for (size_t i = 0; i < ncus && !e; i++) {
		struct kt_dw_range *r = NULL;
		size_t nr = 0;
		Dwarf_Die die = NULL;

		e = offdie(dw, cus[i], &die);
		if (e)
			break;
		e = die_ranges(dw, die, &r, &nr);
		dwarf_dealloc_die(die);
		if (!e && nr == 0) {
			/* No range at all: an empty one says the unit exists. */
			r = kt_xcalloc(1, sizeof(*r));
			nr = 1;
		}
		for (size_t j = 0; j < nr; j++) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 256;
				*out = kt_xrealloc(*out, cap * sizeof(**out));
			}
			(*out)[*n] = r[j];
			(*out)[*n].cu = hdrs[i];
			(*n)++;
		}
		free(r);
	}
	free(cus);
	free(hdrs);
	if (e) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
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
			return dw_err(dw, err, 0, "CU header");
		if (rc == DW_DLV_NO_ENTRY)
			return kt_error_at_offset(KT_ERR_PARSE, dw->path, 0,
						  "corrupt DWARF: no compilation unit");
		dw->info_loaded = true;
	}
	rc = dwarf_get_cu_die_offset_given_cu_header_offset_b(dw->dbg, hdr, true, &off, &err);
	if (rc == DW_DLV_ERROR)
		return dw_err(dw, err, (long long)hdr, "CU header");
	if (rc != DW_DLV_OK)
		return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)hdr,
					  "corrupt DWARF: no CU at .debug_info offset 0x%llx",
					  (unsigned long long)hdr);
	*die = off;
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
	char **srcfiles = NULL;
	Dwarf_Signed nfiles = 0;
	struct kt_error *e;
	int rc;

	memset(out, 0, sizeof(*out));
	e = offdie(dw, cuoff, &cu);
	if (e)
		return e;
	{
		Dwarf_Attribute a = NULL;
		char *s = NULL;

		if (dwarf_attr(cu, DW_AT_comp_dir, &a, &err) == DW_DLV_OK) {
			if (dwarf_formstring(a, &s, &err) == DW_DLV_OK && s)
				out->comp_dir = kt_xstrdup(s);
			dwarf_dealloc(dw->dbg, a, DW_DLA_ATTR);
		}
		clear_err(dw, &err);
	}
	rc = dwarf_srclines_b(cu, &version, &tables, &ctx, &err);
	if (rc == DW_DLV_NO_ENTRY) {
		dwarf_dealloc_die(cu);
		return NULL;
	}
	if (rc != DW_DLV_OK) {
		dwarf_dealloc_die(cu);
		kt_dw_lines_fini(out);
		return dw_err(dw, err, (long long)cuoff, "line table");
	}
	rc = dwarf_srclines_from_linecontext(ctx, &lines, &nlines, &err);
	if (rc == DW_DLV_ERROR) {
		e = dw_err(dw, err, (long long)cuoff, "line table rows");
		goto fail;
	}
	{
		Dwarf_Signed base = 1, count = 0, end = 0;

		if (dwarf_srclines_files_indexes(ctx, &base, &count, &end, &err) == DW_DLV_OK)
			out->file_base = (long)base;
		else
			out->file_base = version >= 5 ? 0 : 1;
		clear_err(dw, &err);
	}
	rc = dwarf_srcfiles(cu, &srcfiles, &nfiles, &err);
	if (rc == DW_DLV_ERROR) {
		e = dw_err(dw, err, (long long)cuoff, "line table file names");
		goto fail;
	}
	if (rc == DW_DLV_OK) {
		out->files = kt_xcalloc((size_t)nfiles + 1, sizeof(char *));
		out->nfiles = (size_t)nfiles;
		for (Dwarf_Signed i = 0; i < nfiles; i++) {
			out->files[i] = kt_xstrdup(srcfiles[i] ? srcfiles[i] : "??");
			dwarf_dealloc(dw->dbg, srcfiles[i], DW_DLA_STRING);
		}
		dwarf_dealloc(dw->dbg, srcfiles, DW_DLA_LIST);
	}
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
		    dwarf_lineendsequence(lines[i], &endseq, &err) != DW_DLV_OK) {
			e = dw_err(dw, err, (long long)cuoff, "line table row");
			goto fail;
		}
		r->addr = addr;
		r->line = (uint32_t)lno;
		r->file = (uint32_t)fno;
		r->end_seq = endseq;
		out->nrows++;
	}
	dwarf_srclines_dealloc_b(ctx);
	dwarf_dealloc_die(cu);
	return NULL;
fail:
	dwarf_srclines_dealloc_b(ctx);
	dwarf_dealloc_die(cu);
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

static struct kt_error *decode_die(struct kt_dw *dw, Dwarf_Die die, struct kt_dw_die *d)
{
	Dwarf_Error err = NULL;
	Dwarf_Attribute *attrs = NULL;
	Dwarf_Signed nattr = 0;
	Dwarf_Half tag = 0;
	Dwarf_Off off = 0;
	Dwarf_Half hasch = 0;
	struct kt_error *e = NULL;
	int rc;

	memset(d, 0, sizeof(*d));
	dwarf_dieoffset(die, &off, &err);
	clear_err(dw, &err);
	d->off = off;
	if (dwarf_tag(die, &tag, &err) != DW_DLV_OK)
		return dw_err(dw, err, (long long)off, "DIE tag");
	d->tag = tag;
	if (dwarf_die_abbrev_children_flag(die, &hasch) == DW_DLV_OK)
		d->has_children = hasch;
	rc = dwarf_attrlist(die, &attrs, &nattr, &err);
	if (rc == DW_DLV_ERROR)
		return dw_err(dw, err, (long long)off, "DIE attributes");
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;
	for (Dwarf_Signed i = 0; i < nattr; i++) {
		Dwarf_Attribute a = attrs[i];
		Dwarf_Half at = 0, form = 0;
		Dwarf_Unsigned u = 0;
		Dwarf_Off ref = 0;
		Dwarf_Bool flag = false;
		char *s = NULL;

		if (e)
			goto next;
		if (dwarf_whatattr(a, &at, &err) != DW_DLV_OK ||
		    dwarf_whatform(a, &form, &err) != DW_DLV_OK) {
			e = dw_err(dw, err, (long long)off, "attribute");
			goto next;
		}
		switch (at) {
		case DW_AT_name:
			if (dwarf_formstring(a, &s, &err) == DW_DLV_OK)
				d->name = s;
			else
				e = dw_err(dw, err, (long long)off, "DW_AT_name");
			break;
		case DW_AT_type:
			if (dwarf_global_formref(a, &ref, &err) == DW_DLV_OK) {
				d->has_type = true;
				d->type = ref;
			} else
				e = dw_err(dw, err, (long long)off, "DW_AT_type");
			break;
		case DW_AT_abstract_origin:
		case DW_AT_specification:
			if (dwarf_global_formref(a, &ref, &err) == DW_DLV_OK) {
				d->has_origin = true;
				d->origin = ref;
			} else
				e = dw_err(dw, err, (long long)off, "DW_AT_abstract_origin");
			break;
		case DW_AT_declaration:
			if (dwarf_formflag(a, &flag, &err) == DW_DLV_OK)
				d->declaration = flag;
			break;
		case DW_AT_external:
			if (dwarf_formflag(a, &flag, &err) == DW_DLV_OK)
				d->external = flag;
			break;
		case DW_AT_byte_size:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_byte_size = true;
				d->byte_size = u;
			}
			break;
		case DW_AT_bit_size:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_bit_size = true;
				d->bit_size = u;
			}
			break;
		case DW_AT_data_bit_offset:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_data_bit_offset = true;
				d->data_bit_offset = u;
			}
			break;
		case DW_AT_bit_offset:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_bit_offset = true;
				d->bit_offset = u;
			}
			break;
		case DW_AT_data_member_location:
			if (form == DW_FORM_exprloc || form == DW_FORM_block1) {
				Dwarf_Unsigned len = 0;
				Dwarf_Ptr p = NULL;

				uint64_t v = 0;

				if (dwarf_formexprloc(a, &len, &p, &err) == DW_DLV_OK &&
				    expr_uconst(p, len, &v)) {
					d->has_member_loc = true;
					d->member_loc = v;
				}
			} else if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_member_loc = true;
				d->member_loc = u;
			}
			break;
		case DW_AT_count:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_count = true;
				d->count = u;
			}
			break;
		case DW_AT_upper_bound:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_count = true;
				d->count = u + 1;
			}
			break;
		case DW_AT_location:
			if (form == DW_FORM_exprloc) {
				Dwarf_Unsigned len = 0;
				Dwarf_Ptr p = NULL;

				uint64_t v = 0;

				if (dwarf_formexprloc(a, &len, &p, &err) != DW_DLV_OK)
					break;
				if (expr_addr(p, len, &v)) {
					d->has_addr = true;
					d->addr = v;
				} else if (len >= 2 &&
					   (((unsigned char *)p)[0] == DW_OP_addrx ||
					    ((unsigned char *)p)[0] == DW_OP_GNU_addr_index)) {
					/* DWARF 5 (clang): an index into .debug_addr */
					unsigned char *q = p;
					uint64_t idx = 0;
					Dwarf_Addr ad = 0;
					Dwarf_Unsigned k = 1;
					unsigned sh = 0;

					for (; k < len && sh < 64; k++, sh += 7) {
						idx |= (uint64_t)(q[k] & 0x7f) << sh;
						if (!(q[k] & 0x80))
							break;
					}
					if (k + 1 == len && dwarf_debug_addr_index_to_addr(
								die, idx, &ad, &err) == DW_DLV_OK) {
						d->has_addr = true;
						d->addr = ad;
					}
				}
			}
			break;
		case DW_AT_call_file:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_call = true;
				d->call_file = u;
			}
			break;
		case DW_AT_call_line:
			if (attr_udata(a, form, &u, &err) == DW_DLV_OK) {
				d->has_call = true;
				d->call_line = u;
			}
			break;
		default:
			break;
		}
		/* Attribute forms we do not understand are skipped, not fatal. */
		if (err) {
			dwarf_dealloc(dw->dbg, err, DW_DLA_ERROR);
			err = NULL;
		}
	next:
		dwarf_dealloc(dw->dbg, a, DW_DLA_ATTR);
	}
	dwarf_dealloc(dw->dbg, attrs, DW_DLA_LIST);
	return e;
}

struct kt_error *kt_dw_die_get(struct kt_dw *dw, uint64_t off, struct kt_dw_die *out)
{
	Dwarf_Die die = NULL;
	struct kt_error *e = offdie(dw, off, &die);

	if (e) {
		memset(out, 0, sizeof(*out));
		return e;
	}
	e = decode_die(dw, die, out);
	dwarf_dealloc_die(die);
	return e;
}

struct kt_error *kt_dw_die_ranges(struct kt_dw *dw, uint64_t off, struct kt_dw_range **out,
				  size_t *n)
{
	Dwarf_Die die = NULL;
	struct kt_error *e = offdie(dw, off, &die);

	*out = NULL;
	*n = 0;
	if (e)
		return e;
	e = die_ranges(dw, die, out, n);
	dwarf_dealloc_die(die);
	return e;
}

struct kt_error *kt_dw_visit_children(struct kt_dw *dw, uint64_t off, kt_dw_visit_fn fn, void *arg)
{
	Dwarf_Die die = NULL, child = NULL;
	Dwarf_Error err = NULL;
	struct kt_error *e = offdie(dw, off, &die);
	int rc;
	/* A hostile DWARF could make sibling chains loop; bound the walk. */
	unsigned long limit = 50UL * 1000 * 1000;

	if (e)
		return e;
	rc = dwarf_child(die, &child, &err);
	dwarf_dealloc_die(die);
	if (rc == DW_DLV_NO_ENTRY)
		return NULL;
	if (rc != DW_DLV_OK)
		return dw_err(dw, err, (long long)off, "first child");
	while (child) {
		struct kt_dw_node node = {0};
		Dwarf_Half tag = 0;
		Dwarf_Off coff = 0;
		Dwarf_Half hasch = 0;
		Dwarf_Die sib = NULL;

		if (limit-- == 0) {
			dwarf_dealloc_die(child);
			return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)off,
						  "corrupt DWARF: DIE sibling chain too long at "
						  ".debug_info offset 0x%llx",
						  (unsigned long long)off);
		}
		dwarf_dieoffset(child, &coff, &err);
		clear_err(dw, &err);
		if (dwarf_tag(child, &tag, &err) != DW_DLV_OK) {
			dwarf_dealloc_die(child);
			return dw_err(dw, err, (long long)coff, "DIE tag");
		}
		dwarf_die_abbrev_children_flag(child, &hasch);
		node.off = coff;
		node.tag = tag;
		node.has_children = hasch;
		node.h = child;
		int stop = fn(dw, &node, arg);

		if (stop < 0) {
			dwarf_dealloc_die(child);
			return kt_error_at_offset(KT_ERR_PARSE, dw->path, (long long)coff,
						  "corrupt DWARF near .debug_info offset 0x%llx",
						  (unsigned long long)coff);
		}
		if (stop) {
			dwarf_dealloc_die(child);
			return NULL;
		}
		rc = dwarf_siblingof_b(dw->dbg, child, true, &sib, &err);
		dwarf_dealloc_die(child);
		child = NULL;
		if (rc == DW_DLV_ERROR)
			return dw_err(dw, err, (long long)coff, "DIE sibling");
		if (rc == DW_DLV_OK) {
			Dwarf_Off soff = 0;

			dwarf_dieoffset(sib, &soff, &err);
			clear_err(dw, &err);
			if (soff <= coff) {
				dwarf_dealloc_die(sib);
				return kt_error_at_offset(
				    KT_ERR_PARSE, dw->path, (long long)coff,
				    "corrupt DWARF: sibling goes backwards at .debug_info "
				    "offset 0x%llx",
				    (unsigned long long)coff);
			}
			child = sib;
		}
	}
	return NULL;
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
		return dw_err(dw, err, (long long)n->off, "DW_AT_name");
	if (rc == DW_DLV_OK) {
		rc = dwarf_formstring(a, &s, &err);
		dwarf_dealloc(dw->dbg, a, DW_DLA_ATTR);
		if (rc == DW_DLV_ERROR)
			return dw_err(dw, err, (long long)n->off, "DW_AT_name");
		if (rc == DW_DLV_OK)
			*name = s;
	}
	if (dwarf_hasattr(die, DW_AT_declaration, &has, &err) == DW_DLV_ERROR)
		return dw_err(dw, err, (long long)n->off, "DW_AT_declaration");
	*declaration = has;
	return NULL;
}

struct kt_error *kt_dw_node_ranges(struct kt_dw *dw, const struct kt_dw_node *n,
				   struct kt_dw_range **out, size_t *nr)
{
	return die_ranges(dw, (Dwarf_Die)n->h, out, nr);
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
