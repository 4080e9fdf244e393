// SPDX-License-Identifier: Apache-2.0
/* Placeholder: replaced by the rule language parser. */
#include <stdlib.h>
#include "kcsan/rules.h"
#include "kcsan/strbuf.h"

struct kt_ruleset {
	int n;
};

const char *kt_verdict_name(enum kt_verdict v)
{
	return v == KT_VERDICT_BENIGN ? "benign" : v == KT_VERDICT_HARMFUL ? "harmful" : "unknown";
}

const char *kt_confidence_name(enum kt_confidence c)
{
	return c == KT_CONF_HIGH ? "high" : c == KT_CONF_MEDIUM ? "medium" : "low";
}

struct kt_ruleset *kt_ruleset_new(void)
{
	return kt_xcalloc(1, sizeof(struct kt_ruleset));
}

void kt_ruleset_free(struct kt_ruleset *rs)
{
	free(rs);
}

struct kt_error *kt_ruleset_load_file(struct kt_ruleset *rs, const char *path)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, path, 0, "rules not built");
}

struct kt_error *kt_ruleset_load_dir(struct kt_ruleset *rs, const char *dir)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, dir, 0, "rules not built");
}

struct kt_error *kt_ruleset_load_string(struct kt_ruleset *rs, const char *text,
					const char *name)
{
	return kt_error_new(KT_ERR_UNSUPPORTED, name, 0, "rules not built");
}

size_t kt_ruleset_count(const struct kt_ruleset *rs)
{
	return 0;
}
