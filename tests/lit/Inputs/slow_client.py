"""slow_client.py DIR N OUT.json -- COMMAND...: COMMAND's wall time while N clients
trickle requests to the ranking server in DIR (one byte every 8 s, as a stuck
or hostile process would), against its time without them.

Writes {"alone": s, "beside_slow": s} to OUT.json; exits with COMMAND's code.
"""

import contextlib
import glob
import json
import os
import socket
import subprocess
import sys
import threading
import time

home, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
command = sys.argv[sys.argv.index("--") + 1 :]
(path,) = glob.glob(os.path.join(home, "rank-*.sock"))
# Through a descriptor of DIR, as the plugin does: the full path of a deep
# checkout is longer than sun_path.
home_fd = os.open(home, os.O_RDONLY | os.O_DIRECTORY)
short_path = f"/proc/self/fd/{home_fd}/{os.path.basename(path)}"
stop = threading.Event()


connected = threading.Semaphore(0)


def trickle() -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(short_path)
        connected.release()
        for byte in b"LLMC-RANK 2\n":
            with contextlib.suppress(OSError):
                conn.send(bytes([byte]))
            if stop.wait(8):
                return


def timed() -> tuple[float, int]:
    start = time.monotonic()
    code = subprocess.call(command)
    return time.monotonic() - start, code


alone, _ = timed()
clients = [threading.Thread(target=trickle) for _ in range(count)]
for client in clients:
    client.start()
# Every slow client connected (else the measurement would prove nothing)...
for _ in clients:
    if not connected.acquire(timeout=10):
        sys.exit("slow_client.py: a slow client could not connect")
time.sleep(0.5)  # ...and has sent its first byte
beside, code = timed()
stop.set()
for client in clients:
    client.join()
with open(out, "w") as f:
    json.dump({"alone": alone, "beside_slow": beside}, f)
sys.exit(code)
