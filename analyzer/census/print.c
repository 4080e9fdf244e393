// SPDX-License-Identifier: Apache-2.0
/* A census as text for people and as one JSON object (census.h). */
#include <stdio.h>
#include <string.h>

#include "kcsan/census.h"

static const char *const use_names[] = {"output",    "test",   "deref",	   "index",
					"size",	     "stored", "returned", "passed",
					"discarded", "other",  "decide"};

const char *kt_census_use_name(unsigned bit)
{
	for (unsigned i = 0; i < sizeof(use_names) / sizeof(use_names[0]); i++)
		if (bit == 1u << i)
			return use_names[i];
	return "?";
}

const char *kt_census_access_name(enum kt_census_access a)
{
	switch (a) {
	case KT_CA_READ:
		return "read";
	case KT_CA_WRITE:
		return "write";
	case KT_CA_RMW:
		return "rmw";
	case KT_CA_ADDR:
		return "address";
	}
	return "?";
}

static const char *path_name(enum kt_census_path p)
{
	return p == KT_CP_INIT ? "init" : p == KT_CP_TEARDOWN ? "teardown" : "shared";
}

static void uses_text(unsigned use, struct kt_strbuf *sb)
{
	bool first = true;

	if (!use) {
		kt_strbuf_adds(sb, "-");
		return;
	}
	for (unsigned i = 0; i < sizeof(use_names) / sizeof(use_names[0]); i++)
		if (use & (1u << i)) {
			kt_strbuf_addf(sb, "%s%s", first ? "" : ",", use_names[i]);
			first = false;
		}
}

static void locks_text(const struct kt_census_lockcount *lc, size_t n, size_t of,
		       struct kt_strbuf *sb)
{
	if (!n) {
		kt_strbuf_adds(sb, "no lock");
		return;
	}
	for (size_t i = 0; i < n; i++)
		kt_strbuf_addf(sb, "%s%s %zu/%zu", i ? ", " : "", lc[i].lock, lc[i].k, of);
}

static void site_text(const struct kt_census_site *s, struct kt_strbuf *sb)
{
	kt_strbuf_addf(sb, "  %s:%u %s: %s %s", s->file, s->line, s->func ? s->func : "?",
		       kt_census_access_name(s->access), s->marking ? s->marking : "plain");
	kt_strbuf_adds(sb, " [");
	for (size_t i = 0; i < s->nlocks; i++)
		kt_strbuf_addf(sb, "%s%s%s", i ? ", " : "", s->locks[i].name,
			       s->callers_hold && i + 1 == s->nlocks ? " (by every caller)" : "");
	kt_strbuf_adds(sb, "]");
	if (s->path != KT_CP_SHARED)
		kt_strbuf_addf(sb, " %s (%s)", path_name(s->path), s->path_why ? s->path_why : "");
	if (s->access == KT_CA_READ) {
		kt_strbuf_adds(sb, " use=");
		uses_text(s->use, sb);
		if (s->use_call)
			kt_strbuf_addf(sb, "(%s)", s->use_call);
	}
	if (s->access == KT_CA_WRITE && s->value)
		kt_strbuf_addf(sb, " value=%s%s%s", s->value, s->store_const ? " const" : "",
			       s->store_from_zero ? " from-zero" : "");
	if (s->recheck_lock)
		kt_strbuf_addf(sb, " rechecked-under=%s", s->recheck_lock);
	if (s->by_unique_member)
		kt_strbuf_adds(sb, " (by member name)");
	kt_strbuf_addf(sb, "\n      %s\n", s->text ? s->text : "");
}

void kt_census_result_text(const struct kt_census_result *r, bool all_sites, struct kt_strbuf *sb)
{
	kt_strbuf_addf(sb, "census of %s\n", r->object);
	if (r->rev)
		kt_strbuf_addf(sb, "  read at revision %s\n", r->rev);
	if (r->owner)
		kt_strbuf_addf(sb, "  definitions of %s: %zu; member name declared by %s\n",
			       r->owner, r->definitions,
			       r->owners_of_member == 1 ? "this struct only" : "several structs");
	kt_strbuf_addf(sb,
		       "  sites: %zu (%zu writers, %zu readers, %zu address taken) in %zu "
		       "functions read; %zu marked, %zu on init/teardown paths, %zu unresolved\n",
		       r->nsites, r->nwriters, r->nreaders, r->naddr, r->units_scanned, r->nmarked,
		       r->ninit, r->nunresolved);
	if (r->units_skipped)
		kt_strbuf_addf(
		    sb, "  not read: %zu functions naming the member but nothing of %s's type\n",
		    r->units_skipped, r->owner ? r->owner : "its");
	kt_strbuf_addf(sb, "  writers (%zu shared): ", r->writer_n);
	locks_text(r->writer_locks, r->nwriter_locks, r->writer_n, sb);
	kt_strbuf_addf(sb, "\n  readers (%zu shared): ", r->reader_n);
	locks_text(r->reader_locks, r->nreader_locks, r->reader_n, sb);
	kt_strbuf_addf(sb, "\n  marked: %zu of %zu accesses\n", r->nmarked, r->nsites);
	for (size_t i = 0; i < r->ndeviants; i++) {
		const struct kt_census_deviant *d = &r->deviants[i];
		const struct kt_census_site *s = &r->sites[d->site];

		kt_strbuf_addf(
		    sb, "  deviant writer: %s:%u %s without %s (held by %zu of %zu writers)\n",
		    s->file, s->line, s->func ? s->func : "?", d->lock, d->k, d->n);
	}
	kt_strbuf_addf(sb, "  set once: %s%s%s%s\n", r->set_once ? "yes" : "no",
		       r->set_once_why ? " (" : "", r->set_once_why ? r->set_once_why : "",
		       r->set_once_why ? ")" : "");
	kt_strbuf_adds(sb, "  readers' use: ");
	uses_text(r->reader_use, sb);
	kt_strbuf_addf(sb, "; in functions that do not write it: %zu reads, use ",
		       r->noutside_reads);
	uses_text(r->outside_use, sb);
	kt_strbuf_adds(sb, "\n");
	if (r->bitfield) {
		kt_strbuf_addf(sb, "  bitfield (%d bits)%s; its memory location holds:\n", r->width,
			       r->clobber ? ", CLOBBER: a neighbour is written under another lock"
					  : "");
		for (size_t i = 0; i < r->nneighbours; i++) {
			const struct kt_census_neighbour *nb = &r->neighbours[i];

			kt_strbuf_addf(sb, "    %s:%d, %zu shared writers: ", nb->member, nb->width,
				       nb->nwriters);
			locks_text(nb->locks, nb->nlocks, nb->nwriters, sb);
			if (nb->clobber)
				kt_strbuf_addf(sb, "; %s and %s hold no common lock",
					       nb->clobber_site, nb->object_site);
			kt_strbuf_adds(sb, "\n");
		}
	}
	if (all_sites) {
		kt_strbuf_adds(sb, "  sites:\n");
		for (size_t i = 0; i < r->nsites; i++)
			site_text(&r->sites[i], sb);
		for (size_t i = 0; i < r->nunresolved_listed; i++)
			kt_strbuf_addf(sb, "  unresolved: %s:%u %s\n", r->unresolved[i].file,
				       r->unresolved[i].line, r->unresolved[i].func);
	}
}

static void key(struct kt_strbuf *sb, const char *k, bool *first)
{
	kt_strbuf_addf(sb, "%s\"%s\":", *first ? "" : ",", k);
	*first = false;
}

static void str_or_null(struct kt_strbuf *sb, const char *s)
{
	if (s)
		kt_strbuf_add_json_str(sb, s);
	else
		kt_strbuf_adds(sb, "null");
}

static void uses_json(unsigned use, struct kt_strbuf *sb)
{
	bool first = true;

	kt_strbuf_adds(sb, "[");
	for (unsigned i = 0; i < sizeof(use_names) / sizeof(use_names[0]); i++)
		if (use & (1u << i)) {
			kt_strbuf_addf(sb, "%s\"%s\"", first ? "" : ",", use_names[i]);
			first = false;
		}
	kt_strbuf_adds(sb, "]");
}

static void locks_json(const struct kt_census_lockcount *lc, size_t nlc, size_t n,
		       struct kt_strbuf *sb)
{
	kt_strbuf_addf(sb, "{\"n\":%zu,\"locks\":[", n);
	for (size_t i = 0; i < nlc; i++) {
		kt_strbuf_addf(sb, "%s{\"lock\":", i ? "," : "");
		kt_strbuf_add_json_str(sb, lc[i].lock);
		kt_strbuf_addf(sb, ",\"k\":%zu}", lc[i].k);
	}
	kt_strbuf_adds(sb, "]}");
}

static void site_json(const struct kt_census_site *s, struct kt_strbuf *sb)
{
	bool f = true;

	kt_strbuf_adds(sb, "{");
	key(sb, "file", &f);
	kt_strbuf_add_json_str(sb, s->file);
	key(sb, "line", &f);
	kt_strbuf_addf(sb, "%u", s->line);
	key(sb, "function", &f);
	str_or_null(sb, s->func);
	key(sb, "access", &f);
	kt_strbuf_addf(sb, "\"%s\"", kt_census_access_name(s->access));
	key(sb, "marking", &f);
	str_or_null(sb, s->marking);
	key(sb, "locks", &f);
	kt_strbuf_adds(sb, "[");
	for (size_t i = 0; i < s->nlocks; i++) {
		kt_strbuf_addf(sb, "%s{\"name\":", i ? "," : "");
		kt_strbuf_add_json_str(sb, s->locks[i].name);
		kt_strbuf_adds(sb, ",\"mode\":");
		kt_strbuf_add_json_str(sb, s->locks[i].mode);
		kt_strbuf_adds(sb, "}");
	}
	kt_strbuf_adds(sb, "]");
	key(sb, "path", &f);
	kt_strbuf_addf(sb, "\"%s\"", path_name(s->path));
	key(sb, "path_why", &f);
	str_or_null(sb, s->path_why);
	key(sb, "use", &f);
	uses_json(s->use, sb);
	key(sb, "use_call", &f);
	str_or_null(sb, s->use_call);
	key(sb, "value", &f);
	str_or_null(sb, s->value);
	key(sb, "store_const", &f);
	kt_strbuf_adds(sb, s->store_const ? "true" : "false");
	key(sb, "store_from_zero", &f);
	kt_strbuf_adds(sb, s->store_from_zero ? "true" : "false");
	key(sb, "rechecked_under", &f);
	str_or_null(sb, s->recheck_lock);
	key(sb, "by_unique_member", &f);
	kt_strbuf_adds(sb, s->by_unique_member ? "true" : "false");
	key(sb, "in_macro", &f);
	kt_strbuf_adds(sb, s->in_macro ? "true" : "false");
	key(sb, "callers_hold_last_lock", &f);
	kt_strbuf_adds(sb, s->callers_hold ? "true" : "false");
	key(sb, "text", &f);
	str_or_null(sb, s->text);
	kt_strbuf_adds(sb, "}");
}

void kt_census_result_json(const struct kt_census_result *r, struct kt_strbuf *sb)
{
	bool f = true;

	kt_strbuf_adds(sb, "{");
	key(sb, "object", &f);
	str_or_null(sb, r->object);
	key(sb, "owner", &f);
	str_or_null(sb, r->owner);
	key(sb, "rev", &f);
	str_or_null(sb, r->rev);
	key(sb, "definitions", &f);
	kt_strbuf_addf(sb, "%zu", r->definitions);
	key(sb, "member_name_unique", &f);
	kt_strbuf_adds(sb, r->owners_of_member == 1 ? "true" : "false");
	key(sb, "sites", &f);
	kt_strbuf_addf(sb, "%zu", r->nsites);
	key(sb, "writers", &f);
	kt_strbuf_addf(sb, "%zu", r->nwriters);
	key(sb, "readers", &f);
	kt_strbuf_addf(sb, "%zu", r->nreaders);
	key(sb, "address_taken", &f);
	kt_strbuf_addf(sb, "%zu", r->naddr);
	key(sb, "marked", &f);
	kt_strbuf_addf(sb, "%zu", r->nmarked);
	key(sb, "init_or_teardown", &f);
	kt_strbuf_addf(sb, "%zu", r->ninit);
	key(sb, "unresolved", &f);
	kt_strbuf_addf(sb, "%zu", r->nunresolved);
	key(sb, "functions_read", &f);
	kt_strbuf_addf(sb, "%zu", r->units_scanned);
	key(sb, "functions_not_read", &f);
	kt_strbuf_addf(sb, "%zu", r->units_skipped);
	key(sb, "writers_locked_by", &f);
	locks_json(r->writer_locks, r->nwriter_locks, r->writer_n, sb);
	key(sb, "readers_locked_by", &f);
	locks_json(r->reader_locks, r->nreader_locks, r->reader_n, sb);
	key(sb, "deviants", &f);
	kt_strbuf_adds(sb, "[");
	for (size_t i = 0; i < r->ndeviants; i++) {
		const struct kt_census_deviant *d = &r->deviants[i];
		const struct kt_census_site *s = &r->sites[d->site];

		kt_strbuf_addf(sb, "%s{\"file\":", i ? "," : "");
		kt_strbuf_add_json_str(sb, s->file);
		kt_strbuf_addf(sb, ",\"line\":%u,\"function\":", s->line);
		str_or_null(sb, s->func);
		kt_strbuf_adds(sb, ",\"lock\":");
		kt_strbuf_add_json_str(sb, d->lock);
		kt_strbuf_addf(sb, ",\"k\":%zu,\"n\":%zu}", d->k, d->n);
	}
	kt_strbuf_adds(sb, "]");
	key(sb, "set_once", &f);
	kt_strbuf_adds(sb, r->set_once ? "true" : "false");
	key(sb, "set_once_why", &f);
	str_or_null(sb, r->set_once_why);
	key(sb, "reader_use", &f);
	uses_json(r->reader_use, sb);
	key(sb, "outside_reads", &f);
	kt_strbuf_addf(sb, "%zu", r->noutside_reads);
	key(sb, "outside_use", &f);
	uses_json(r->outside_use, sb);
	key(sb, "bitfield", &f);
	if (!r->bitfield) {
		kt_strbuf_adds(sb, "null");
	} else {
		kt_strbuf_addf(sb, "{\"width\":%d,\"clobber\":%s,\"neighbours\":[", r->width,
			       r->clobber ? "true" : "false");
		for (size_t i = 0; i < r->nneighbours; i++) {
			const struct kt_census_neighbour *nb = &r->neighbours[i];

			kt_strbuf_addf(sb, "%s{\"member\":", i ? "," : "");
			kt_strbuf_add_json_str(sb, nb->member);
			kt_strbuf_addf(sb, ",\"width\":%d,\"writers_locked_by\":", nb->width);
			locks_json(nb->locks, nb->nlocks, nb->nwriters, sb);
			kt_strbuf_addf(sb, ",\"clobber\":%s,\"clobber_site\":",
				       nb->clobber ? "true" : "false");
			str_or_null(sb, nb->clobber_site);
			kt_strbuf_adds(sb, ",\"object_site\":");
			str_or_null(sb, nb->object_site);
			kt_strbuf_adds(sb, "}");
		}
		kt_strbuf_adds(sb, "]}");
	}
	key(sb, "site_list", &f);
	kt_strbuf_adds(sb, "[");
	for (size_t i = 0; i < r->nsites; i++) {
		if (i)
			kt_strbuf_adds(sb, ",");
		site_json(&r->sites[i], sb);
	}
	kt_strbuf_adds(sb, "]");
	key(sb, "unresolved_sites", &f);
	kt_strbuf_adds(sb, "[");
	for (size_t i = 0; i < r->nunresolved_listed; i++) {
		kt_strbuf_addf(sb, "%s{\"file\":", i ? "," : "");
		kt_strbuf_add_json_str(sb, r->unresolved[i].file);
		kt_strbuf_addf(sb, ",\"line\":%u,\"function\":", r->unresolved[i].line);
		str_or_null(sb, r->unresolved[i].func);
		kt_strbuf_adds(sb, "}");
	}
	kt_strbuf_adds(sb, "]}");
}
