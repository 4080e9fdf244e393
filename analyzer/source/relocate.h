/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Relocation and pairing: a side whose access is not at its line placed
 * by its function's body, the two sides paired on one object (relocate.c).
 */
#ifndef KT_SOURCE_RELOCATE_H
#define KT_SOURCE_RELOCATE_H

#include <stdbool.h>
#include <stddef.h>

#include "side.h"

struct kt_facts;

/* Place the drifted sides among the accesses of their functions' bodies,
 * then of the helpers those call. */
void kt_reloc_relocate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts);
/* Replace a placement the other side's accesses do not corroborate. */
void kt_reloc_corroborate(struct kt_source *src, struct side *s, size_t ns, struct kt_facts *facts);

#endif
