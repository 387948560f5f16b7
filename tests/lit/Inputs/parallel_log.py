"""Runs N opt processes at once, all appending to one decision log, and checks
that the log holds exactly N whole JSON lines.

usage: parallel_log.py PLUGIN INPUT.bc PIPELINES LOG N
"""

import json
import os
import subprocess
import sys

plugin, bitcode, pipelines, log, n = sys.argv[1:6]
env = {**os.environ, "LLMC_PIPELINES": pipelines, "LLMC_LOG": log}
cmd = ["opt", f"-load-pass-plugin={plugin}", "-passes=llmc-autotune", bitcode, "-o", os.devnull]
procs = [subprocess.Popen(cmd, env=env) for _ in range(int(n))]
assert all(p.wait() == 0 for p in procs), "an opt process failed"
with open(log) as f:
    lines = f.read().splitlines()
records = [json.loads(line) for line in lines]  # raises on an interleaved line
assert len(records) == int(n), f"{len(records)} records for {n} processes"
print(f"{len(records)} whole records")
