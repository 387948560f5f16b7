"""server_proc.py DIR BUILD [memory]: what the ranking server with its socket in DIR holds.

Prints its working directory, where its standard descriptors go, and how many
of its descriptors are files under BUILD (the build's tree); with "memory",
also whether its peak resident set stayed under 1 GiB.
"""

import os
import pathlib
import sys

home, build = sys.argv[1], sys.argv[2]
for proc in pathlib.Path("/proc").iterdir():
    try:
        argv = (proc / "cmdline").read_bytes().split(b"\0")
    except OSError:
        continue
    if proc.name.isdigit() and any(a.startswith(home.encode() + b"/") for a in argv):
        links = {int(fd): os.readlink(proc / "fd" / fd) for fd in os.listdir(proc / "fd")}
        std = "devnull" if {links.get(fd) for fd in (0, 1, 2)} == {"/dev/null"} else "inherited"
        held = sum(link.startswith(build) and not link.startswith(home) for link in links.values())
        line = ["cwd", os.readlink(proc / "cwd"), "std", std, "build files", held]
        if sys.argv[3:] == ["memory"]:
            status = dict(
                entry.split(":", 1) for entry in (proc / "status").read_text().splitlines()
            )
            line += ["peak under 1 GiB", int(status["VmHWM"].split()[0]) < 1 << 20]
        print(*line)
        break
else:
    print("no server in", home)
