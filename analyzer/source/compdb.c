// SPDX-License-Identifier: Apache-2.0
/*
 * Compile flags for one kernel source file: the tree's compile_commands.json
 * read with libclang's compilation database, cleaned of the gcc-only flags
 * clang rejects and mapped onto the tree we were given; or, without a
 * database, the usual kernel flags derived from the tree. Nothing here runs a
 * command: the arguments are only handed to the libclang parser.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clang.h"
#include "internal.h"
#include "kcsan/strbuf.h"

struct kt_compdb {
	char *src_dir;
	char *dir;		  /* directory of the database; NULL: derived flags */
	char *name;		  /* the database file; NULL without one */
	bool opened;		  /* libclang has been asked to read it */
	CXCompilationDatabase db; /* NULL: derived flags */
	char *db_root;		  /* directory the database names (the build machine's tree) */
	char *problem;		  /* why it could not be read, once opened */
};

static bool is_file(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *kt_cx_str(CXString s)
{
	const char *c = clang_getCString(s);
	char *r = kt_xstrdup(c ? c : "");

	clang_disposeString(s);
	return r;
}

/* Reads the database with libclang, the first time its commands are needed:
 * a run answered from the source stage's cache never loads libclang. */
static void open_db(struct kt_compdb *db)
{
	CXCompilationDatabase_Error e = CXCompilationDatabase_NoError;
	CXCompileCommands all;
	struct kt_error *err;

	if (db->opened || !db->dir)
		return;
	db->opened = true;
	if ((err = kt_clang_load())) {
		db->problem = kt_xstrdup(err->msg);
		kt_error_free(err);
		return;
	}
	db->db = clang_CompilationDatabase_fromDirectory(db->dir, &e);
	if (e != CXCompilationDatabase_NoError || !db->db) {
		db->db = NULL;
		db->problem = kt_xstrdup("cannot read the compilation database");
		return;
	}
	all = clang_CompilationDatabase_getAllCompileCommands(db->db);
	if (all && clang_CompileCommands_getSize(all) > 0) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(all, 0);
		db->db_root = kt_cx_str(clang_CompileCommand_getDirectory(cmd));
	}
	if (all)
		clang_CompileCommands_dispose(all);
	if (!db->db_root) {
		clang_CompilationDatabase_dispose(db->db);
		db->db = NULL;
		db->problem = kt_xstrdup("the compilation database has no entries");
	}
}

struct kt_error *kt_compdb_open(const char *src_dir, const char *db_file, struct kt_compdb **out)
{
	struct kt_compdb *db;
	char *dir = NULL;
	struct kt_strbuf sb;

	*out = NULL;
	if (!src_dir || !is_dir(src_dir))
		return kt_error_new(KT_ERR_IO, src_dir, 0, "kernel source tree not found");
	kt_strbuf_init(&sb);
	if (db_file) {
		const char *slash = strrchr(db_file, '/');

		if (!is_file(db_file))
			return kt_error_new(KT_ERR_IO, db_file, 0,
					    "compilation database not found");
		if (strcmp(slash ? slash + 1 : db_file, "compile_commands.json") != 0)
			return kt_error_new(
			    KT_ERR_USAGE, db_file, 0,
			    "the compilation database must be named compile_commands.json");
		dir = slash ? kt_xstrndup(db_file, (size_t)(slash - db_file)) : kt_xstrdup(".");
		if (!*dir) {
			free(dir);
			dir = kt_xstrdup("/");
		}
	} else {
		kt_strbuf_addf(&sb, "%s/compile_commands.json", src_dir);
		if (is_file(sb.buf))
			dir = kt_xstrdup(src_dir);
	}
	db = kt_xcalloc(1, sizeof(*db));
	db->src_dir = kt_xstrdup(src_dir);
	while (strlen(db->src_dir) > 1 && kt_str_endswith(db->src_dir, "/"))
		db->src_dir[strlen(db->src_dir) - 1] = 0;
	db->dir = dir;
	db->name = dir ? kt_xstrdup(db_file ? db_file : sb.buf) : NULL;
	kt_strbuf_fini(&sb);
	if (db_file) {
		/* named on the command line: a database that cannot be read is
		 * the user's error, said now rather than as a note per report */
		open_db(db);
		if (db->problem) {
			struct kt_error *err =
			    kt_error_new(KT_ERR_PARSE, db_file, 0, "%s", db->problem);

			kt_compdb_close(db);
			return err;
		}
	}
	*out = db;
	return NULL;
}

const char *kt_compdb_problem(const struct kt_compdb *db)
{
	return db->problem;
}

const char *kt_compdb_file(const struct kt_compdb *db)
{
	return db->name;
}

void kt_compdb_close(struct kt_compdb *db)
{
	if (!db)
		return;
	if (db->db)
		clang_CompilationDatabase_dispose(db->db);
	free(db->db_root);
	free(db->problem);
	free(db->name);
	free(db->dir);
	free(db->src_dir);
	free(db);
}

void kt_args_free(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

struct argv_b {
	char **v;
	int n, cap;
};

static void push(struct argv_b *a, char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = kt_xrealloc(a->v, (size_t)a->cap * sizeof(char *));
	}
	a->v[a->n++] = s;
}

/*
 * Options that make a compiler load and run code: a plugin, given whole in one
 * argument, or the cc1 ones whose library or name is the next argument
 * (plugin_args() drops that too). Nothing a database says may load code into
 * this process, so these never reach libclang.
 */
static bool loads_code(const char *s)
{
	/* -fplugin=LIB, -fplugin-arg-NAME-KEY=VALUE, -fpass-plugin=LIB; cc1's
	 * -plugin-arg-NAME ARG, and -load=LIB should a compiler take it */
	static const char *const prefix[] = {"-fplugin", "-fpass-plugin", "-plugin-arg-", "-load="};
	static const char *const exact[] = {"-load", "-plugin", "-add-plugin"};

	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (kt_str_startswith(s, prefix[i]))
			return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(s, exact[i]) == 0)
			return true;
	return false;
}

/* The cc1 plugin options whose value is the next argument. */
static bool plugin_takes_value(const char *s)
{
	return strcmp(s, "-load") == 0 || strcmp(s, "-plugin") == 0 ||
	       strcmp(s, "-add-plugin") == 0 || kt_str_startswith(s, "-plugin-arg-");
}

/* gcc-only options clang rejects, ones that would write files, and ones that
 * would load code. */
static bool drop_flag(const char *s)
{
	static const char *const exact[] = {
	    "-fconserve-stack",
	    "-fno-allow-store-data-races",
	    "-mindirect-branch-register",
	    "-mindirect-branch-cs-prefix",
	    "-Werror",
	    "-c",
	    "-fsanitize=thread",
	    "-fsanitize=kernel-address",
	    "-fsanitize-coverage=trace-pc",
	    "-MD",
	    "-MMD",
	};
	static const char *const prefix[] = {
	    "-mfunction-return=",
	    "-mindirect-branch=",
	    "-mpreferred-stack-boundary=",
	    "-ftrivial-auto-var-init=",
	    "-falign-jumps=",
	    "-Werror=",
	    "-Wp,",
	    "-MF",
	    "-fsanitize-coverage",
	    "-mrecord-mcount",
	    "-fmin-function-alignment",
	    "-fzero-call-used-regs",
	    "-fpatchable-function-entry",
	};

	if (loads_code(s))
		return true;
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (strcmp(s, exact[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(prefix) / sizeof(prefix[0]); i++)
		if (kt_str_startswith(s, prefix[i]))
			return true;
	return false;
}

static char *cmd_arg(CXCompileCommand cmd, unsigned i)
{
	return kt_cx_str(clang_CompileCommand_getArg(cmd, i));
}

/*
 * How many arguments from i on are one plugin option, with its value, to drop
 * (0: i does not start one). The option is bare (-load LIB) or passed to cc1
 * through -Xclang (-Xclang -load -Xclang LIB) or -Xclang=; a separate value
 * is the next argument, or the pair -Xclang VALUE.
 */
static unsigned plugin_args(CXCompileCommand cmd, unsigned i, unsigned n)
{
	char *s = cmd_arg(cmd, i), *inner = NULL;
	const char *opt = s;
	unsigned used = 1;

	if (strcmp(s, "-Xclang") == 0 && i + 1 < n) {
		inner = cmd_arg(cmd, i + 1);
		opt = inner;
		used = 2;
	} else if (kt_str_startswith(s, "-Xclang=")) {
		opt = s + strlen("-Xclang=");
	}
	if (!loads_code(opt)) {
		used = 0;
	} else if (plugin_takes_value(opt) && i + used < n) {
		char *v = cmd_arg(cmd, i + used);

		used += strcmp(v, "-Xclang") == 0 && i + used + 1 < n ? 2 : 1;
		free(v);
	}
	free(inner);
	free(s);
	return used;
}

/* Map a path from the database's tree onto src_dir; make relative ones absolute. */
static char *map_path(const struct kt_compdb *db, const char *p)
{
	struct kt_strbuf sb;
	size_t rl = db->db_root ? strlen(db->db_root) : 0;

	kt_strbuf_init(&sb);
	if (rl && strncmp(p, db->db_root, rl) == 0 && (p[rl] == '/' || p[rl] == 0)) {
		kt_strbuf_addf(&sb, "%s%s", db->src_dir, p + rl);
	} else if (p[0] != '/') {
		while (kt_str_startswith(p, "./"))
			p += 2;
		kt_strbuf_addf(&sb, "%s/%s", db->src_dir, p);
	} else {
		kt_strbuf_adds(&sb, p);
	}
	return kt_strbuf_detach(&sb);
}

static void derived_args(const struct kt_compdb *db, const char *rel, struct argv_b *a)
{
	static const char *const incs[] = {
	    "arch/x86/include",	      "arch/x86/include/generated",	 "include",
	    "arch/x86/include/uapi",  "arch/x86/include/generated/uapi", "include/uapi",
	    "include/generated/uapi",
	};
	static const char *const forced[] = {
	    "include/linux/compiler-version.h",
	    "include/linux/kconfig.h",
	    "include/linux/compiler_types.h",
	};
	static const char *const flags[] = {
	    "-nostdinc",
	    "-D__KERNEL__",
	    "-std=gnu11",
	    "-m64",
	    "-mcmodel=kernel",
	    "-mno-red-zone",
	    "-fno-strict-aliasing",
	    "-fno-common",
	    "-fshort-wchar",
	    "-mno-sse",
	    "-mno-mmx",
	    "-mno-sse2",
	    "-mno-3dnow",
	    "-mno-avx",
	    "-O2",
	};
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		push(a, kt_xstrdup(flags[i]));
	for (size_t i = 0; i < sizeof(incs) / sizeof(incs[0]); i++) {
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "%s/%s", db->src_dir, incs[i]);
		if (!is_dir(sb.buf))
			continue;
		push(a, kt_xstrdup("-I"));
		push(a, kt_strbuf_detach(&sb));
	}
	for (size_t i = 0; i < sizeof(forced) / sizeof(forced[0]); i++) {
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "%s/%s", db->src_dir, forced[i]);
		if (!is_file(sb.buf))
			continue;
		push(a, kt_xstrdup("-include"));
		push(a, kt_strbuf_detach(&sb));
	}
	/* subsystems add their own directory and its include/ (ccflags) */
	{
		const char *slash = strrchr(rel, '/');
		static const char *const sub[] = {"", "/include"};

		for (size_t i = 0; slash && i < 2; i++) {
			kt_strbuf_reset(&sb);
			kt_strbuf_addf(&sb, "%s/%.*s%s", db->src_dir, (int)(slash - rel), rel,
				       sub[i]);
			if (!is_dir(sb.buf))
				continue;
			push(a, kt_xstrdup("-I"));
			push(a, kt_xstrdup(sb.buf));
		}
	}
	/* what kbuild defines per object: module_param() and pr_fmt() need it */
	{
		const char *slash = strrchr(rel, '/');
		const char *b = slash ? slash + 1 : rel;
		const char *dot = strrchr(b, '.');
		size_t n = dot ? (size_t)(dot - b) : strlen(b);
		char *base = kt_xstrndup(b, n);

		for (char *p = base; *p; p++)
			if (*p == '-')
				*p = '_';
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "-DKBUILD_MODNAME=\"%s\"", base);
		push(a, kt_xstrdup(sb.buf));
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "-DKBUILD_BASENAME=\"%s\"", base);
		push(a, kt_xstrdup(sb.buf));
		kt_strbuf_reset(&sb);
		kt_strbuf_addf(&sb, "-D__KBUILD_MODNAME=kmod_%s", base);
		push(a, kt_xstrdup(sb.buf));
		kt_strbuf_reset(&sb);
		dot = strrchr(rel, '.');
		kt_strbuf_addf(&sb, "-DKBUILD_MODFILE=\"%.*s\"",
			       (int)(dot ? (size_t)(dot - rel) : strlen(rel)), rel);
		push(a, kt_xstrdup(sb.buf));
		free(base);
	}
	kt_strbuf_fini(&sb);
}

static CXCompileCommands lookup(struct kt_compdb *db, const char *rel)
{
	struct kt_strbuf sb;
	CXCompileCommands cmds;

	open_db(db);
	if (!db->db)
		return NULL;
	kt_strbuf_init(&sb);
	kt_strbuf_addf(&sb, "%s/%s", db->db_root, rel);
	cmds = clang_CompilationDatabase_getCompileCommands(db->db, sb.buf);
	kt_strbuf_fini(&sb);
	if (cmds && clang_CompileCommands_getSize(cmds) == 0) {
		clang_CompileCommands_dispose(cmds);
		cmds = NULL;
	}
	return cmds;
}

const char *kt_compdb_root(struct kt_compdb *db)
{
	open_db(db);
	return db->db_root;
}

bool kt_compdb_has(struct kt_compdb *db, const char *rel)
{
	CXCompileCommands c = lookup(db, rel);

	if (!c)
		return false;
	clang_CompileCommands_dispose(c);
	return true;
}

void kt_compdb_args(struct kt_compdb *db, const char *rel, char ***argv, int *argc, bool *from_db)
{
	struct argv_b a = {0};
	CXCompileCommands cmds = lookup(db, rel);

	*from_db = cmds != NULL;
	if (cmds) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
		unsigned n = clang_CompileCommand_getNumArgs(cmd);
		char *file = kt_cx_str(clang_CompileCommand_getFilename(cmd));
		char *mapped_file = map_path(db, file);

		/* argument 0 is the compiler; the source file itself is passed apart */
		for (unsigned i = 1; i < n; i++) {
			unsigned plugin = plugin_args(cmd, i, n);
			char *s, *m;

			if (plugin) {
				i += plugin - 1;
				continue;
			}
			s = cmd_arg(cmd, i);
			/* -Xclang and its argument are one: both go, or both stay as
			 * they are (a lone one at the end would take ours) */
			if (strcmp(s, "-Xclang") == 0) {
				char *x = i + 1 < n ? cmd_arg(cmd, ++i) : NULL;

				if (x && !drop_flag(x)) {
					push(&a, s);
					push(&a, x);
				} else {
					free(s);
					free(x);
				}
				continue;
			}
			if (strcmp(s, "-o") == 0 || strcmp(s, "--param") == 0 ||
			    strcmp(s, "-MF") == 0 || strcmp(s, "-MT") == 0) {
				free(s);
				i++;
				continue;
			}
			if (drop_flag(s) || kt_str_startswith(s, "--param=")) {
				free(s);
				continue;
			}
			m = map_path(db, s);
			if (strcmp(s, file) == 0 || strcmp(m, mapped_file) == 0 ||
			    strcmp(s, rel) == 0) {
				free(s);
				free(m);
				continue;
			}
			free(m);
			if (strcmp(s, "-I") == 0 || strcmp(s, "-include") == 0 ||
			    strcmp(s, "-isystem") == 0 || strcmp(s, "-iquote") == 0) {
				push(&a, s);
				if (i + 1 < n) {
					char *p = kt_cx_str(clang_CompileCommand_getArg(cmd, ++i));
					push(&a, map_path(db, p));
					free(p);
				}
				continue;
			}
			if (kt_str_startswith(s, "-I") && s[2]) {
				char *p = map_path(db, s + 2);
				struct kt_strbuf sb;

				kt_strbuf_init(&sb);
				kt_strbuf_addf(&sb, "-I%s", p);
				free(p);
				free(s);
				push(&a, kt_strbuf_detach(&sb));
				continue;
			}
			push(&a, s);
		}
		free(file);
		free(mapped_file);
		clang_CompileCommands_dispose(cmds);
	} else {
		derived_args(db, rel, &a);
	}
	push(&a, kt_xstrdup("-Wno-unknown-warning-option"));
	push(&a, kt_xstrdup("-w"));
	push(&a, kt_xstrdup("-ferror-limit=0"));
	*argv = a.v;
	*argc = a.n;
}
