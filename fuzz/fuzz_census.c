// SPDX-License-Identifier: Apache-2.0
/*
 * Census index images into the segment reader and the census. The input is
 * an index segment; unless its magic ends in '!' the harness writes a
 * header that verifies (magic, kind, size, checksum) over the input's own
 * section directory, so that mutated inputs reach the records. The segment is then the main
 * index of testdata/census/tree and a few censuses run on it: whatever the
 * records say, they must give an answer, never a crash or a leak.
 */
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "kcsan/census.h"
#include "seg.h"

static struct kt_census_vocab *vocab;

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const objects[] = {
	    "struct port::mtu",	  "struct port_ctl::up", "struct port::stats.tx_dropped", "ticks",
	    "struct port::flags", "port_t::ops"};
	struct kt_census_index ix;
	uint8_t *img;
	const char *why;

	if (!vocab && kt_census_vocab_load(KT_SOURCE_RULES_DIR, &vocab))
		abort();
	if (size < sizeof(struct seg_hdr) || size > (1u << 24))
		return 0;
	img = malloc(size);
	memcpy(img, data, size);
	if (data[7] != '!') {
		struct seg_hdr h;

		memcpy(&h, img, sizeof(h));
		memcpy(h.magic, SEG_MAGIC, 8);
		h.kind = SEG_MAIN;
		h.nsect = S_NSECT;
		h.total_len = size;
		h.checksum = seg_checksum(img + sizeof(h), size - sizeof(h));
		memcpy(img, &h, sizeof(h));
	}
	memset(&ix, 0, sizeof(ix));
	if (cf_dir_new(KT_TESTDATA "/census/tree", &ix.src))
		abort();
	ix.vocab = vocab;
	ix.have[0] = seg_open(img, size, &ix.seg[0], &why);
	if (ix.have[0]) {
		for (size_t i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
			struct kt_census_result *r = NULL;
			struct kt_error *e = kt_census_query_object(&ix, objects[i], &r);
			struct kt_strbuf sb;

			kt_strbuf_init(&sb);
			if (r) {
				kt_census_result_text(r, true, &sb);
				kt_census_result_json(r, &sb);
			}
			kt_strbuf_fini(&sb);
			kt_census_result_free(r);
			kt_error_free(e);
		}
	}
	ty_memo_free(ix.memo);
	cf_source_fini(&ix.src);
	free(img);
	return 0;
}
