/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KT_TEST_CRAFTED_DWARF_H
#define KT_TEST_CRAFTED_DWARF_H

#include <stdbool.h>
#include <stddef.h>

/* Builds DIR/crafted.elf (path in bin): functions crafted_deep_fn,
 * crafted_cyc_fn (32 bytes each), variables crafted_cyc_var (typedef cycle),
 * crafted_self_var (struct holding itself), crafted_deep_var (structs nested
 * depth deep), crafted_ptr_var (pointer to itself). crafted_deep_fn has
 * depth nested lexical blocks and depth nested inlined calls;
 * crafted_cyc_fn an inlined call that is its own origin. false when gcc is
 * missing or fails. */
bool crafted_dwarf_build(const char *dir, int depth, char *bin, size_t n);

#endif
