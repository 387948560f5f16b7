"""Holds an exclusive flock on a file while a command runs, as a stuck
process of the same build could.

    hold_lock.py FILE COMMAND...
"""

import fcntl
import subprocess
import sys

with open(sys.argv[1], "a") as f:
    fcntl.flock(f, fcntl.LOCK_EX)
    sys.exit(subprocess.call(sys.argv[2:]))
