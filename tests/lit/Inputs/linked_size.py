"""Prints text+data (llvm-size's Berkeley columns) of each linked image, then
whether the last is no larger than the first: ``linked_size.py plain llmc``."""

import subprocess
import sys


def size(path: str) -> int:
    out = subprocess.run(["llvm-size", path], check=True, capture_output=True, text=True)
    text, data = out.stdout.splitlines()[1].split()[:2]
    return int(text) + int(data)


sizes = [size(p) for p in sys.argv[1:]]
print(" ".join(map(str, sizes)), "not larger" if sizes[-1] <= sizes[0] else "LARGER")
