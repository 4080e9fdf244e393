// SPDX-License-Identifier: Apache-2.0
/* ELF validation, sections, build-id and symbols, through libelf. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfsym.h"
#include "kcsan/strbuf.h"

static struct kt_error *elf_fail(struct kt_elf *e, long long off, const char *what)
{
	return kt_error_at_offset(KT_ERR_PARSE, e->path, off, "%s: %s", what, elf_errmsg(-1));
}

static int sym_cmp_addr(const void *a, const void *b)
{
	const struct kt_elf_sym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	/* Functions before other types, then by name: a stable order. */
	if (x->type != y->type)
		return x->type == STT_FUNC ? -1 : y->type == STT_FUNC ? 1 : x->type - y->type;
	return strcmp(x->name, y->name);
}

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* Linux 5.14; older kernels refuse it, harmlessly */
#endif

/* Maps the pages of a large new allocation in one call: one page fault per
 * page costs more, on a virtual machine above all, than sorting the symbols
 * that fill them. */
static void populate(void *p, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a = ((uintptr_t)p + (uintptr_t)pg - 1) / (uintptr_t)pg * (uintptr_t)pg;
	uintptr_t end = ((uintptr_t)p + len) / (uintptr_t)pg * (uintptr_t)pg;

	if (end > a)
		madvise((void *)a, end - a, MADV_POPULATE_WRITE);
}

/* Sorts the symbols as sym_cmp_addr does: a radix sort of the addresses (a
 * vmlinux has tens of thousands of symbols, and this runs on every start),
 * then the few runs of equal addresses by the whole comparison. */
static void sort_by_addr(struct kt_elf_sym *syms, size_t n)
{
	struct kt_elf_sym *tmp, *src = syms, *dst;

	if (n < 2)
		return;
	tmp = kt_xcalloc(n, sizeof(*tmp));
	populate(tmp, n * sizeof(*tmp));
	dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[257] = {0};

		for (size_t i = 0; i < n; i++)
			count[((src[i].addr >> shift) & 0xff) + 1]++;
		if (count[((src[0].addr >> shift) & 0xff) + 1] == n)
			continue; /* one value in this digit: nothing to move */
		for (size_t d = 1; d <= 256; d++)
			count[d] += count[d - 1];
		for (size_t i = 0; i < n; i++)
			dst[count[(src[i].addr >> shift) & 0xff]++] = src[i];
		struct kt_elf_sym *t = src;

		src = dst;
		dst = t;
	}
	if (src != syms)
		memcpy(syms, src, n * sizeof(*syms));
	free(tmp);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && syms[j].addr == syms[i].addr;)
			j++;
		if (j - i > 1)
			qsort(syms + i, j - i, sizeof(*syms), sym_cmp_addr);
	}
}

/* FNV-1a of a name: the name index sorts by it first, so that most
 * comparisons of kernel names (long shared prefixes) are of two integers. */
static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct name_key {
	uint32_t hash, idx;
};

static int key_cmp(const void *a, const void *b, void *arg)
{
	const struct kt_elf_sym *s = arg;
	const struct name_key *x = a, *y = b;
	int c;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	c = strcmp(s[x->idx].name, s[y->idx].name);
	if (c)
		return c;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The name index, built on the first lookup by name (address lookups,
 * the symbolization of bare PCs, need none). */
static void name_index(struct kt_elf *e)
{
	struct name_key *k = kt_xcalloc(e->nsyms + 1, sizeof(*k));

	for (size_t i = 0; i < e->nsyms; i++) {
		k[i].hash = name_hash(e->syms[i].name);
		k[i].idx = (uint32_t)i;
	}
	qsort_r(k, e->nsyms, sizeof(*k), key_cmp, e->syms);
	e->by_name = kt_xcalloc(e->nsyms + 1, sizeof(*e->by_name));
	e->name_hash = kt_xcalloc(e->nsyms + 1, sizeof(*e->name_hash));
	for (size_t i = 0; i < e->nsyms; i++) {
		e->by_name[i] = k[i].idx;
		e->name_hash[i] = k[i].hash;
	}
	free(k);
}

static struct kt_error *check_header(struct kt_elf *e)
{
	unsigned char id[EI_NIDENT + 4];
	ssize_t got = pread(e->fd, id, sizeof(id), 0);

	if (got < 4 || memcmp(id, ELFMAG, SELFMAG) != 0)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, 0,
					  "not an ELF file (no ELF magic): give the vmlinux "
					  "of the kernel that printed the report");
	if (got < EI_NIDENT + 4)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, got,
					  "truncated ELF file (%lld bytes)", (long long)got);
	if (id[EI_CLASS] == ELFCLASS32)
		return kt_error_at_offset(KT_ERR_UNSUPPORTED, e->path, EI_CLASS,
					  "32-bit ELF: only x86-64 (64-bit) vmlinux files are "
					  "supported");
	if (id[EI_CLASS] != ELFCLASS64)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, EI_CLASS, "bad ELF class byte %u",
					  id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB)
		return kt_error_at_offset(
		    KT_ERR_UNSUPPORTED, e->path, EI_DATA,
		    "big-endian ELF: only x86-64 vmlinux files are supported");
	return NULL;
}

static struct kt_error *load_sections(struct kt_elf *e, GElf_Ehdr *eh)
{
	size_t shnum = 0, shstrndx = 0;
	Elf_Scn *scn = NULL;

	if (eh->e_shoff == 0)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, 0x28,
					  "ELF file has no section table (stripped?)");
	if (eh->e_shoff > e->file_size ||
	    (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > e->file_size - eh->e_shoff)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, (long long)eh->e_shoff,
					  "truncated ELF file: the section table (%u entries at "
					  "offset 0x%llx) extends past the end of the file (%llu "
					  "bytes)",
					  eh->e_shnum, (unsigned long long)eh->e_shoff,
					  (unsigned long long)e->file_size);
	if (elf_getshdrnum(e->elf, &shnum) != 0 || elf_getshdrstrndx(e->elf, &shstrndx) != 0)
		return elf_fail(e, (long long)eh->e_shoff, "cannot read the ELF section table");
	if (shnum < eh->e_shnum)
		shnum = eh->e_shnum;
	if (eh->e_shoff > e->file_size ||
	    (uint64_t)shnum * sizeof(Elf64_Shdr) > e->file_size - eh->e_shoff)
		return kt_error_at_offset(KT_ERR_PARSE, e->path, (long long)eh->e_shoff,
					  "truncated ELF file: the section table (%zu entries) "
					  "extends past the end of the file (%llu bytes)",
					  shnum, (unsigned long long)e->file_size);
	e->secs = kt_xcalloc(shnum + 1, sizeof(*e->secs));
	while ((scn = elf_nextscn(e->elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;
		struct kt_elf_sec *s;

		if (!gelf_getshdr(scn, &sh))
			return elf_fail(e, (long long)eh->e_shoff, "bad section header");
		name = elf_strptr(e->elf, shstrndx, sh.sh_name);
		if (!name)
			name = "";
		if (sh.sh_type != SHT_NOBITS &&
		    (sh.sh_offset > e->file_size || sh.sh_size > e->file_size - sh.sh_offset))
			return kt_error_at_offset(
			    KT_ERR_PARSE, e->path, (long long)sh.sh_offset,
			    "truncated ELF file: section %s (0x%llx bytes at offset 0x%llx) "
			    "extends past the end of the file (%llu bytes)",
			    name, (unsigned long long)sh.sh_size, (unsigned long long)sh.sh_offset,
			    (unsigned long long)e->file_size);
		if (strcmp(name, ".rela.text") == 0)
			e->relocatable = true;
		s = &e->secs[e->nsecs++];
		s->name = name;
		s->addr = sh.sh_addr;
		s->size = sh.sh_size;
		s->alloc = sh.sh_flags & SHF_ALLOC;
		s->exec = sh.sh_flags & SHF_EXECINSTR;
		s->write = sh.sh_flags & SHF_WRITE;
		s->nobits = sh.sh_type == SHT_NOBITS;
		s->offset = sh.sh_offset;

		if (sh.sh_type == SHT_NOTE && !e->build_id_len) {
			Elf_Data *d = elf_getdata(scn, NULL);
			size_t off = 0, next, noff = 0, doff = 0;
			GElf_Nhdr nh;

			while (d && (next = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
				const char *owner = (const char *)d->d_buf + noff;

				if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
				    memcmp(owner, "GNU", 4) == 0 && nh.n_descsz > 0 &&
				    nh.n_descsz <= sizeof(e->build_id)) {
					memcpy(e->build_id, (const char *)d->d_buf + doff,
					       nh.n_descsz);
					e->build_id_len = nh.n_descsz;
					break;
				}
				off = next;
			}
		}
	}
	for (size_t i = 0; i < e->build_id_len; i++)
		snprintf(e->build_id_hex + 2 * i, 3, "%02x", e->build_id[i]);
	return NULL;
}

static bool sec_is_exec(const struct kt_elf *e, size_t shndx)
{
	/* secs[] holds sections 1..n in order (section 0 is not listed). */
	return shndx >= 1 && shndx <= e->nsecs && e->secs[shndx - 1].exec;
}

/* The string table of a symbol table, when it can be read directly: a
 * SHT_STRTAB whose last byte is a NUL, so that every name inside it ends. */
struct strtab {
	const char *base;
	size_t size;
	size_t shndx;
};

static struct strtab strtab_of(struct kt_elf *e, size_t shndx)
{
	struct strtab t = {.shndx = shndx};
	Elf_Scn *scn = elf_getscn(e->elf, shndx);
	GElf_Shdr sh;
	Elf_Data *d;

	if (scn && gelf_getshdr(scn, &sh) && sh.sh_type == SHT_STRTAB &&
	    (d = elf_getdata(scn, NULL)) && d->d_buf && d->d_size &&
	    ((const char *)d->d_buf)[d->d_size - 1] == 0) {
		t.base = d->d_buf;
		t.size = d->d_size;
	}
	return t;
}

/* A name of the table, or NULL when its offset is bad. elf_strptr checks
 * the whole string on every call, which costs more than everything else
 * done with the 60 000 symbols of a vmlinux. */
static const char *strtab_name(struct kt_elf *e, const struct strtab *t, size_t off)
{
	if (t->base)
		return off < t->size ? t->base + off : NULL;
	return elf_strptr(e->elf, t->shndx, off);
}

static struct kt_error *load_symbols(struct kt_elf *e)
{
	Elf_Scn *scn = NULL;
	size_t cap = 0;
	bool found = false;

	while ((scn = elf_nextscn(e->elf, scn)) != NULL) {
		GElf_Shdr sh;
		Elf_Data *d;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		found = true;
		d = elf_getdata(scn, NULL);
		if (!d)
			return elf_fail(e, (long long)sh.sh_offset, "cannot read the symbol table");
		/* The count comes from the entry size: any other size than an
		 * ELF64 symbol's would size the table wrong (or huge). */
		if (sh.sh_entsize != sizeof(Elf64_Sym))
			return kt_error_at_offset(KT_ERR_PARSE, e->path, (long long)sh.sh_offset,
						  "corrupt symbol table: entries of %llu bytes, "
						  "ELF64 symbols are %zu",
						  (unsigned long long)sh.sh_entsize,
						  sizeof(Elf64_Sym));
		n = d->d_size / sh.sh_entsize;
		cap = n;
		e->syms = kt_xcalloc(cap + 1, sizeof(*e->syms));
		populate(e->syms, (cap + 1) * sizeof(*e->syms));
		const char *file = NULL;
		/* As binutils names the file of a symbol without DWARF: the
		 * last STT_FILE before it, for a global symbol only while no
		 * STT_FILE has come after another symbol (then globals have
		 * no file: the kernel's case). */
		bool sym_seen = false, file_after_sym = false;
		struct strtab names = strtab_of(e, sh.sh_link);

		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			const char *name;
			int type;

			if (!gelf_getsym(d, (int)i, &sym))
				return elf_fail(e, (long long)(sh.sh_offset + i * sh.sh_entsize),
						"bad symbol");
			type = GELF_ST_TYPE(sym.st_info);
			if (type == STT_FILE) {
				file = strtab_name(e, &names, sym.st_name);
				file_after_sym = file_after_sym || sym_seen;
				continue;
			}
			bool local = GELF_ST_BIND(sym.st_info) == STB_LOCAL;
			const char *sfile =
			    file && *file && (local || !file_after_sym) ? file : NULL;

			sym_seen = true;
			if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
				continue;
			if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE)
				continue;
			name = strtab_name(e, &names, sym.st_name);
			if (!name)
				return kt_error_at_offset(
				    KT_ERR_PARSE, e->path,
				    (long long)(sh.sh_offset + i * sh.sh_entsize),
				    "corrupt symbol table: symbol %zu has a bad name offset", i);
			if (!*name)
				continue;
			struct kt_elf_sym *s = &e->syms[e->nsyms++];

			s->addr = sym.st_value;
			s->size = sym.st_size;
			s->name = name;
			s->type = (unsigned char)type;
			s->text = sec_is_exec(e, sym.st_shndx);
			s->index = (uint32_t)i;
			s->file = sfile;
		}
		break;
	}
	if (!found)
		return kt_error_new(KT_ERR_UNSUPPORTED, e->path, 0,
				    "no ELF symbol table (.symtab): the vmlinux is stripped; "
				    "give the unstripped vmlinux of the build");
	sort_by_addr(e->syms, e->nsyms);
	return NULL;
}

struct kt_error *kt_elf_open(const char *path, struct kt_elf **out)
{
	struct kt_elf *e = kt_xcalloc(1, sizeof(*e));
	struct kt_error *err = NULL;
	struct stat st;
	GElf_Ehdr eh;

	*out = NULL;
	e->fd = -1;
	e->path = kt_xstrdup(path);
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		err = kt_error_new(KT_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
		goto fail;
	}
	if (fstat(e->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		err = kt_error_new(KT_ERR_IO, path, 0, "not a regular file");
		goto fail;
	}
	e->file_size = (uint64_t)st.st_size;
	err = check_header(e);
	if (err)
		goto fail;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		err = kt_error_new(KT_ERR_UNSUPPORTED, path, 0, "libelf is too old");
		goto fail;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF) {
		err = elf_fail(e, 0, "not a readable ELF file");
		goto fail;
	}
	{
		/* Lookups jump around a file of hundreds of megabytes: ask the
		 * kernel not to map neighbouring pages on each fault, so memory
		 * holds what is read and little more. */
		size_t len = 0;
		char *img = elf_rawfile(e->elf, &len);
		long pg = sysconf(_SC_PAGESIZE);

		if (img && len && pg > 0 && ((uintptr_t)img % (uintptr_t)pg) == 0)
			madvise(img, len, MADV_RANDOM);
	}
	if (!gelf_getehdr(e->elf, &eh)) {
		err = elf_fail(e, 0, "bad ELF header");
		goto fail;
	}
	if (eh.e_machine != EM_X86_64) {
		err = kt_error_at_offset(KT_ERR_UNSUPPORTED, path, 0x12,
					 "ELF for machine %u, not x86-64: only x86-64 vmlinux "
					 "files are supported",
					 eh.e_machine);
		goto fail;
	}
	err = load_sections(e, &eh);
	if (err)
		goto fail;
	err = load_symbols(e);
	if (err)
		goto fail;
	*out = e;
	return NULL;
fail:
	kt_elf_close(e);
	return err;
}

void kt_elf_close(struct kt_elf *e)
{
	if (!e)
		return;
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e->secs);
	free(e->syms);
	free(e->by_name);
	free(e->name_hash);
	free(e->path);
	free(e);
}

void kt_elf_find_name(struct kt_elf *e, const char *name, size_t *first, size_t *n)
{
	uint32_t h = name_hash(name);
	size_t lo = 0, hi;

	if (!e->by_name)
		name_index(e);
	hi = e->nsyms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t mh = e->name_hash[mid];

		if (mh < h || (mh == h && strcmp(e->syms[e->by_name[mid]].name, name) < 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (hi < e->nsyms && e->name_hash[hi] == h &&
	       strcmp(e->syms[e->by_name[hi]].name, name) == 0)
		hi++;
	*n = hi > lo ? hi - lo : 0;
}

/* Index of the last symbol with addr <= a, or -1. */
static long last_at_or_below(const struct kt_elf *e, uint64_t a)
{
	size_t lo = 0, hi = e->nsyms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->syms[mid].addr <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (long)lo - 1;
}

uint64_t kt_elf_sym_next_dist(const struct kt_elf *e, const struct kt_elf_sym *s)
{
	size_t i = (size_t)(s - e->syms);

	for (i++; i < e->nsyms; i++)
		if (e->syms[i].addr > s->addr && e->syms[i].text == s->text)
			return e->syms[i].addr - s->addr;
	return 0;
}

uint64_t kt_elf_sym_extent(const struct kt_elf *e, const struct kt_elf_sym *s)
{
	size_t i;

	if (s->size)
		return s->size;
	i = (size_t)(s - e->syms);
	for (i++; i < e->nsyms; i++)
		if (e->syms[i].addr > s->addr && e->syms[i].text == s->text)
			return e->syms[i].addr - s->addr;
	return 0;
}

const struct kt_elf_sym *kt_elf_sym_at(const struct kt_elf *e, uint64_t addr, bool text)
{
	long i = last_at_or_below(e, addr);
	const struct kt_elf_sym *best = NULL;

	/* Walk back over symbols at lower addresses: a sized symbol that
	 * contains addr wins; labels cover up to the next symbol. */
	for (long k = i, steps = 0; k >= 0 && steps < 64; k--, steps++) {
		const struct kt_elf_sym *s = &e->syms[k];

		if (s->text != text || (s->type == STT_NOTYPE && s->size == 0 && !text))
			continue;
		if (s->size && addr < s->addr + s->size) {
			if (!best || best->addr < s->addr || (best->size == 0))
				best = s;
			if (s->type == STT_FUNC || s->type == STT_OBJECT)
				return s;
		} else if (!s->size && !best) {
			uint64_t ext = kt_elf_sym_extent(e, s);

			if (addr < s->addr + ext)
				best = s;
		}
		if (best && s->addr < best->addr)
			break;
	}
	return best;
}

const struct kt_elf_sec *kt_elf_section_at(const struct kt_elf *e, uint64_t addr)
{
	for (size_t i = 0; i < e->nsecs; i++) {
		const struct kt_elf_sec *s = &e->secs[i];

		if (s->alloc && s->size && addr >= s->addr && addr - s->addr < s->size)
			return s;
	}
	return NULL;
}

size_t kt_elf_code(const struct kt_elf *e, uint64_t addr, unsigned char *buf, size_t len)
{
	const struct kt_elf_sec *s = kt_elf_section_at(e, addr);
	size_t flen = 0, n;
	const char *img = elf_rawfile(e->elf, &flen);

	if (!s || !s->exec || s->nobits || !img)
		return 0;
	n = s->size - (addr - s->addr) < len ? (size_t)(s->size - (addr - s->addr)) : len;
	if (s->offset + (addr - s->addr) + n > flen)
		return 0;
	memcpy(buf, img + s->offset + (addr - s->addr), n);
	return n;
}

void kt_elf_drop_pages(const struct kt_elf *e)
{
	size_t len = 0;
	char *img = elf_rawfile(e->elf, &len);
	long pg = sysconf(_SC_PAGESIZE);

	/* The mapping is private and read-only: dropping its pages loses
	 * nothing (they stay in the page cache and fault back when read). */
	if (img && len && pg > 0 && ((uintptr_t)img % (uintptr_t)pg) == 0)
		madvise(img, len, MADV_DONTNEED);
}

void kt_elf_find_addr(const struct kt_elf *e, uint64_t addr, size_t *first, size_t *n)
{
	long last = last_at_or_below(e, addr), i = last;

	while (i >= 0 && e->syms[i].addr == addr)
		i--;
	*first = (size_t)(i + 1);
	*n = last >= 0 && e->syms[last].addr == addr ? (size_t)(last - i) : 0;
}

const struct kt_elf_sym *kt_elf_sym_before(const struct kt_elf *e, uint64_t addr)
{
	long i = last_at_or_below(e, addr);
	const struct kt_elf_sym *best = NULL;

	for (; i >= 0; i--) {
		const struct kt_elf_sym *s = &e->syms[i];

		if (!s->text || (s->type != STT_FUNC && s->type != STT_NOTYPE))
			continue;
		if (best && s->addr != best->addr)
			break;
		if (!best || s->size > best->size ||
		    (s->size == best->size && s->index < best->index))
			best = s;
	}
	return best;
}
