/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Marking: the macros and calls around an access as written (marking.c).
 */
#ifndef KT_SOURCE_MARKING_H
#define KT_SOURCE_MARKING_H

#include "collect.h"

/* The marking macro around c on the line, the calls it is passed to. */
void kt_marking_scan(struct walk *w, struct kt_access_info *c);

#endif
