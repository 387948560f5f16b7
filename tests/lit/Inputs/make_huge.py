"""Writes a large C module: N functions with loops, calls and tables.

``make_huge.py N`` chains them (each calls the one before); ``make_huge.py N
--table`` leaves them independent and reachable through one exported table of
pointers, so a link-time pipeline has a large module to optimize but no chain
of N inlinings to make."""

import sys

n = int(sys.argv[1])
independent = "--table" in sys.argv[2:]
print("#include <string.h>")
print("static int table[256];")
for i in range(n):
    callee = "x" if independent or not i else f"f{i - 1}(x ^ {i})"
    print(
        f"int f{i}(int x) {{ int s = 0; for (int j = 0; j < (x & 15); j++)"
        f" s += table[(j * {i + 1}) & 255] + {callee}; return s; }}"
    )
if independent:
    print("int (*const all[])(int) = {" + ", ".join(f"f{i}" for i in range(n)) + "};")
    print(f"const int all_count = {n};")
