/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The object a heap access goes through, from the vmlinux alone. KCSAN
 * reports the return address of the sanitizer call that precedes each plain
 * access: the code there says which register held the address (the "lea
 * 0x5c(%r13),%rdi" that passes it, or the access "mov 0x58(%rbx),%eax" right
 * after the call), and the DWARF location lists say which variable or
 * parameter of the function (or of a body inlined into it) was in that
 * register there. Its type, a pointer to a struct or union, and the
 * displacement give the member: "struct inode" + 0x5c = i_mtime_nsec.
 * Addresses computed away from any variable, spilled to the stack or
 * indexed are left alone.
 */
#ifndef KT_BINARY_ACCESS_H
#define KT_BINARY_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "objects.h"

struct kt_vmlinux;

/* pc: the access frame's PC (return address - 1); size: the access's.
 * *found false (oi untouched) when the code or the DWARF does not say.
 * Otherwise fills oi->type (the struct) and type_die, oi->offset (of the
 * access in it), oi->member and oi->via. */
struct kt_error *kt_access_object(struct kt_vmlinux *vm, uint64_t pc, uint64_t size,
				  struct kt_object_info *oi, bool *found);

/* The other access of a report whose object is known: when addr lies in the
 * same struct (known's address minus its offset, plus less than its size),
 * fills oi the same way, its via saying so. */
struct kt_error *kt_access_same_object(struct kt_vmlinux *vm, const struct kt_object_info *known,
				       uint64_t known_addr, uint64_t addr, uint64_t size,
				       struct kt_object_info *oi, bool *found);

#endif
