"""Faults injected between the two halves of a build (Inputs/project's FAULT).

fault.py kill-cache DIR      the cache directory disappears; a file takes its place
fault.py corrupt-cache DIR   every cache entry is truncated mid-write
fault.py truncate FILE       FILE (a model) is cut to its first 100 bytes
fault.py raise DIR           DIR/pybridge is a package whose rank_json() raises
fault.py kill-server DIR     the ranking servers with sockets in DIR are killed
fault.py plant-server DIR    DIR becomes a symlink to a directory of others
"""

import os
import pathlib
import shutil
import signal
import sys
import time

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
        "def rank_json(request):\n    raise RuntimeError('injected fault')\n"
    )
elif action == "kill-server":
    killed = []
    for proc in pathlib.Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if proc.name.isdigit() and any(a.startswith(bytes(target) + b"/") for a in argv):
            os.kill(int(proc.name), signal.SIGKILL)
            killed.append(proc)
    assert killed, f"no ranking server has its socket in {target}"

    def alive(proc: pathlib.Path) -> bool:
        try:  # the state follows the ")" that ends the command name
            return proc.joinpath("stat").read_bytes().rsplit(b")", 1)[1].split()[0] != b"Z"
        except (OSError, IndexError):
            return False  # gone

    deadline = time.monotonic() + 10
    while any(alive(p) for p in killed):  # a zombie (nobody reaped it yet) is dead
        assert time.monotonic() < deadline, "a killed ranking server is still running"
        time.sleep(0.01)
    assert list(target.glob("*.sock")), "the dead server's socket should stay behind"
elif action == "plant-server":
    shutil.rmtree(target)
    shared = target.with_name(target.name + "-shared")
    shared.mkdir(mode=0o777)
    target.symlink_to(shared)
else:
    sys.exit(f"unknown fault {action}")
