/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Indexing one file: its functions and macros that access members (units,
 * with the identifiers each holds), its struct and union declarations
 * (every member with its type, bit width and memory location), typedefs,
 * global variables, function result types and container-style macros.
 */
#ifndef KT_CENSUS_SCAN_H
#define KT_CENSUS_SCAN_H

#include "seg.h"

struct scanner;

struct scanner *scanner_new(struct bld *b);
void scanner_free(struct scanner *s);
/* Adds the records of buf (the file `file` of the builder) to it. */
void scan_file(struct scanner *s, uint32_t file, const char *buf, size_t len);

#endif
