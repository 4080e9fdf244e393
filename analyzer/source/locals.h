/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Data flow through locals: a local aliasing a member, a loaded value
 * followed through the local it is stored into, a stored value's origin
 * (locals.c).
 */
#ifndef KT_SOURCE_LOCALS_H
#define KT_SOURCE_LOCALS_H

#include "collect.h"

/* For a use of a local pointer aliasing a member: that member's path, and
 * the initializer in *via; NULL otherwise. */
char *kt_locals_alias(struct walk *w, CXCursor ref, char **via);
/* The value stored into c->local is dereferenced later. */
void kt_locals_use(struct walk *w, struct kt_access_info *c);
/* For a store, the value it writes (locals followed), and whether it reads
 * a clock source. */
void kt_locals_stored(struct walk *w, struct kt_access_info *c);

#endif
