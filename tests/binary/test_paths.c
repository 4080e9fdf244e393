// SPDX-License-Identifier: Apache-2.0
/* File names as the kernel tree names them, whatever the DWARF says. */
#include <stdlib.h>

#include "harness.h"
#include "symz.h"

static void rel(const char *path, const char *comp_dir, const char *want)
{
	char *got = kt_path_relative(path, comp_dir);

	CHECK_STR(got, want);
	free(got);
}

int main(void)
{
	/* in-tree build (the fixture) */
	rel("/usr/src/linux-source-6.1/./include/linux/fs.h", "/usr/src/linux-source-6.1",
	    "include/linux/fs.h");
	rel("/usr/src/linux-source-6.1/fs/inode.c", "/usr/src/linux-source-6.1/", "fs/inode.c");
	/* -fdebug-prefix-map builds: relative comp_dir and names (Debian) */
	rel("debian/build/build_amd64/arch/x86/entry/syscall_64.c", "debian/build/build_amd64",
	    "arch/x86/entry/syscall_64.c");
	/* make O=DIR inside the tree: the tree is an ancestor of DIR */
	rel("/b/r/linux-6.1/arch/x86/entry/entry_64.S", "/b/r/linux-6.1/debian/build/build_amd64",
	    "arch/x86/entry/entry_64.S");
	rel("/home/u/linux/out/../fs/inode.c", "/home/u/linux/out", "../fs/inode.c");
	rel("/t/arch/x86/events/amd/../perf_event.h", "/t", "arch/x86/events/amd/../perf_event.h");
	rel("/home/u/linux/out/include/generated/autoconf.h", "/home/u/linux/out",
	    "include/generated/autoconf.h");
	/* outside the tree: kept */
	rel("/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h", "/usr/src/linux",
	    "/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h");
	rel("/build/x.c", "/build/y", "/build/x.c");
	rel("mk_inode.c", "/tmp/mk", "mk_inode.c");
	rel("a/./b//c", NULL, "a/b//c");
	rel("/t/./arch/x86/include/asm/trace//hyperv.h", "/t",
	    "arch/x86/include/asm/trace//hyperv.h");
	rel("../x/y.c", "/t", "../x/y.c");
	return kt_test_done("test_paths");
}
