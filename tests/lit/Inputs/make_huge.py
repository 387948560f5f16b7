"""Writes a large C module: N functions with loops, calls and tables."""

import sys

n = int(sys.argv[1])
print("#include <string.h>")
print("static int table[256];")
for i in range(n):
    callee = f"f{i - 1}(x ^ {i})" if i else "x"
    print(
        f"int f{i}(int x) {{ int s = 0; for (int j = 0; j < (x & 15); j++)"
        f" s += table[(j * {i + 1}) & 255] + {callee}; return s; }}"
    )
