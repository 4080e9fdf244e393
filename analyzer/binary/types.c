// SPDX-License-Identifier: Apache-2.0
/* Type layouts and member kinds (kinds of named types from rules/types.tbl). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcsan/strbuf.h"
#include "kcsan/table.h"
#include "types.h"

struct kt_types {
	char **names;
	char **kinds;
	size_t n;
};

/* Kinds a table line may give: the rules compare against these words. */
static const char *const known_kinds[] = {
    "pointer",	  "list_head",	"hlist_node", "rb_node", "atomic_t", "refcount_t",
    "spinlock_t", "mutex",	"seqcount",   "integer", "bool",     "array",
    "struct",	  "union",	"enum",	      "rwlock",	 "rwsem",    "percpu",
    "llist",	  "wait_queue", "completion", "kref",	 "xarray",   "bitmap",
};

static bool kind_known(const char *k)
{
	for (size_t i = 0; i < sizeof(known_kinds) / sizeof(known_kinds[0]); i++)
		if (strcmp(k, known_kinds[i]) == 0)
			return true;
	return false;
}

void kt_types_free(struct kt_types *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->names[i]);
		free(t->kinds[i]);
	}
	free(t->names);
	free(t->kinds);
	free(t);
}

/* "TYPE NAME  KIND": the last field is the kind, the others the type's name
 * (joined with one space). */
static struct kt_error *types_line(void *ctx, const struct kt_table_line *l)
{
	struct kt_types *t = ctx;
	const char *kind = l->f[l->n - 1];
	struct kt_strbuf sb;

	if (l->n < 2)
		return kt_table_bad(l, "expected a type name and a kind");
	if (!kind_known(kind))
		return kt_table_bad(l, "unknown kind '%s'", kind);
	kt_strbuf_init(&sb);
	for (size_t i = 0; i + 1 < l->n; i++)
		kt_strbuf_addf(&sb, "%s%s", i ? " " : "", l->f[i]);
	if (t->n % 32 == 0) {
		t->names = kt_xrealloc(t->names, (t->n + 32) * sizeof(char *));
		t->kinds = kt_xrealloc(t->kinds, (t->n + 32) * sizeof(char *));
	}
	t->names[t->n] = kt_strbuf_detach(&sb);
	t->kinds[t->n] = kt_xstrdup(kind);
	t->n++;
	return NULL;
}

struct kt_error *kt_types_load_file(const char *path, struct kt_types **out)
{
	struct kt_types *t = kt_xcalloc(1, sizeof(*t));
	struct kt_error *err = kt_table_read(path, types_line, t);

	*out = NULL;
	if (err) {
		kt_types_free(t);
		return err;
	}
	*out = t;
	return NULL;
}

struct kt_error *kt_types_load(const char *rules_dir, struct kt_types **out)
{
	char *path = kt_rules_path(rules_dir, "types.tbl");
	struct kt_error *err;

	*out = NULL;
	if (!path)
		return NULL;
	err = kt_types_load_file(path, out);
	free(path);
	return err;
}

const char *kt_types_lookup(const struct kt_types *t, const char *type_name)
{
	if (!t || !type_name)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->names[i], type_name) == 0)
			return t->kinds[i];
	return NULL;
}

void kt_member_info_fini(struct kt_member_info *m)
{
	free(m->path);
	free(m->type);
	free(m->kind);
	free(m->container);
	memset(m, 0, sizeof(*m));
}

static struct kt_error *type_name_rec(struct kt_dw *dw, uint64_t off, int depth,
				      struct kt_strbuf *sb)
{
	struct kt_dw_die d;
	struct kt_error *e;

	if (depth > 16) {
		kt_strbuf_adds(sb, "...");
		return NULL;
	}
	e = kt_dw_die_get(dw, off, &d);
	if (e)
		return e;
	switch (d.tag) {
	case KT_DW_TAG_structure_type:
	case KT_DW_TAG_union_type:
	case KT_DW_TAG_enumeration_type:
		kt_strbuf_addf(sb, "%s %s",
			       d.tag == KT_DW_TAG_structure_type ? "struct"
			       : d.tag == KT_DW_TAG_union_type	 ? "union"
								 : "enum",
			       d.name ? d.name : "<anonymous>");
		return NULL;
	case KT_DW_TAG_pointer_type:
		if (!d.has_type)
			kt_strbuf_adds(sb, "void");
		else if ((e = type_name_rec(dw, d.type, depth + 1, sb)))
			return e;
		kt_strbuf_adds(sb, " *");
		return NULL;
	case KT_DW_TAG_const_type:
	case KT_DW_TAG_volatile_type:
	case KT_DW_TAG_restrict_type:
	case KT_DW_TAG_atomic_type: {
		const char *q = d.tag == KT_DW_TAG_const_type	   ? "const "
				: d.tag == KT_DW_TAG_volatile_type ? "volatile "
				: d.tag == KT_DW_TAG_atomic_type   ? "_Atomic "
								   : "";
		kt_strbuf_adds(sb, q);
		if (!d.has_type) {
			kt_strbuf_adds(sb, "void");
			return NULL;
		}
		return type_name_rec(dw, d.type, depth + 1, sb);
	}
	case KT_DW_TAG_array_type: {
		uint64_t *ch = NULL;
		size_t n = 0;

		if (d.has_type && (e = type_name_rec(dw, d.type, depth + 1, sb)))
			return e;
		e = kt_dw_die_children(dw, d.off, &ch, &n);
		if (e)
			return e;
		for (size_t i = 0; i < n; i++) {
			struct kt_dw_die s;

			if ((e = kt_dw_die_get(dw, ch[i], &s))) {
				free(ch);
				return e;
			}
			if (s.tag != KT_DW_TAG_subrange_type)
				continue;
			if (s.has_count)
				kt_strbuf_addf(sb, "[%llu]", (unsigned long long)s.count);
			else
				kt_strbuf_adds(sb, "[]");
		}
		free(ch);
		return NULL;
	}
	case KT_DW_TAG_subroutine_type:
		kt_strbuf_adds(sb, "function");
		return NULL;
	default:
		kt_strbuf_adds(sb, d.name ? d.name : "?");
		return NULL;
	}
}

struct kt_error *kt_dwtype_name(struct kt_dw *dw, uint64_t type_die, char **out)
{
	struct kt_strbuf sb;
	struct kt_error *e;

	kt_strbuf_init(&sb);
	e = type_name_rec(dw, type_die, 0, &sb);
	if (e) {
		kt_strbuf_fini(&sb);
		*out = NULL;
		return e;
	}
	*out = kt_strbuf_detach(&sb);
	return NULL;
}

/* Through typedefs and qualifiers to the type that has a layout. */
static struct kt_error *strip(struct kt_dw *dw, uint64_t off, struct kt_dw_die *d)
{
	for (int i = 0; i < 32; i++) {
		struct kt_error *e = kt_dw_die_get(dw, off, d);

		if (e)
			return e;
		if (d->tag != KT_DW_TAG_typedef && d->tag != KT_DW_TAG_const_type &&
		    d->tag != KT_DW_TAG_volatile_type && d->tag != KT_DW_TAG_restrict_type &&
		    d->tag != KT_DW_TAG_atomic_type)
			return NULL;
		if (!d->has_type)
			return NULL; /* const void */
		off = d->type;
	}
	return kt_error_new(KT_ERR_PARSE, NULL, 0, "corrupt DWARF: typedef loop");
}

static struct kt_error *type_size(struct kt_dw *dw, uint64_t off, uint64_t *size);

struct kt_error *kt_dwtype_size(struct kt_dw *dw, uint64_t type_die, uint64_t *size)
{
	return type_size(dw, type_die, size);
}

struct kt_error *kt_type_pointee(struct kt_dw *dw, uint64_t type_die, uint64_t *target, bool *decl)
{
	struct kt_dw_die d;
	struct kt_error *e = strip(dw, type_die, &d);

	*target = 0;
	*decl = false;
	if (e || d.tag != KT_DW_TAG_pointer_type || !d.has_type)
		return e;
	if ((e = strip(dw, d.type, &d)))
		return e;
	if (d.tag == KT_DW_TAG_structure_type || d.tag == KT_DW_TAG_union_type) {
		*target = d.off;
		*decl = d.declaration;
	}
	return NULL;
}

/* Element type and count of an array (first dimension; inner dimensions are
 * folded into the element size). */
static struct kt_error *array_info(struct kt_dw *dw, const struct kt_dw_die *a, uint64_t *count,
				   uint64_t *esize)
{
	uint64_t *ch = NULL;
	size_t n = 0;
	uint64_t counts[8];
	size_t nd = 0;
	struct kt_error *e;

	*count = 0;
	*esize = 0;
	if (!a->has_type)
		return NULL;
	e = kt_dw_die_children(dw, a->off, &ch, &n);
	if (e)
		return e;
	for (size_t i = 0; i < n && nd < 8; i++) {
		struct kt_dw_die s;

		if ((e = kt_dw_die_get(dw, ch[i], &s))) {
			free(ch);
			return e;
		}
		if (s.tag == KT_DW_TAG_subrange_type)
			counts[nd++] = s.has_count ? s.count : 0;
	}
	free(ch);
	e = type_size(dw, a->type, esize);
	if (e)
		return e;
	for (size_t i = 1; i < nd; i++)
		*esize *= counts[i];
	*count = nd ? counts[0] : 0;
	return NULL;
}

static struct kt_error *type_size(struct kt_dw *dw, uint64_t off, uint64_t *size)
{
	struct kt_dw_die d;
	struct kt_error *e = strip(dw, off, &d);

	*size = 0;
	if (e)
		return e;
	if (d.has_byte_size) {
		*size = d.byte_size;
		return NULL;
	}
	if (d.tag == KT_DW_TAG_pointer_type) {
		*size = 8;
		return NULL;
	}
	if (d.tag == KT_DW_TAG_array_type) {
		uint64_t c, es;

		e = array_info(dw, &d, &c, &es);
		*size = c * es;
		return e;
	}
	return NULL;
}

/* Kind of a type: the table's word for the first name met through typedefs
 * and qualifiers, else its shape. */
static struct kt_error *type_kind(struct kt_dw *dw, const struct kt_types *t, uint64_t off,
				  char **kind, bool *from_table)
{
	struct kt_error *e;
	struct kt_dw_die d;

	*kind = NULL;
	*from_table = false;
	for (int i = 0; i < 32; i++) {
		char *name = NULL;
		const char *k;

		e = kt_dwtype_name(dw, off, &name);
		if (e)
			return e;
		k = kt_types_lookup(t, name);
		free(name);
		if (k) {
			*kind = kt_xstrdup(k);
			*from_table = true;
			return NULL;
		}
		e = kt_dw_die_get(dw, off, &d);
		if (e)
			return e;
		if ((d.tag == KT_DW_TAG_typedef || d.tag == KT_DW_TAG_const_type ||
		     d.tag == KT_DW_TAG_volatile_type || d.tag == KT_DW_TAG_atomic_type ||
		     d.tag == KT_DW_TAG_restrict_type) &&
		    d.has_type) {
			off = d.type;
			continue;
		}
		break;
	}
	switch (d.tag) {
	case KT_DW_TAG_pointer_type:
		*kind = kt_xstrdup("pointer");
		break;
	case KT_DW_TAG_base_type:
		*kind = kt_xstrdup(d.name && strcmp(d.name, "_Bool") == 0 ? "bool" : "integer");
		break;
	case KT_DW_TAG_enumeration_type:
		*kind = kt_xstrdup("integer");
		break;
	case KT_DW_TAG_array_type:
		*kind = kt_xstrdup("array");
		break;
	case KT_DW_TAG_structure_type:
		*kind = kt_xstrdup("struct");
		break;
	case KT_DW_TAG_union_type:
		*kind = kt_xstrdup("union");
		break;
	default:
		*kind = kt_xstrdup("other");
		break;
	}
	return NULL;
}

/* A member of a struct or union, with its position in bits. */
struct member {
	const char *name;
	uint64_t type;
	uint64_t byte_off; /* start of the bytes it touches */
	uint64_t byte_len;
	bool bitfield;
	uint64_t bit_off, bit_size; /* from the start of the struct */
	uint64_t unit;		    /* storage unit size in bytes (bitfields) */
};

static struct kt_error *members_of(struct kt_dw *dw, uint64_t off, struct member **out, size_t *n)
{
	uint64_t *ch = NULL;
	size_t nch = 0;
	struct kt_error *e = kt_dw_die_children(dw, off, &ch, &nch);

	*out = NULL;
	*n = 0;
	if (e)
		return e;
	*out = kt_xcalloc(nch + 1, sizeof(**out));
	for (size_t i = 0; i < nch; i++) {
		struct kt_dw_die m;
		struct member *mm = &(*out)[*n];
		uint64_t tsize = 0;

		if ((e = kt_dw_die_get(dw, ch[i], &m)))
			break;
		if (m.tag != KT_DW_TAG_member || !m.has_type)
			continue;
		if ((e = type_size(dw, m.type, &tsize)))
			break;
		mm->name = m.name;
		mm->type = m.type;
		if (m.has_bit_size) {
			uint64_t unit = m.has_byte_size ? m.byte_size : tsize;
			uint64_t bit;

			if (m.has_data_bit_offset)
				bit = m.data_bit_offset;
			else if (m.has_bit_offset) /* DWARF 2/3: counted from the MSB */
				bit = (m.has_member_loc ? m.member_loc : 0) * 8 + unit * 8 -
				      m.bit_offset - m.bit_size;
			else
				bit = (m.has_member_loc ? m.member_loc : 0) * 8;
			mm->bitfield = true;
			mm->bit_off = bit;
			mm->bit_size = m.bit_size;
			mm->unit = unit ? unit : 1;
			mm->byte_off = bit / 8;
			mm->byte_len = (bit + m.bit_size + 7) / 8 - bit / 8;
		} else {
			mm->byte_off = m.has_member_loc ? m.member_loc : 0;
			mm->byte_len = tsize;
			mm->bit_off = mm->byte_off * 8;
			mm->bit_size = tsize * 8;
		}
		(*n)++;
	}
	free(ch);
	if (e) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return e;
}

static bool bitfield_shared(const struct member *ms, size_t n, const struct member *m)
{
	uint64_t ubits = m->unit * 8;
	uint64_t ustart = (m->bit_off / ubits) * ubits;

	for (size_t i = 0; i < n; i++) {
		const struct member *o = &ms[i];

		if (o == m || !o->bitfield)
			continue;
		if (o->bit_off < ustart + ubits && o->bit_off + o->bit_size > ustart)
			return true;
	}
	return false;
}

static void path_add(struct kt_strbuf *sb, const char *name)
{
	if (!name)
		return; /* anonymous struct or union: no path component */
	if (sb->len)
		kt_strbuf_addc(sb, '.');
	kt_strbuf_adds(sb, name);
}

static struct kt_error *finish(struct kt_dw *dw, const struct kt_types *t, uint64_t cur_type,
			       const char *table_kind, struct kt_member_info *out)
{
	struct kt_error *e;
	bool from_table = false;

	e = kt_dwtype_name(dw, cur_type, &out->type);
	if (!e)
		e = type_kind(dw, t, cur_type, &out->kind, &from_table);
	if (!e && table_kind && !from_table) {
		/* Inside a kernel type the table knows (a list_head's next): the
		 * enclosing kind says more than "pointer". */
		free(out->kind);
		out->kind = kt_xstrdup(table_kind);
	}
	return e;
}

struct kt_error *kt_layout_at(struct kt_dw *dw, const struct kt_types *t, uint64_t type_die,
			      uint64_t off, uint64_t size, struct kt_member_info *out)
{
	struct kt_strbuf path;
	struct kt_error *e;
	uint64_t cur = type_die, base = 0;
	char *table_kind = NULL;
	bool anon = false; /* cur was reached through a member without a name */

	memset(out, 0, sizeof(*out));
	if (size == 0)
		size = 1;
	kt_strbuf_init(&path);
	e = kt_dwtype_name(dw, type_die, &out->container);
	for (int depth = 0; !e && depth < 64; depth++) {
		struct kt_dw_die d;
		bool tk = false;
		char *k = NULL;

		if ((e = type_kind(dw, t, cur, &k, &tk)))
			break;
		if (tk && depth > 0 && !table_kind)
			table_kind = kt_xstrdup(k); /* the outermost kernel type wins */
		free(k);
		if ((e = strip(dw, cur, &d)))
			break;
		if (d.tag == KT_DW_TAG_array_type) {
			uint64_t count, es;

			if ((e = array_info(dw, &d, &count, &es)))
				break;
			if (es == 0 || off / es >= (count ? count : UINT64_MAX) ||
			    (off % es) + size > es)
				break;
			kt_strbuf_addf(&path, "[%llu]", (unsigned long long)(off / es));
			base += (off / es) * es;
			off %= es;
			cur = d.type;
			continue;
		}
		if (d.tag != KT_DW_TAG_structure_type && d.tag != KT_DW_TAG_union_type)
			break;
		struct member *ms = NULL;
		size_t n = 0;
		const struct member *hit = NULL;
		size_t nhit = 0;

		if ((e = members_of(dw, d.off, &ms, &n)))
			break;
		for (size_t i = 0; i < n; i++) {
			const struct member *m = &ms[i];

			if (off < m->byte_off + m->byte_len && off + size > m->byte_off) {
				nhit++;
				if (!hit)
					hit = m;
			}
		}
		/* In an anonymous union every member holding the access is the
		 * same bytes under another name: the first one names them
		 * (inode's i_nlink, not its nameless union). */
		if (hit && nhit > 1 && !hit->bitfield && anon && d.tag == KT_DW_TAG_union_type &&
		    off >= hit->byte_off && off + size <= hit->byte_off + hit->byte_len)
			nhit = 1;
		if (!hit || (nhit > 1 && !hit->bitfield) ||
		    (!hit->bitfield &&
		     (off < hit->byte_off || off + size > hit->byte_off + hit->byte_len))) {
			free(ms);
			break; /* the access spans several members: stop at the container */
		}
		if (hit->bitfield) {
			path_add(&path, hit->name);
			out->bitfield = true;
			out->bit_offset = base * 8 + hit->bit_off;
			out->bit_size = hit->bit_size;
			out->bitfield_shared = nhit > 1 || bitfield_shared(ms, n, hit);
			out->offset = base + hit->byte_off;
			out->size = hit->byte_len;
			cur = hit->type;
			free(ms);
			out->path = kt_strbuf_detach(&path);
			e = finish(dw, t, cur, table_kind, out);
			free(table_kind);
			return e;
		}
		path_add(&path, hit->name);
		anon = hit->name == NULL;
		base += hit->byte_off;
		off -= hit->byte_off;
		cur = hit->type;
		free(ms);
	}
	if (e) {
		kt_strbuf_fini(&path);
		free(table_kind);
		kt_member_info_fini(out);
		return e;
	}
	out->offset = base;
	type_size(dw, cur, &out->size);
	out->path = kt_strbuf_detach(&path);
	e = finish(dw, t, cur, table_kind, out);
	free(table_kind);
	return e;
}

struct kt_error *kt_layout_member(struct kt_dw *dw, const struct kt_types *t, uint64_t type_die,
				  const char *mpath, struct kt_member_info *out)
{
	uint64_t cur = type_die, base = 0;
	int steps = 0;
	const char *p = mpath;
	struct kt_error *e = NULL;
	char *table_kind = NULL;
	struct kt_strbuf path;

	memset(out, 0, sizeof(*out));
	kt_strbuf_init(&path);
	e = kt_dwtype_name(dw, type_die, &out->container);
	/* As deep as kt_layout_at descends, no deeper: each step reads a
	 * struct's children, and a hostile DWARF nests thousands deep. */
	for (const char *q = mpath; !e && *q; q++)
		if (*q == '.' && ++steps >= 64)
			e = kt_error_new(KT_ERR_LIMIT, NULL, 0,
					 "member path with more than 64 components");
	while (!e && *p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		struct kt_dw_die d;
		struct member *ms = NULL;
		size_t n = 0;
		const struct member *hit = NULL;

		if ((e = strip(dw, cur, &d)))
			break;
		if (d.tag != KT_DW_TAG_structure_type && d.tag != KT_DW_TAG_union_type) {
			e = kt_error_new(KT_ERR_USAGE, NULL, 0,
					 "%s: '%.*s' is not in a struct or union", mpath, (int)len,
					 p);
			break;
		}
		if ((e = members_of(dw, d.off, &ms, &n)))
			break;
		for (size_t i = 0; i < n && !hit; i++)
			if (ms[i].name && strlen(ms[i].name) == len &&
			    strncmp(ms[i].name, p, len) == 0)
				hit = &ms[i];
		if (!hit) {
			free(ms);
			e = kt_error_new(KT_ERR_USAGE, NULL, 0, "no member '%.*s' in %s", (int)len,
					 p, out->container ? out->container : "the type");
			break;
		}
		path_add(&path, hit->name);
		if (!dot) {
			out->offset = base + hit->byte_off;
			out->size = hit->byte_len;
			if (hit->bitfield) {
				out->bitfield = true;
				out->bit_offset = base * 8 + hit->bit_off;
				out->bit_size = hit->bit_size;
				out->bitfield_shared = bitfield_shared(ms, n, hit);
			}
		}
		base += hit->byte_off;
		cur = hit->type;
		free(ms);
		if (dot) {
			/* a listed kernel type on the way names the kind */
			char *k = NULL;
			bool tk = false;

			if ((e = type_kind(dw, t, cur, &k, &tk)))
				break;
			if (tk && !table_kind)
				table_kind = k;
			else
				free(k);
			p = dot + 1;
		} else {
			p += len;
		}
	}
	if (e) {
		kt_strbuf_fini(&path);
		free(table_kind);
		kt_member_info_fini(out);
		return e;
	}
	if (path.len == 0)
		type_size(dw, cur, &out->size);
	out->path = kt_strbuf_detach(&path);
	e = finish(dw, t, cur, table_kind, out);
	free(table_kind);
	return e;
}
