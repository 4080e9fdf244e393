#!/usr/bin/env bash
# Nothing read is executed: a compile_commands.json whose entry asks for a
# compiler plugin (-fplugin=, -Xclang -load, -fpass-plugin=) must not get that
# library loaded into the process when the source stage parses the file. The
# library writes a marker when loaded; a control run with LD_PRELOAD shows it
# does. The tree's name has a space and a non-UTF-8 byte in it, as any path
# may.
set -u
bin=$1 root=$2 work=$3
rm -rf "$work"; mkdir -p "$work"
fail=0
bad() { fail=1; echo "FAIL: $*" >&2; }
command -v gcc >/dev/null || { echo "SKIP: gcc not installed"; exit 77; }

cat > "$work/plugin.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
__attribute__((constructor)) static void loaded(void)
{
	const char *m = getenv("KT_PLUGIN_MARK");
	FILE *f = m ? fopen(m, "w") : NULL;

	if (f) {
		fputs("loaded\n", f);
		fclose(f);
	}
}
C
gcc -shared -fPIC -o "$work/plugin.so" "$work/plugin.c" || { echo "SKIP: cannot build a shared library"; exit 77; }
export KT_PLUGIN_MARK="$work/mark"

tree="$work/src tree "$'\xff'
mkdir -p "$tree"
cat > "$tree/a.c" <<'C'
struct s { int flag; int count; };
struct s g;
void foo_a(void)
{
	g.count = 1;
}
int foo_b(void)
{
	return g.count;
}
C
# The database names the tree by a path without the odd byte (JSON strings
# are UTF-8): a symlink; --src gives the odd name itself.
ln -s "$tree" "$work/tree"
printf '[{"directory": "%s", "file": "a.c", "arguments": ["gcc", "-fplugin=%s", "-Xclang", "-load", "-Xclang", "%s", "-fpass-plugin=%s", "-c", "a.c"]}]\n' \
  "$work/tree" "$work/plugin.so" "$work/plugin.so" "$work/plugin.so" > "$tree/compile_commands.json"
cat > "$work/r.txt" <<'R'
==================================================================
BUG: KCSAN: data-race in foo_a / foo_b

write to 0xffff888012345678 of 4 bytes by task 1 on cpu 0:
 foo_a+0x10/0x40 a.c:5

read to 0xffff888012345678 of 4 bytes by task 2 on cpu 1:
 foo_b+0x10/0x40 a.c:9

Reported by Kernel Concurrency Sanitizer on:
CPU: 1 PID: 2 Comm: t Not tainted 6.1.0 #1
==================================================================
R

# Control: the library does write the marker when it is loaded.
LD_PRELOAD="$work/plugin.so" /bin/true
[ -f "$work/mark" ] || bad "control: the plugin did not write its marker when preloaded"
rm -f "$work/mark"

timeout 120 "$bin" --rules "$root/rules" --src "$tree" --format json "$work/r.txt" > "$work/out" 2> "$work/err"
rc=$?
[ $rc -le 1 ] || bad "the run ended with exit $rc"
grep -q '"source"' "$work/out" || { bad "the source stage did not run"; cat "$work/err" >&2; }
[ -f "$work/mark" ] && bad "a plugin named in compile_commands.json was loaded"

[ $fail = 0 ] && echo "not executed: ok"
exit $fail
