// SPDX-License-Identifier: Apache-2.0
/*
 * Runs saved inputs through a fuzz harness without libFuzzer: the same entry
 * point, the same API calls. Each input that once crashed or leaked is kept in
 * testdata/hardening/HARNESS/ and replayed here by ctest (under ASan and UBSan
 * in CI, which is what catches a leak or undefined behaviour coming back).
 * A harness aborts when the API breaks its own promises (an error without a
 * message, a result alongside an error).
 */
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s INPUT...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		unsigned char *buf = NULL;
		size_t len = 0, cap = 0, n;

		if (!fp) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (len == cap) {
				cap = cap ? cap * 2 : 65536;
				buf = realloc(buf, cap);
				if (!buf)
					abort();
			}
			n = fread(buf + len, 1, cap - len, fp);
			len += n;
		} while (n > 0);
		fclose(fp);
		/* An exact-size copy, so that a read past the end is caught. */
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact)
			abort();
		for (size_t k = 0; k < len; k++)
			exact[k] = buf[k];
		free(buf);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		printf("%s: %zu bytes replayed\n", argv[i], len);
	}
	return 0;
}
