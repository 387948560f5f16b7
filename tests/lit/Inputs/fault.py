"""Faults injected between the two halves of a build (Inputs/project's FAULT).

fault.py kill-cache DIR      the cache directory disappears; a file takes its place
fault.py corrupt-cache DIR   every cache entry is truncated mid-write
fault.py truncate FILE       FILE (a model) is cut to its first 100 bytes
fault.py raise DIR           DIR/pybridge is a package whose rank() raises
"""

import pathlib
import shutil
import sys

action, target = sys.argv[1], pathlib.Path(sys.argv[2])
if action == "kill-cache":
    shutil.rmtree(target)
    target.write_text("not a directory\n")
elif action == "corrupt-cache":
    entries = sorted(target.glob("*/*.json"))
    assert entries, f"no cache entries under {target}"
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:10])
elif action == "truncate":
    target.write_bytes(target.read_bytes()[:100])
elif action == "raise":
    (target / "pybridge").mkdir(parents=True)
    (target / "pybridge" / "__init__.py").write_text(
        "def rank(request):\n    raise RuntimeError('injected fault')\n"
    )
else:
    sys.exit(f"unknown fault {action}")
