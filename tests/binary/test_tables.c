// SPDX-License-Identifier: Apache-2.0
/* The binary layer's data tables: rules/types.tbl loads, and a bad line is
 * refused with file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "types.h"

static char *write_tmp(const char *text)
{
	char *path = NULL;
	int fd;

	if (asprintf(&path, "%s/types-test-XXXXXX", KT_BUILD_DIR) < 0)
		abort();
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

int main(void)
{
	struct kt_types *t = NULL;
	struct kt_error *e;
	char path[1024];

	snprintf(path, sizeof(path), "%s/types.tbl", KT_SOURCE_RULES_DIR);
	e = kt_types_load_file(path, &t);
	CHECK(e == NULL && t);
	kt_error_free(e);
	CHECK_STR(kt_types_lookup(t, "struct list_head"), "list_head");
	CHECK_STR(kt_types_lookup(t, "atomic_t"), "atomic_t");
	CHECK_STR(kt_types_lookup(t, "refcount_t"), "refcount_t");
	CHECK_STR(kt_types_lookup(t, "spinlock_t"), "spinlock_t");
	CHECK_STR(kt_types_lookup(t, "struct mutex"), "mutex");
	CHECK_STR(kt_types_lookup(t, "seqcount_t"), "seqcount");
	CHECK_STR(kt_types_lookup(t, "struct hlist_node"), "hlist_node");
	CHECK_STR(kt_types_lookup(t, "struct rb_node"), "rb_node");
	CHECK(kt_types_lookup(t, "struct inode") == NULL);
	kt_types_free(t);

	/* the default location finds the same table */
	e = kt_types_load(NULL, &t);
	CHECK(e == NULL && t != NULL);
	kt_error_free(e);
	CHECK_STR(kt_types_lookup(t, "struct list_head"), "list_head");
	kt_types_free(t);

	/* white space inside a name is one space */
	char *p = write_tmp("# comment\n\nstruct   foo_bar    list_head\n");
	e = kt_types_load_file(p, &t);
	CHECK(e == NULL);
	kt_error_free(e);
	CHECK_STR(kt_types_lookup(t, "struct foo_bar"), "list_head");
	kt_types_free(t);
	unlink(p);
	free(p);

	/* an unknown kind and a line without a kind are refused, file:line */
	p = write_tmp("atomic_t atomic_t\nstruct foo spinning\n");
	e = kt_types_load_file(p, &t);
	CHECK(e != NULL && t == NULL);
	if (e) {
		char *m = kt_error_format(e);

		CHECK(strstr(m, p) != NULL);
		CHECK(strstr(m, ":2:") != NULL);
		CHECK(strstr(m, "spinning") != NULL);
		free(m);
	}
	kt_error_free(e);
	unlink(p);
	free(p);
	p = write_tmp("lonely\n");
	e = kt_types_load_file(p, &t);
	CHECK(e != NULL && e->line == 1);
	kt_error_free(e);
	unlink(p);
	free(p);
	e = kt_types_load_file("/nonexistent/types.tbl", &t);
	CHECK(e != NULL && e->code == KT_ERR_IO);
	kt_error_free(e);
	return kt_test_done("test_tables");
}
