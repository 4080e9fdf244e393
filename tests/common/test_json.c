// SPDX-License-Identifier: Apache-2.0
#include "harness.h"
#include "kcsan/json.h"

static struct kt_json *ok(const char *s)
{
	struct kt_json *j = NULL;
	struct kt_error *e = kt_json_parse(s, strlen(s), "t.json", &j);
	if (e) {
		fprintf(stderr, "unexpected error for %s: %s\n", s, e->msg);
		kt_error_free(e);
	}
	return j;
}

static void bad(const char *s, long line, const char *msg)
{
	struct kt_json *j = NULL;
	struct kt_error *e = kt_json_parse(s, strlen(s), "t.json", &j);
	CHECK(e != NULL && j == NULL);
	if (e) {
		CHECK_INT(e->line, line);
		if (!strstr(e->msg, msg))
			fprintf(stderr, "message '%s' lacks '%s'\n", e->msg, msg);
		CHECK(strstr(e->msg, msg) != NULL);
		kt_error_free(e);
	}
}

int main(void)
{
	struct kt_json *j = ok("{\"Benign\": false, \"Explanation\": \"a\\nb \\u00e9 \\ud83d\\ude00\","
			       " \"n\": [1, -2.5e1, null, true]}");
	CHECK(j && j->type == KT_JSON_OBJECT && j->len == 3);
	const struct kt_json *b = kt_json_get(j, "Benign");
	CHECK(b && b->type == KT_JSON_BOOL && !b->b);
	const struct kt_json *e = kt_json_get(j, "Explanation");
	CHECK(e && e->type == KT_JSON_STRING);
	CHECK_STR(e->str, "a\nb \xc3\xa9 \xf0\x9f\x98\x80");
	const struct kt_json *n = kt_json_get(j, "n");
	CHECK(n && n->type == KT_JSON_ARRAY && n->len == 4);
	CHECK(n->items[1]->num == -25.0);
	CHECK(n->items[2]->type == KT_JSON_NULL);
	CHECK(kt_json_get(j, "missing") == NULL);
	kt_json_free(j);

	bad("{\"a\": 1,}", 1, "expected a string key");
	bad("{\"a\" 1}", 1, "expected ':'");
	bad("[1, 2", 1, "expected ',' or ']'");
	bad("\"abc", 1, "unterminated string");
	bad("{\n\"a\": tru}", 2, "unexpected character");
	bad("{} x", 1, "trailing");
	bad("\"\\x\"", 1, "bad escape");
	bad("\"a\tb\"", 1, "control character");
	bad("", 1, "unexpected end");

	/* Nesting beyond the bound is refused, not a stack overflow. */
	char deep[10000];
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	bad(deep, 1, "nested too deep");
	return kt_test_done("test_json");
}
