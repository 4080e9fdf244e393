// SPDX-License-Identifier: Apache-2.0
/*
 * libclang loaded on first use (see clang.h). The library is the one the
 * build found (KT_LIBCLANG_PATH), or its file name on the loader's search
 * path when that file has moved. Its entry points are looked up once into a
 * table that is written under pthread_once and only read afterwards: the
 * process has one libclang, as it has one dynamic linker.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <clang-c/CXCompilationDatabase.h>
#include <clang-c/Index.h>

#include "clang.h"

#ifndef KT_LIBCLANG_PATH
#error "KT_LIBCLANG_PATH names the libclang the build found"
#endif

enum {
#define KT_CLANG_FN(ret, name, params, args) KT_CLANG_##name,
#define KT_CLANG_VOID(name, params, args)    KT_CLANG_##name,
#include "clang_api.def"
#undef KT_CLANG_FN
#undef KT_CLANG_VOID
	KT_CLANG_N
};

static const char *const names[KT_CLANG_N] = {
#define KT_CLANG_FN(ret, name, params, args) #name,
#define KT_CLANG_VOID(name, params, args)    #name,
#include "clang_api.def"
#undef KT_CLANG_FN
#undef KT_CLANG_VOID
};

static struct {
	pthread_once_t once;
	void *fn[KT_CLANG_N];
	char why[512]; /* empty when loaded */
} api = {.once = PTHREAD_ONCE_INIT};

static void *open_library(void)
{
	const char *path = KT_LIBCLANG_PATH;
	const char *base = strrchr(path, '/');
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h && base)
		h = dlopen(base + 1, RTLD_NOW | RTLD_LOCAL);
	return h;
}

static void load_once(void)
{
	void *h = open_library();

	if (!h) {
		const char *e = dlerror();

		snprintf(api.why, sizeof(api.why), "cannot load libclang (%s): %s",
			 KT_LIBCLANG_PATH, e ? e : "unknown reason");
		return;
	}
	for (size_t i = 0; i < KT_CLANG_N; i++) {
		void *p = dlsym(h, names[i]);

		if (!p) {
			snprintf(api.why, sizeof(api.why),
				 "%s lacks %s: a libclang 14 or later is needed", KT_LIBCLANG_PATH,
				 names[i]);
			return;
		}
		api.fn[i] = p;
	}
}

struct kt_error *kt_clang_load(void)
{
	pthread_once(&api.once, load_once);
	if (api.why[0])
		return kt_error_new(KT_ERR_UNSUPPORTED, NULL, 0, "%s", api.why);
	return NULL;
}

const char *kt_clang_library_path(void)
{
	return KT_LIBCLANG_PATH;
}

/* The entry point i, loading libclang first; a call that reaches here when it
 * cannot be loaded is a caller that skipped kt_clang_load: stop loudly. */
static void *entry(size_t i)
{
	pthread_once(&api.once, load_once);
	if (!api.fn[i]) {
		fprintf(stderr, "kcsan-triage: %s\n", api.why[0] ? api.why : "libclang not loaded");
		abort();
	}
	return api.fn[i];
}

#define KT_CLANG_FN(ret, name, params, args)                                                       \
	ret name params                                                                            \
	{                                                                                          \
		ret(*f) params;                                                                    \
		void *p = entry(KT_CLANG_##name);                                                  \
		memcpy(&f, &p, sizeof(f));                                                         \
		return f args;                                                                     \
	}
#define KT_CLANG_VOID(name, params, args)                                                          \
	void name params                                                                           \
	{                                                                                          \
		void(*f) params;                                                                   \
		void *p = entry(KT_CLANG_##name);                                                  \
		memcpy(&f, &p, sizeof(f));                                                         \
		f args;                                                                            \
	}
#include "clang_api.def"
#undef KT_CLANG_FN
#undef KT_CLANG_VOID
