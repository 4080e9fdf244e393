// SPDX-License-Identifier: Apache-2.0
/* Rule files into the loader; a rule set that loads is evaluated against a
 * fixed fact table, so conditions and templates run too. */
#include <stdlib.h>
#include <string.h>

#include "kcsan/rules.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1);
	struct kt_ruleset *rs = kt_ruleset_new();
	struct kt_error *err;

	memcpy(text, data, size);
	text[size] = '\0';
	err = kt_ruleset_load_string(rs, text, "fuzz.rules");
	if (err) {
		kt_error_free(err);
	} else {
		struct kt_facts *f = kt_facts_new();
		struct kt_rule_result res;

		kt_facts_set_str(f, "a.func", "copy_page_to_iter", KT_ORIGIN_REPORT);
		kt_facts_set_str(f, "b.func", "generic_perform_write", KT_ORIGIN_REPORT);
		kt_facts_add_str(f, "a.frames.func", "copy_page_to_iter", KT_ORIGIN_REPORT);
		kt_facts_add_str(f, "a.frames.func", "shmem_file_read_iter", KT_ORIGIN_REPORT);
		kt_facts_set_bool(f, "a.marked", false, KT_ORIGIN_REPORT);
		kt_facts_set_int(f, "a.size", 8, KT_ORIGIN_REPORT);
		kt_facts_set_int(f, "value.bits", 1, KT_ORIGIN_REPORT);
		err = kt_ruleset_eval(rs, f, &res);
		if (err)
			kt_error_free(err);
		else
			kt_rule_result_fini(&res);
		kt_facts_free(f);
	}
	kt_ruleset_free(rs);
	free(text);
	return 0;
}
