/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage 5, verdict: runs the optional layers over one report, collects their
 * facts, evaluates the rules, and gives one result per report. This is the
 * library entry point; the CLI is a thin shell around it.
 */
#ifndef KCSAN_TRIAGE_H
#define KCSAN_TRIAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "kcsan/error.h"
#include "kcsan/facts.h"
#include <pthread.h>

#include "kcsan/report.h"
#include "kcsan/rules.h"

struct kt_census_result;

struct kt_triage_opts {
	const char *rules_dir;	      /* NULL: the installed/shipped rules */
	const char *vmlinux;	      /* NULL: no binary layer */
	const char *src_dir;	      /* NULL: no source layer */
	const char *compile_commands; /* NULL: <src_dir>/compile_commands.json if present */
	const char *cache_dir;	      /* NULL: $XDG_CACHE_HOME/kcsan-triage */
	bool no_cache;
	/* Several kernel trees (nsrc_dirs > 0: src_dir is not read): each report
	 * is read against the tree nearest its kernel (kt_tree_nearest); a report
	 * that names no kernel version uses the first. compile_commands, when
	 * given, belongs to the first tree. */
	const char *const *src_dirs;
	size_t nsrc_dirs;
	/* A --src tree that is a git repository's work tree is read at each
	 * report's own revision (kt_rev_refs), or at rev when given, from the
	 * object store; the work tree when the repository lacks it. */
	const char *rev;
	/* With min_confidence_set, decisions below min_confidence become unknown
	 * with a lean (kt_ruleset_set_min_confidence); else the rule set's
	 * default applies: medium (a low-confidence decision is a guess). */
	enum kt_confidence min_confidence;
	bool min_confidence_set;
	/* Check mode (tests): a stage writing a fact that the fact catalogue
	 * (facts.tbl of the rule directory) does not list fails the report's
	 * classification with an error naming the fact. */
	bool check_facts;
	/* No census of the object across the tree (--no-census). */
	bool no_census;
	/* Held around the binary stage when several triages of one process
	 * run at once (a batch's workers): libdwarf 20210528 shares state
	 * between its handles (dwarf_srcfiles). NULL: one triage at a time. */
	pthread_mutex_t *binary_lock;
	/* Held while a triage opens a tree's census index, when several run
	 * at once: the first builds a missing index and writes it to the cache,
	 * the others then read it instead of building it again. NULL: none. */
	pthread_mutex_t *census_lock;
};

/* What one layer said about one report that the user should know
 * (a mismatch, a fallback, a parse failure), kept in the result. */
struct kt_note {
	char *stage; /* "report", "vmlinux", "source", "rules" */
	char *text;
};

struct kt_triage_result {
	const struct kt_report *report; /* borrowed */
	struct kt_facts *facts;
	struct kt_rule_result rules;
	unsigned inputs; /* OR of enum kt_fact_origin actually used */
	struct kt_note *notes;
	size_t nnotes;
	/* Set by a caller that applies a baseline of accepted races: why this
	 * one is accepted and by whom (borrowed); NULL otherwise. */
	const char *baseline_reason;
	const char *baseline_by;
	/* The kernel tree the source layer read for this report (borrowed from
	 * the triage), and why that one; NULL without --src. */
	const char *source_dir;
	char *source_choice;
	/* The revision the source layer read (a commit id, 40 hex) and where
	 * it came from (kt_rev_ref.from, or "option"); NULL when it read a
	 * tree on disk. */
	char *source_rev;
	const char *source_rev_from;
	/* How the whole tree accesses the object (--src, the object known);
	 * NULL otherwise. */
	struct kt_census_result *census;
};

struct kt_triage;

struct kt_error *kt_triage_new(const struct kt_triage_opts *opts, struct kt_triage **out);
void kt_triage_free(struct kt_triage *t);
/* Classify one report. The report must outlive the result. */
struct kt_error *kt_triage_classify(struct kt_triage *t, const struct kt_report *rep,
				    struct kt_triage_result **out);
/* The same; kernel names the report's kernel release when the report itself
 * does not (a labeled corpus's column), to choose among several trees. */
struct kt_error *kt_triage_classify_with(struct kt_triage *t, const struct kt_report *rep,
					 const char *kernel, struct kt_triage_result **out);
void kt_triage_result_free(struct kt_triage_result *res);

/*
 * Choosing a tree. A kernel release ("6.8.0-syzkaller-08073-g480e035fc4c7",
 * "5.4.0-rc3+", "v6.1.111") gives its major and minor numbers; anything else
 * ("syzkaller", a commit id) is no version.
 */
bool kt_kernel_version_parse(const char *release, int *major, int *minor);
/* The version of the tree at dir, from its top Makefile (VERSION,
 * PATCHLEVEL, SUBLEVEL); an error names the file when it has none. */
struct kt_error *kt_tree_version_read(const char *dir, int *major, int *minor, int *sublevel);
/* Releases between two versions, counting 20 minor releases per major
 * number (3.19 -> 4.0 -> ... 5.19 -> 6.0 as the kernel numbered them). */
int kt_version_distance(int major1, int minor1, int major2, int minor2);
/* How far a tree of version tree_major.tree_minor is from a report's kernel
 * major.minor: the distance in releases, one less for a tree newer than the
 * report (it carries the code the report ran, moved, and what resolved it). */
int kt_tree_distance(int tree_major, int tree_minor, int major, int minor);
/* Index of the tree (versions[i] = {major, minor}) nearest (major, minor);
 * by kt_tree_distance(); a tie goes to the newer tree, equal versions to the
 * first given. */
size_t kt_tree_nearest(const int (*versions)[2], size_t n, int major, int minor);

/*
 * The revisions a report names, in the order to try: a syzbot mail's HEAD
 * commit (commit), then from each release (the report's kernel, then a
 * labeled corpus's column) the -gHASH commit, a linux-next tag, a plain
 * release's tag (6.8.0 -> v6.8, 6.8.0-rc3 -> v6.8-rc3, 6.1.111 -> v6.1.111).
 */
#define KT_REV_REFS_MAX 8
struct kt_rev_ref {
	char name[48];	  /* a commit id or a tag name */
	const char *kind; /* "commit" or "tag" */
	const char *from; /* head-commit, report-hash, next-tag, release-tag */
};
size_t kt_rev_refs(const char *commit, const char *const *releases, size_t nreleases,
		   struct kt_rev_ref out[KT_REV_REFS_MAX]);

/* Fill the report-only facts (stage 1's contribution). Exposed for tests. */
void kt_report_facts(const struct kt_report *rep, struct kt_facts *facts);

#endif
