"""A pybridge that answers what PLANTED_REPLY says: the plugin's decoder and the
ranking child's bounds under test (LLMC_PYTHONPATH puts it first).

PLANTED_REPLY=file:PATH   the bytes of PATH (the golden reply, or a hostile one)
PLANTED_REPLY=text:TEXT   TEXT as bytes
PLANTED_REPLY=str         a str instead of bytes
PLANTED_REPLY=deep        100,000 '['
PLANTED_REPLY=big         a well-formed reply of 2 MiB
PLANTED_REPLY=sleep       never answers
PLANTED_REPLY=abort       the child aborts
PLANTED_REPLY=hog         allocates and touches memory until refused
PLANTED_REPLY=where:PATH  writes to PATH whether this process is the compiler
                          and whether the compiler maps libpython, then
                          answers with the golden reply beside PATH's caller
"""

import os
import time


def rank_json(request):
    kind, _, arg = os.environ.get("PLANTED_REPLY", "").partition(":")
    if kind == "file":
        with open(arg, "rb") as f:
            return f.read()
    if kind == "text":
        return arg.encode()
    if kind == "str":
        return '{"version": 1}'
    if kind == "deep":
        return b"[" * 100000
    if kind == "big":
        note = "x" * (2 << 20)
        head = '{"version":1,"pipelines":[],"rejected":[],"notes":["'
        return (head + note + '"],"error":"","model":""}').encode()
    if kind == "sleep":
        while True:
            time.sleep(3600)
    if kind == "abort":
        os.abort()
    if kind == "where":
        with open(f"/proc/{os.getppid()}/maps") as maps:
            python_in_parent = "libpython" in maps.read()
        with open(f"/proc/{os.getppid()}/comm") as comm:
            parent = comm.read().strip()
        with open(arg, "w") as f:
            print("parent", parent, "libpython in parent", python_in_parent, file=f)
        return b'{"version":1,"pipelines":[],"rejected":[],"notes":[],"error":"where","model":""}'
    if kind == "hog":
        chunks = []
        while True:
            chunks.append(bytearray(64 << 20))  # zero-filled: touched
    raise RuntimeError(f"unknown PLANTED_REPLY {kind!r}")
