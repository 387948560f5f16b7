"""Plants something hostile where a decision cache's one entry is.

    cache_plant.py MODE CACHE_DIR [OUTSIDE]

The cache must hold exactly one entry, <CACHE_DIR>/<2 hex>/<key>.json, as a
cold run leaves it. Modes:

  deep        the entry becomes 65,536 '[' (llvm::json::parse recursed once each)
  padded      a valid entry, 1 MiB of spaces, then garbage: a reader that stops
              at a size limit and parses what it read sees a valid entry
  fifo        a FIFO instead of the entry (a blocking open waits forever)
  directory   a directory instead of the entry, with a file in it
  devzero     a symlink to /dev/zero instead of the entry
  symshard    the shard directory moves to OUTSIDE and a symlink replaces it
  evictplant  a symlink to OUTSIDE under another shard name, OUTSIDE holding
              three old files named like entries; the entry is corrupted so
              the next run stores (and so evicts)
"""

import glob
import os
import shutil
import sys

mode, cache = sys.argv[1], sys.argv[2]
entries = glob.glob(os.path.join(cache, "*", "*.json"))
if len(entries) != 1:
    sys.exit(f"cache_plant.py: expected one entry in {cache}, found {entries}")
entry = entries[0]
shard = os.path.dirname(entry)

if mode == "deep":
    with open(entry, "w") as f:
        f.write("[" * 65536)
elif mode == "padded":
    with open(entry) as f:
        valid = f.read()
    with open(entry, "w") as f:
        f.write(valid + " " * (1 << 20) + "garbage")
elif mode == "fifo":
    os.unlink(entry)
    os.mkfifo(entry)
elif mode == "directory":
    os.unlink(entry)
    os.mkdir(entry)
    with open(os.path.join(entry, "keep"), "w") as f:
        f.write("keep\n")
elif mode == "devzero":
    os.unlink(entry)
    os.symlink("/dev/zero", entry)
elif mode == "symshard":
    outside = sys.argv[3]
    shutil.move(shard, outside)
    os.symlink(outside, shard)
elif mode == "evictplant":
    outside = sys.argv[3]
    os.makedirs(outside)
    used = os.path.basename(shard)
    name = next(n for n in ("ee", "ff", "ab") if n != used)
    for i in range(3):
        path = os.path.join(outside, f"{name}{i:030x}.json")
        with open(path, "w") as f:
            f.write("precious\n")
        os.utime(path, (946684800, 946684800))  # 2000: the least recently used
    os.symlink(outside, os.path.join(cache, name))
    with open(entry, "w") as f:
        f.write("corrupt")
else:
    sys.exit(f"cache_plant.py: unknown mode {mode}")
