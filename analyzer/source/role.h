/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The role and use of a value: what the program does with an access
 * (role.c).
 */
#ifndef KT_SOURCE_ROLE_H
#define KT_SOURCE_ROLE_H

#include <stddef.h>

#include "collect.h"

/* What the program does with the value at w->stack[d]. */
void kt_role_of(struct walk *w, int d, struct kt_access_info *c);
/* The value is inside a marking macro that yields it: the role of the
 * macro's result. */
void kt_role_macro_value(struct walk *w, struct kt_access_info *c);
/* How the value c loads is used, v[0..n) being the accesses of its body. */
void kt_role_use(const struct walk *w, struct kt_access_info *c, const struct kt_access_info *v,
		 size_t n);
/* kt_role_use() for c, found by a walk over part of its function. */
void kt_role_body_use(const struct walk *w0, struct kt_access_info *c);

#endif
