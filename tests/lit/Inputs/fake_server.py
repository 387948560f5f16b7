"""fake_server.py DIR MODE: a lying ranking server on the socket a real one left in DIR.

Kill the real server first (fault.py kill-server DIR); this binds the same
name, detaches, and returns once it listens. A fake started before in DIR is
stopped first; MODE "stop" only stops it. For 30 s, or 20 connections, it
reads each request and answers by MODE:
  huge-frame  announces a reply of 4 GiB (0xffffffff bytes), sends 16 of them
  garbage     one well-framed reply that is not JSON
  stall       reads the request and never answers
  trickle     a well-formed reply, one byte every 0.5 s (no single read waits long)
"""

import contextlib
import glob
import os
import signal
import socket
import struct
import sys
import time

home, mode = sys.argv[1], sys.argv[2]
record = os.path.join(home, "fake")
if os.path.exists(record):  # the previous fake: its pid and socket
    with open(record) as f:
        pid, path = f.read().split()
    with contextlib.suppress(ProcessLookupError):
        os.kill(int(pid), signal.SIGKILL)
    while True:  # until it is gone (or a zombie: dead, not yet reaped)
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                    break
        except OSError:
            break
        time.sleep(0.01)
else:
    (path,) = glob.glob(os.path.join(home, "rank-*.sock"))
if mode == "stop":
    os.unlink(record)
    sys.exit(0)
with contextlib.suppress(FileNotFoundError):
    os.unlink(path)
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
# By its name in DIR: the full path of a deep checkout is longer than sun_path.
os.chdir(os.path.dirname(path))
listener.bind(os.path.basename(path))
listener.listen(16)
child = os.fork()
if child:
    with open(record, "w") as f:
        print(child, path, file=f)
    sys.exit(0)  # the child listens; the test goes on
os.setsid()
null = os.open(os.devnull, os.O_RDWR)
for fd in (0, 1, 2):
    os.dup2(null, fd)  # lit waits for every holder of its pipes
listener.settimeout(30)
end = time.monotonic() + 30
for _ in range(20):
    try:
        conn, _ = listener.accept()
    except TimeoutError:
        break
    with conn, contextlib.suppress(OSError):
        conn.settimeout(5)
        magic = conn.recv(12)
        (size,) = struct.unpack("<I", conn.recv(4, socket.MSG_WAITALL))
        conn.recv(size, socket.MSG_WAITALL)
        (size,) = struct.unpack("<Q", conn.recv(8, socket.MSG_WAITALL))
        while size:
            size -= len(conn.recv(min(size, 1 << 16)))
        if mode == "huge-frame":
            conn.sendall(struct.pack("<I", 0xFFFFFFFF) + b"x" * 16)
        elif mode == "garbage":
            conn.sendall(struct.pack("<I", 8) + b"not json")
        elif mode == "trickle":
            reply = b'{"version":1,"pipelines":[],"rejected":[],"notes":[],"error":"","model":""}'
            for byte in struct.pack("<I", len(reply)) + reply:
                conn.send(bytes([byte]))
                time.sleep(0.5)
        elif mode == "stall":
            time.sleep(max(0.0, end - time.monotonic()))
    if time.monotonic() > end:
        break
with contextlib.suppress(OSError):
    os.unlink(path)
