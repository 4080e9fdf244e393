/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lock walk along a side's stack: each frame's function up to its
 * call of the inner frame (lockwalk.c).
 */
#ifndef KT_SOURCE_LOCKWALK_H
#define KT_SOURCE_LOCKWALK_H

#include <stdbool.h>
#include <stddef.h>

#include "side.h"

struct kt_facts;

/* The locks held at the side's access: every frame up to an entry frame. */
void kt_lockwalk_stack(struct kt_source *src, struct side *s, const char *const full_rels[2],
		       struct kt_facts *facts);
/* The call to callee (by name) in fn's body: *on_line when one spans line
 * (its name to its closing parenthesis), else the one nearest line; its
 * offset in *at. False when the body names no call to callee. */
bool kt_lockwalk_call_site(struct kt_tu *tu, const struct kt_func *fn, const char *callee,
			   unsigned line, unsigned *at, bool *on_line);

#endif
