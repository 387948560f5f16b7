"""one_cpu.py COMMAND...: run COMMAND allowed on one CPU only (the first of ours)."""

import os
import sys

os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
os.execvp(sys.argv[1], sys.argv[1:])
