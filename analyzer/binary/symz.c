// SPDX-License-Identifier: Apache-2.0
/*
 * Line and inline-chain symbolizer. The choices below reproduce what
 * binutils' addr2line prints, checked frame by frame on a real vmlinux:
 *  - line rows at the same address: the last one counts;
 *  - the row is the last one at or below the PC in the sequence holding it;
 *  - the innermost function is the function DIE (subprogram or inlined
 *    subroutine) whose address range around the PC is the smallest, deeper
 *    DIEs winning ties; each outer line is the enclosing function with the
 *    call site of the inlined body below it.
 */
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "symz.h"

struct seq {
	uint64_t lo, hi;
	size_t first, n; /* rows */
};

struct fnr {
	uint64_t lo, hi, die;
};

struct cu_info {
	uint64_t off; /* unit header offset: the key */
	uint64_t die; /* CU DIE offset */
	struct kt_dw_row *rows;
	size_t nrows;
	struct seq *seqs;
	size_t nseqs;
	char **files; /* relative */
	size_t nfiles;
	long file_base;
	const char *name; /* DW_AT_name of the unit, for notes */
	bool has_lines;	  /* it has a line table */
	bool split;	  /* split DWARF: its DIEs are in a .dwo */
	struct fnr *fns;  /* top-level subprogram ranges read so far */
	size_t nfns, capfns;
	uint64_t fns_resume; /* the top-level child the walk stopped at */
	bool fns_done;	     /* every top-level child was read */
};

struct kt_symz {
	struct kt_elf *elf;
	struct kt_dw *dw;
	struct kt_dw_range *ranges; /* sorted by lo */
	size_t nranges;
	bool have_ranges;
	bool ranges_given;    /* by kt_symz_set_ranges, not read here */
	bool ranges_complete; /* with every unit's DIE ranges (see kt_dw_cu_ranges) */
	struct cu_info **cus; /* sorted by off */
	size_t ncus, capcus;
};

struct kt_symz *kt_symz_new(struct kt_elf *elf, struct kt_dw *dw)
{
	struct kt_symz *z = kt_xcalloc(1, sizeof(*z));

	z->elf = elf;
	z->dw = dw;
	return z;
}

static void cu_free(struct cu_info *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->rows);
	free(c->seqs);
	free(c->fns);
	free(c);
}

void kt_symz_free(struct kt_symz *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->ncus; i++)
		cu_free(z->cus[i]);
	free(z->cus);
	free(z->ranges);
	free(z);
}

static int range_cmp(const void *a, const void *b)
{
	const struct kt_dw_range *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	return 0;
}

struct kt_error *kt_symz_set_ranges(struct kt_symz *z, struct kt_dw_range *r, size_t n)
{
	free(z->ranges);
	z->ranges = r;
	z->nranges = n;
	if (n) /* qsort may not take the NULL an empty list can be */
		qsort(z->ranges, n, sizeof(*r), range_cmp);
	z->have_ranges = true;
	z->ranges_given = true;
	z->ranges_complete = false; /* a miss reads the DWARF again */
	return NULL;
}

/* Ranges that came from outside (the cache) and led to an error are
 * dropped and read again from the DWARF: a cache never changes an answer. */
static bool forget_given_ranges(struct kt_symz *z)
{
	if (!z->ranges_given)
		return false;
	free(z->ranges);
	z->ranges = NULL;
	z->nranges = 0;
	z->have_ranges = false;
	z->ranges_given = false;
	return true;
}

/* The ranges from the DWARF: .debug_aranges alone first, when it has any;
 * all units' DIE ranges too once a PC is in none of those (all). */
static struct kt_error *read_ranges(struct kt_symz *z, bool all)
{
	struct kt_dw_range *rr = NULL;
	size_t nn = 0;
	bool complete = false;
	struct kt_error *e = kt_dw_cu_ranges(z->dw, all, &rr, &nn, &complete);

	if (e)
		return e;
	kt_symz_set_ranges(z, rr, nn);
	z->ranges_given = false;
	z->ranges_complete = complete;
	return NULL;
}

struct kt_error *kt_symz_ranges(struct kt_symz *z, const struct kt_dw_range **r, size_t *n)
{
	struct kt_error *e = z->have_ranges ? NULL : read_ranges(z, false);

	*r = z->ranges;
	*n = z->nranges;
	return e;
}

/* The unit of pc by the ranges held, reading all units' when they miss. */
static bool range_of(struct kt_symz *z, uint64_t pc, uint64_t *cu)
{
	const struct kt_dw_range *r;
	size_t n, lo = 0, hi;
	struct kt_error *e = kt_symz_ranges(z, &r, &n);

	if (e) {
		kt_error_free(e); /* callers that need the error call kt_symz_ranges */
		return false;
	}
	hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* lo = first range starting above pc; look back for one holding it. */
	for (size_t k = lo; k-- > 0 && lo - k < 64;)
		if (pc >= r[k].lo && pc < r[k].hi) {
			*cu = r[k].cu;
			return true;
		}
	return false;
}

bool kt_symz_cu_of(struct kt_symz *z, uint64_t pc, uint64_t *cu)
{
	struct kt_error *e;

	if (range_of(z, pc, cu))
		return true;
	if (z->ranges_complete)
		return false;
	e = read_ranges(z, true);
	if (e) {
		kt_error_free(e);
		return false;
	}
	return range_of(z, pc, cu);
}

/*
 * A unit whose line table, already decoded, has a sequence holding pc. This
 * is what addr2line does: once it has read a unit's line table, the
 * sequences count as that unit's addresses too, so the answer for an
 * address outside every unit's ranges depends on the units read before.
 * Only such addresses (never a return address inside a function) get here.
 */
static bool seqs_hold(const struct cu_info *c, uint64_t pc);

static bool cu_by_loaded_lines(struct kt_symz *z, uint64_t pc, uint64_t *cu)
{
	for (size_t i = 0; i < z->ncus; i++)
		if (seqs_hold(z->cus[i], pc)) {
			*cu = z->cus[i]->off;
			return true;
		}
	return false;
}

static int row_cmp(const void *a, const void *b)
{
	const struct seq *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->hi < y->hi ? 1 : x->hi > y->hi ? -1 : 0;
}

static struct kt_error *cu_load(struct kt_symz *z, uint64_t off, struct cu_info **out)
{
	size_t lo = 0, hi = z->ncus;
	struct kt_dw_lines L;
	struct cu_info *c;
	struct kt_error *e;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (z->cus[mid]->off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < z->ncus && z->cus[lo]->off == off) {
		*out = z->cus[lo];
		return NULL;
	}
	uint64_t die = 0;

	e = kt_dw_cu_die(z->dw, off, &die);
	if (!e)
		e = kt_dw_cu_lines(z->dw, die, &L);
	if (e)
		return e;
	c = kt_xcalloc(1, sizeof(*c));
	c->off = off;
	c->die = die;
	c->has_lines = L.present;
	{
		struct kt_dw_die d;
		struct kt_error *ne = kt_dw_die_get(z->dw, die, &d);

		c->name = ne ? NULL : d.name ? d.name : d.dwo_name;
		c->split = !ne && d.dwo_name;
		kt_error_free(ne);
	}
	c->file_base = L.file_base;
	c->nfiles = L.nfiles;
	c->files = kt_xcalloc(L.nfiles + 1, sizeof(char *));
	for (size_t i = 0; i < L.nfiles; i++)
		c->files[i] = kt_path_relative(L.files[i], L.comp_dir);
	/* Rows: within a sequence keep the last row of each address. */
	c->rows = kt_xcalloc(L.nrows + 1, sizeof(*c->rows));
	size_t capseq = 0, start = 0;

	for (size_t i = 0; i < L.nrows; i++) {
		const struct kt_dw_row *r = &L.rows[i];

		if (c->nrows > start && !r->end_seq && c->rows[c->nrows - 1].addr == r->addr &&
		    !c->rows[c->nrows - 1].end_seq) {
			c->rows[c->nrows - 1] = *r;
			continue;
		}
		c->rows[c->nrows++] = *r;
		if (r->end_seq) {
			if (c->nrows - start >= 2 && c->rows[start].addr < r->addr) {
				if (c->nseqs == capseq) {
					capseq = capseq ? capseq * 2 : 16;
					c->seqs = kt_xrealloc(c->seqs, capseq * sizeof(*c->seqs));
				}
				c->seqs[c->nseqs].lo = c->rows[start].addr;
				c->seqs[c->nseqs].hi = r->addr;
				c->seqs[c->nseqs].first = start;
				c->seqs[c->nseqs].n = c->nrows - start;
				c->nseqs++;
			}
			start = c->nrows;
		}
	}
	if (c->nseqs)
		qsort(c->seqs, c->nseqs, sizeof(*c->seqs), row_cmp);
	kt_dw_lines_fini(&L);
	if (z->ncus == z->capcus) {
		z->capcus = z->capcus ? z->capcus * 2 : 16;
		z->cus = kt_xrealloc(z->cus, z->capcus * sizeof(*z->cus));
	}
	memmove(&z->cus[lo + 1], &z->cus[lo], (z->ncus - lo) * sizeof(*z->cus));
	z->cus[lo] = c;
	z->ncus++;
	*out = c;
	/* Every 16 units, give the file's pages back: memory then holds a
	 * few units' worth of the file, and a unit's own pages are not read
	 * twice (its DIEs are walked right after its line table). */
	if (z->ncus % 16 == 0)
		kt_elf_drop_pages(z->elf);
	return NULL;
}

static bool seqs_hold(const struct cu_info *c, uint64_t pc)
{
	for (size_t k = 0; k < c->nseqs && c->seqs[k].lo <= pc; k++)
		if (pc < c->seqs[k].hi)
			return true;
	return false;
}

/*
 * Units that give no address range at all (gcc's units whose only code is
 * the sanitizer constructor) are looked up by their line tables, as
 * addr2line does for every unit without ranges. Read only for addresses no
 * unit's range holds.
 */
static struct kt_error *cu_by_rangeless_lines(struct kt_symz *z, uint64_t pc, uint64_t *cu,
					      bool *found)
{
	*found = false;
	for (size_t i = 0; i < z->nranges && !*found; i++) {
		struct cu_info *c;
		struct kt_error *e;

		if (z->ranges[i].lo != 0 || z->ranges[i].hi != 0)
			break; /* sorted: the empty ones come first */
		e = cu_load(z, z->ranges[i].cu, &c);
		if (e)
			return e;
		if (seqs_hold(c, pc)) {
			*cu = c->off;
			*found = true;
		}
	}
	return NULL;
}

struct fn_collect {
	struct cu_info *c;
	uint64_t pc;
	bool all; /* read them all */
	struct kt_error *err;
};

/* A top-level child: its ranges when it is a function. Stops at the
 * function holding pc, unless all. */
static int collect_fn(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct fn_collect *fc = arg;
	struct cu_info *c = fc->c;
	struct kt_dw_range *r = NULL;
	size_t nr = 0;
	bool hit = false;

	if (node->tag != KT_DW_TAG_subprogram)
		return 0;
	fc->err = kt_dw_node_ranges(dw, node, &r, &nr);
	if (fc->err)
		return 1;
	for (size_t i = 0; i < nr; i++) {
		if (c->nfns == c->capfns) {
			c->capfns = c->capfns ? c->capfns * 2 : 64;
			c->fns = kt_xrealloc(c->fns, c->capfns * sizeof(*c->fns));
		}
		c->fns[c->nfns].lo = r[i].lo;
		c->fns[c->nfns].hi = r[i].hi;
		c->fns[c->nfns].die = node->off;
		c->nfns++;
		hit = hit || (fc->pc >= r[i].lo && fc->pc < r[i].hi);
	}
	free(r);
	return hit && !fc->all;
}

/* The top-level function holding pc, of those read so far: the smallest,
 * the last of equals. */
static const struct fnr *fn_known(const struct cu_info *c, uint64_t pc)
{
	const struct fnr *best = NULL;

	for (size_t i = 0; i < c->nfns; i++)
		if (pc >= c->fns[i].lo && pc < c->fns[i].hi &&
		    (!best || c->fns[i].hi - c->fns[i].lo <= best->hi - best->lo))
			best = &c->fns[i];
	return best;
}

/* Does the symbol table have more than one function at addr of that size
 * (memset and __memset)? The DWARF may then describe each. */
static bool aliased(const struct kt_symz *z, uint64_t addr, uint64_t size)
{
	size_t first, n = 0;

	kt_elf_find_addr(z->elf, addr, &first, &n);
	for (size_t i = 0, same = 0; i < n; i++)
		if (z->elf->syms[first + i].text && z->elf->syms[first + i].size == size &&
		    ++same > 1)
			return true;
	return false;
}

/* Reads more top-level DIEs of the unit: up to the function holding pc,
 * or all of them. */
static struct kt_error *read_fns(struct kt_symz *z, struct cu_info *c, uint64_t pc, bool all)
{
	struct fn_collect fc = {.c = c, .pc = pc, .all = all};
	uint64_t stopped = 0;
	struct kt_error *e =
	    kt_dw_visit_after(z->dw, c->die, c->fns_resume, collect_fn, &fc, &stopped);

	if (!e)
		e = fc.err;
	if (e)
		return e;
	c->fns_resume = stopped;
	c->fns_done = stopped == 0;
	return NULL;
}

/*
 * The top-level function of the unit holding pc, or NULL. The unit's
 * top-level DIEs are read until it (a unit without DW_AT_sibling, as
 * clang writes them, can only be walked DIE by DIE), and the walk is
 * resumed there for the next PC; to the end when the symbol table has
 * aliases of the function (the last of equal DIEs counts, as in addr2line:
 * memset, not __memset).
 */
static struct kt_error *cu_fn_at(struct kt_symz *z, struct cu_info *c, uint64_t pc,
				 const struct fnr **out)
{
	struct kt_error *e = NULL;

	*out = fn_known(c, pc);
	if (!*out && !c->fns_done)
		e = read_fns(z, c, pc, false);
	if (!e && !c->fns_done && (*out = fn_known(c, pc)) &&
	    aliased(z, (*out)->lo, (*out)->hi - (*out)->lo))
		e = read_fns(z, c, pc, true);
	*out = e ? NULL : fn_known(c, pc);
	return e;
}

/* A function scope on the path to pc. */
struct scope {
	uint64_t die;
	int tag;
	uint64_t piece; /* length of its range piece holding pc */
	uint64_t call_file, call_line;
	bool has_call;
	unsigned bad_at, bad_form; /* an attribute of its DIE not read */
};

struct scope_walk {
	uint64_t pc;
	struct scope *v;
	size_t n, cap;
	struct kt_error *err;
	int depth;
};

static struct kt_error *walk_into(struct kt_dw *dw, struct scope_walk *w, uint64_t die);

static void push_scope(struct scope_walk *w, const struct scope *s)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->v = kt_xrealloc(w->v, w->cap * sizeof(*w->v));
	}
	w->v[w->n++] = *s;
}

static int visit_scope(struct kt_dw *dw, const struct kt_dw_node *node, void *arg)
{
	struct scope_walk *w = arg;
	struct kt_dw_range *r = NULL;
	size_t nr = 0;
	uint64_t piece = 0;
	bool inside = false;

	if (node->tag != KT_DW_TAG_inlined_subroutine && node->tag != KT_DW_TAG_lexical_block)
		return 0;
	w->err = kt_dw_node_ranges(dw, node, &r, &nr);
	if (w->err)
		return 1;
	for (size_t i = 0; i < nr; i++)
		if (w->pc >= r[i].lo && w->pc < r[i].hi) {
			inside = true;
			piece = r[i].hi - r[i].lo;
			break;
		}
	free(r);
	if (nr > 0 && !inside)
		return 0;
	if (node->tag == KT_DW_TAG_lexical_block) {
		if (!node->has_children)
			return 0;
		/* Blocks only nest: look inside (also when they have no range). */
		size_t before = w->n;
		struct scope s = {.die = node->off, .tag = node->tag, .piece = piece};

		push_scope(w, &s);
		w->err = walk_into(dw, w, node->off);
		if (w->err)
			return 1;
		if (w->n > before + 1)
			return 1; /* found the scopes below */
		if (nr == 0)
			w->n = before; /* a block without ranges that held nothing */
		return inside ? 1 : 0;
	}
	if (!inside)
		return 0;
	struct kt_dw_die d;

	w->err = kt_dw_node_die(dw, node, &d);
	if (w->err)
		return 1;
	struct scope s = {.die = node->off,
			  .tag = node->tag,
			  .piece = piece,
			  .call_file = d.call_file,
			  .call_line = d.call_line,
			  .has_call = d.has_call,
			  .bad_at = d.bad_at,
			  .bad_form = d.bad_form};

	push_scope(w, &s);
	if (node->has_children) {
		w->err = walk_into(dw, w, node->off);
		if (w->err)
			return 1;
	}
	return 1;
}

static struct kt_error *walk_into(struct kt_dw *dw, struct scope_walk *w, uint64_t die)
{
	struct kt_error *e;

	if (++w->depth > 256) {
		w->depth--;
		return kt_error_new(KT_ERR_PARSE, NULL, 0,
				    "corrupt DWARF: scopes nested more than 256 deep");
	}
	e = kt_dw_visit_children(dw, die, visit_scope, w);
	w->depth--;
	if (!e)
		e = w->err;
	return e;
}

static struct kt_error *scopes_at(struct kt_symz *z, struct cu_info *c, uint64_t pc,
				  struct scope **out, size_t *n)
{
	struct scope_walk w = {.pc = pc};
	const struct fnr *best = NULL;
	struct kt_error *e = cu_fn_at(z, c, pc, &best);

	*out = NULL;
	*n = 0;
	if (e || !best)
		return e;
	struct scope s = {
	    .die = best->die, .tag = KT_DW_TAG_subprogram, .piece = best->hi - best->lo};

	push_scope(&w, &s);
	e = walk_into(z->dw, &w, best->die);
	if (e) {
		free(w.v);
		return e;
	}
	*out = w.v;
	*n = w.n;
	return NULL;
}

/* Name of a function DIE, through abstract origins and specifications;
 * *bad_form: the form of a DW_AT_name that could not be read. */
static struct kt_error *die_name(struct kt_dw *dw, uint64_t off, const char **name,
				 unsigned *bad_form)
{
	struct kt_dw_die d;

	*name = NULL;
	for (int hops = 0; hops < 8; hops++) {
		struct kt_error *e = kt_dw_die_get(dw, off, &d);

		if (e)
			return e;
		if (d.bad_at == KT_DW_AT_name)
			*bad_form = d.bad_form;
		if (d.name) {
			*name = d.name;
			return NULL;
		}
		if (!d.has_origin)
			return NULL;
		off = d.origin;
	}
	return NULL;
}

static const char *cu_file(const struct cu_info *c, uint64_t f)
{
	long i = (long)f - c->file_base;

	if (i < 0 || (size_t)i >= c->nfiles)
		return NULL;
	return c->files[i];
}

static const struct kt_dw_row *line_at(const struct cu_info *c, uint64_t pc)
{
	const struct seq *best = NULL;

	for (size_t i = 0; i < c->nseqs && c->seqs[i].lo <= pc; i++)
		if (pc < c->seqs[i].hi && (!best || c->seqs[i].lo >= best->lo))
			best = &c->seqs[i];
	if (!best)
		return NULL;
	size_t lo = best->first, hi = best->first + best->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->rows[mid].addr <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == best->first)
		return NULL;
	return &c->rows[lo - 1];
}

void kt_locs_free(struct kt_loc *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(l[i].func);
		free(l[i].file);
		free(l[i].note);
	}
	free(l);
}

struct kt_error *kt_symz_scopes(struct kt_symz *z, uint64_t pc, uint64_t **out, size_t *n)
{
	uint64_t cuoff = 0;
	struct cu_info *c;
	struct scope *s = NULL;
	size_t ns = 0;
	struct kt_error *e;

	*out = NULL;
	*n = 0;
	if (!kt_symz_cu_of(z, pc, &cuoff))
		return NULL;
	e = cu_load(z, cuoff, &c);
	if (!e)
		e = scopes_at(z, c, pc, &s, &ns);
	if (e)
		return e;
	*out = kt_xcalloc(ns + 1, sizeof(**out));
	for (size_t i = 0; i < ns; i++)
		(*out)[i] = s[i].die;
	*n = ns;
	free(s);
	return NULL;
}

/* No unit holds pc: the ELF symbol and, for a local one, the source its
 * STT_FILE names, without a line (addr2line's "c_next proc.c:?"). Inside a
 * function of the symbol table, a note says the DWARF does not describe it
 * (sanitizer constructors, a unit built without -g, stripped DWARF). */
static void no_unit(struct kt_symz *z, uint64_t pc, struct kt_loc **out, size_t *n)
{
	const struct kt_elf_sym *sym = kt_elf_sym_before(z->elf, pc);

	if (!sym)
		return;
	*out = kt_xcalloc(2, sizeof(**out));
	(*out)[0].func = kt_xstrdup(sym->name);
	if (sym->file)
		(*out)[0].file = kt_xstrdup(sym->file);
	if (sym->size && pc < sym->addr + sym->size) {
		char *note = NULL;

		if (asprintf(&note,
			     "no DWARF unit describes %s%s%s (code the compiler made without "
			     "debug information, a unit built without -g, or stripped DWARF)",
			     sym->name, sym->file ? " of " : "", sym->file ? sym->file : "") < 0)
			abort();
		(*out)[0].note = note;
	}
	*n = 1;
}

/* What the unit could not say about pc, for the note of its frame. */
static char *unit_note(const struct cu_info *c, uint64_t pc, bool row, size_t nf,
		       const struct scope *s, size_t ns, unsigned name_form)
{
	char *note = NULL;
	const char *u = c->name ? c->name : "?";
	int rc = 0;

	if (!c->has_lines)
		rc = asprintf(&note, "unit %s has no line table (no DW_AT_stmt_list)", u);
	else if (!row)
		rc = asprintf(&note, "the line table of unit %s has no row for 0x%llx", u,
			      (unsigned long long)pc);
	else if (c->split && nf == 0)
		rc = asprintf(&note,
			      "unit %s is split DWARF: its functions and inline chains are "
			      "in a .dwo file, which is not read",
			      u);
	else if (name_form)
		rc = asprintf(&note,
			      "unit %s names a function in %s (another file's string "
			      "section), which is not read",
			      u, kt_dw_form_name(name_form));
	for (size_t i = 0; !note && rc >= 0 && i < ns; i++)
		if (s[i].bad_at)
			rc = asprintf(&note, "unit %s gives %s in %s, which is not read", u,
				      kt_dw_at_name(s[i].bad_at), kt_dw_form_name(s[i].bad_form));
	if (rc < 0)
		abort();
	return note;
}

/* The lines of the chain, outermost function scope (s[0]) to the innermost
 * (s[inner]), as v[nv - 1] ... v[0]. */
static struct kt_error *chain(struct kt_symz *z, const struct cu_info *c, uint64_t pc,
			      const struct scope *s, size_t inner, const struct kt_dw_row *row,
			      struct kt_loc *v, size_t *nv, unsigned *name_form)
{
	for (size_t k = inner + 1; k-- > 0;) {
		const char *name = NULL;
		unsigned bad_form = 0;
		struct kt_error *e = die_name(z->dw, s[k].die, &name, &bad_form);

		if (e)
			return e;
		if (bad_form && !*name_form)
			*name_form = bad_form;
		if (!name && k == 0) { /* the function itself: the symbol table knows it */
			const struct kt_elf_sym *sym = kt_elf_sym_before(z->elf, pc);

			name = sym ? sym->name : NULL;
		}
		v[*nv].func = kt_xstrdup(name ? name : "??");
		if (k == inner) {
			if (row && cu_file(c, row->file)) {
				v[*nv].file = kt_xstrdup(cu_file(c, row->file));
				v[*nv].line = (int)row->line;
			}
		} else if (s[k + 1].has_call && cu_file(c, s[k + 1].call_file)) {
			v[*nv].file = kt_xstrdup(cu_file(c, s[k + 1].call_file));
			v[*nv].line = (int)s[k + 1].call_line;
		}
		(*nv)++;
	}
	return NULL;
}

/* The unit holding pc is c: its chain at pc. */
static struct kt_error *unit_chain(struct kt_symz *z, const struct cu_info *c, uint64_t pc,
				   struct scope *s, size_t ns, const struct kt_dw_row *row,
				   struct kt_loc **out, size_t *n)
{
	size_t nf = 0, nv = 0, inner;
	unsigned name_form = 0;
	struct kt_loc *v;
	struct kt_error *e = NULL;

	/* Keep the function scopes only; pick the innermost by range size. */
	for (size_t i = 0; i < ns; i++)
		if (s[i].tag != KT_DW_TAG_lexical_block)
			s[nf++] = s[i];
	inner = nf;
	for (size_t i = 0; i < nf; i++)
		if (inner == nf || s[i].piece <= s[inner].piece)
			inner = i;
	v = kt_xcalloc(nf + 1, sizeof(*v));
	if (nf == 0) {
		const struct kt_elf_sym *sym = kt_elf_sym_before(z->elf, pc);

		v[0].func = kt_xstrdup(sym ? sym->name : "??");
		if (row && cu_file(c, row->file)) {
			v[0].file = kt_xstrdup(cu_file(c, row->file));
			v[0].line = (int)row->line;
		}
		nv = 1;
	} else {
		e = chain(z, c, pc, s, inner, row, v, &nv, &name_form);
	}
	if (e) {
		kt_locs_free(v, nv);
		return e;
	}
	v[nv - 1].note = unit_note(c, pc, row != NULL, nf, s, nf ? inner + 1 : 0, name_form);
	*out = v;
	*n = nv;
	return NULL;
}

struct kt_error *kt_symz_pc(struct kt_symz *z, uint64_t pc, struct kt_loc **out, size_t *n)
{
	const struct kt_dw_range *rr;
	size_t nrr, ns = 0;
	uint64_t cuoff;
	struct cu_info *c;
	struct scope *s = NULL;
	struct kt_error *e;
	const struct kt_dw_row *row;
	bool found = false;

	*out = NULL;
	*n = 0;
	e = kt_symz_ranges(z, &rr, &nrr);
	if (e)
		return e;
	/* Given ranges that place pc in no unit, or in a unit that knows
	 * nothing of it, are as suspect as ranges that lead to an error. */
	if (!kt_symz_cu_of(z, pc, &cuoff)) {
		if (forget_given_ranges(z))
			return kt_symz_pc(z, pc, out, n);
		/* No unit's range holds pc (padding after a unit's code,
		 * constructors): the line table of a unit already read may
		 * cover it, or that of a unit without ranges. */
		if (!cu_by_loaded_lines(z, pc, &cuoff)) {
			e = cu_by_rangeless_lines(z, pc, &cuoff, &found);
			if (e)
				return e;
			if (!found) {
				no_unit(z, pc, out, n);
				return NULL;
			}
		}
	}
	e = cu_load(z, cuoff, &c);
	if (e && forget_given_ranges(z)) {
		kt_error_free(e);
		return kt_symz_pc(z, pc, out, n);
	}
	if (e)
		return e;
	e = scopes_at(z, c, pc, &s, &ns);
	if (e)
		return e;
	row = line_at(c, pc);
	if (!row && ns == 0 && forget_given_ranges(z)) {
		free(s);
		return kt_symz_pc(z, pc, out, n);
	}
	e = unit_chain(z, c, pc, s, ns, row, out, n);
	free(s);
	return e;
}
