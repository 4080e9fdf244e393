// SPDX-License-Identifier: Apache-2.0
#include "harness.h"
#include "kcsan/error.h"
#include "kcsan/strbuf.h"

int main(void)
{
	struct kt_strbuf sb;

	kt_strbuf_init(&sb);
	kt_strbuf_add_json_str(&sb, "a\"b\\c\n\x01\xff\xc3\xa9");
	/* Invalid UTF-8 (0xff) is escaped by byte value, valid UTF-8 kept. */
	CHECK_STR(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\\u00ff\xc3\xa9\"");
	kt_strbuf_reset(&sb);
	for (int i = 0; i < 1000; i++)
		kt_strbuf_addf(&sb, "%d,", i);
	CHECK(sb.len == strlen(sb.buf));
	CHECK(kt_str_endswith(sb.buf, "999,"));
	char *d = kt_strbuf_detach(&sb);
	CHECK(sb.buf == NULL && sb.len == 0);
	free(d);

	struct kt_error *e = kt_error_new(KT_ERR_PARSE, "x.log", 17, "truncated %s", "report");
	char *m = kt_error_format(e);
	CHECK_STR(m, "x.log:17: truncated report");
	CHECK_INT(kt_error_exit_code(e), 2);
	free(m);
	kt_error_free(e);
	e = kt_error_at_offset(KT_ERR_PARSE, "vmlinux", 0x40, "bad header");
	m = kt_error_format(e);
	CHECK_STR(m, "vmlinux: offset 0x40: bad header");
	free(m);
	kt_error_free(e);
	return kt_test_done("test_strbuf");
}
