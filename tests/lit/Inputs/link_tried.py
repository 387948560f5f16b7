"""Whether a full-LTO link's decision tried every table entry llmc allows.

usage: link_tried.py LOG.jsonl
Prints "tried N of M allowed table entries" from the log's "tool":"lld" line;
exits 1 when an allowed entry of pybridge/data/candidates.json was not tried.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pybridge import allowlist

TABLE = Path(allowlist.__file__).parent / "data" / "candidates.json"

lines = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line]
decision = next(d for d in reversed(lines) if d.get("tool") == "lld")
tried = {c["pipeline"] for c in decision["candidates"] if c["status"] != "rejected"}
allowed = [
    e["pipeline"]
    for e in json.loads(TABLE.read_text())["candidates"]
    if allowlist.check(e["pipeline"]) is None
]
missing = [p for p in allowed if p not in tried]
print(f"tried {len(allowed) - len(missing)} of {len(allowed)} allowed table entries")
for p in missing:
    print(f"not tried: {p}")
sys.exit(1 if missing else 0)
