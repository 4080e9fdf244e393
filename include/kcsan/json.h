/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small strict JSON reader (RFC 8259) for the few JSON inputs the tool
 * takes (LLM verdicts). Bounded: nesting depth and input size are limited, and
 * errors give the line and column.
 */
#ifndef KCSAN_JSON_H
#define KCSAN_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "kcsan/error.h"

#define KT_JSON_MAX_DEPTH 64

enum kt_json_type { KT_JSON_NULL, KT_JSON_BOOL, KT_JSON_NUMBER, KT_JSON_STRING, KT_JSON_ARRAY,
		    KT_JSON_OBJECT };

struct kt_json {
	enum kt_json_type type;
	bool b;
	double num;
	char *str;              /* KT_JSON_STRING: UTF-8, NUL-terminated (may hold \u0000 cut) */
	size_t len;             /* array/object element count */
	struct kt_json **items; /* array elements or object values */
	char **keys;            /* object keys */
};

/* name is used in errors. */
struct kt_error *kt_json_parse(const char *text, size_t len, const char *name,
			       struct kt_json **out);
void kt_json_free(struct kt_json *j);
/* Object member by key (first match), or NULL. */
const struct kt_json *kt_json_get(const struct kt_json *obj, const char *key);

#endif
