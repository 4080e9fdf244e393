// SPDX-License-Identifier: Apache-2.0
/*
 * A compile_commands.json into the source layer's compilation-database
 * reader: the database has to carry that file name, so each input is written
 * into a fresh mkdtemp() directory (never a predictable path) and removed
 * afterwards. The flags for a few files are then asked for, which runs the
 * flag cleaning and the path mapping on whatever the entries hold.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* Each lookup runs libclang's command inference over the entries, which is
 * most of an execution's time: a file the seeds name (an entry's own
 * command) and a header (a command inferred from a neighbouring entry). */
static const char *const rels[] = {"mm/shmem.c", "include/linux/fs.h"};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	char dir[512], file[600];
	struct kt_compdb *db = NULL;
	struct kt_error *err;
	int fd;
	size_t done = 0;

	snprintf(dir, sizeof(dir), "%s/kt-fuzz-compdb-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(file, sizeof(file), "%s/compile_commands.json", dir);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	while (done < size) {
		ssize_t w = write(fd, data + done, size - done);

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	close(fd);
	err = kt_compdb_open(dir, file, &db);
	if (err) {
		if (db || !err->msg || !*err->msg)
			abort();
		kt_error_free(err);
	} else {
		for (size_t i = 0; i < sizeof(rels) / sizeof(rels[0]); i++) {
			char **argv = NULL;
			int argc = 0;
			bool from_db = false;

			kt_compdb_args(db, rels[i], &argv, &argc, &from_db);
			if (i == 0 && from_db != kt_compdb_has(db, rels[0]))
				abort(); /* the two lookups disagree */
			for (int k = 0; k < argc; k++)
				if (!argv[k])
					abort();
			kt_args_free(argv, argc);
		}
		kt_compdb_close(db);
	}
	unlink(file);
	rmdir(dir);
	return 0;
}
