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

/* Strategies of the placement (source.c's table). */

/* "body": a drifted side placed among the accesses of its function's body
 * (the other side's object, the binary stage's member at the address, the
 * only one that fits, or with both drifted the one object both touch). */
void kt_reloc_body(struct kt_placing *pl);
/* "callees": the same with the accesses of the helpers the body calls. */
void kt_reloc_callees(struct kt_placing *pl);
/* "corroborated": a placement the other side's accesses do not name,
 * replaced by the object both sides' functions touch. */
void kt_reloc_corroborate(struct kt_placing *pl);

#endif
