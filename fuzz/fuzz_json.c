// SPDX-License-Identifier: Apache-2.0
/* Bytes into the strict JSON reader; a document that parses is walked to the
 * bottom and looked up by key, so every node it built is touched. */
#include <stdlib.h>
#include <string.h>

#include "kcsan/json.h"

static size_t walk(const struct kt_json *j, int depth)
{
	size_t n = 1;

	if (depth > KT_JSON_MAX_DEPTH + 1)
		abort(); /* the reader promised a bound */
	switch (j->type) {
	case KT_JSON_STRING:
		if (!j->str)
			abort();
		n += strlen(j->str);
		break;
	case KT_JSON_OBJECT:
		for (size_t i = 0; i < j->len; i++) {
			if (!j->keys[i] || kt_json_get(j, j->keys[i]) == NULL)
				abort();
		}
		/* fall through */
	case KT_JSON_ARRAY:
		for (size_t i = 0; i < j->len; i++)
			n += walk(j->items[i], depth + 1);
		break;
	default:
		break;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* An exact-size copy, so a read past the end is caught. */
	char *text = malloc(size ? size : 1);
	struct kt_json *j = NULL;
	struct kt_error *err;

	memcpy(text, data, size);
	err = kt_json_parse(text, size, "fuzz.json", &j);
	if (err) {
		if (j || !err->msg || !*err->msg)
			abort();
		kt_error_free(err);
	} else {
		walk(j, 0);
		(void)kt_json_get(j, "Benign");
		kt_json_free(j);
	}
	free(text);
	return 0;
}
