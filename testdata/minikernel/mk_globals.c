// SPDX-License-Identifier: Apache-2.0
/* Globals of the mini kernel: .data, .bss and a per-cpu-like section. */
#include "mk.h"

struct mk_inode mk_root_inode = {.i_state = 1};
unsigned long mk_jiffies;
struct mk_rcu_state mk_rcu_state = {.gp_seq = 4};
__attribute__((section(".data..percpu"))) long mk_pcpu_counter;
