"""measure.py OUT.json COMMAND...: runs COMMAND, then writes its wall time and the
largest resident set of it and its children (MiB) to OUT.json; exits with its code."""

import json
import resource
import subprocess
import sys
import time

start = time.monotonic()
code = subprocess.call(sys.argv[2:])
seconds = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
with open(sys.argv[1], "w") as out:
    json.dump({"seconds": seconds, "max_rss_mib": rss, "code": code}, out)
sys.exit(code)
