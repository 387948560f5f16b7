"""jobserver.py STYLE TOKENS COMMAND...: run COMMAND under a GNU-make-style jobserver.

STYLE is ``pipe`` (MAKEFLAGS --jobserver-auth=R,W, the descriptors passed on),
``fifo`` (--jobserver-auth=fifo:PATH, make >= 4.4) or ``decoy`` (R,W name two
unrelated pipes, as a recipe make 4.3 does not see as recursive may have).
TOKENS distinct bytes are put in; after COMMAND exits, prints how many came
back and whether they are the same bytes (a decoy must be left untouched).
"""

import os
import subprocess
import sys
import tempfile

style, count, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
tokens = bytes(range(ord("a"), ord("a") + count))
env = dict(os.environ)
with tempfile.TemporaryDirectory() as tmp:
    if style == "fifo":
        path = os.path.join(tmp, "fifo")
        os.mkfifo(path, 0o600)
        read_fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        write_fd = os.open(path, os.O_WRONLY)
        auth, keep = f"fifo:{path}", ()
    else:
        read_fd, write_fd = os.pipe()
        if style == "decoy":
            other_read, other_write = os.pipe()
            auth, keep = f"{read_fd},{other_write}", (read_fd, other_write)
        else:
            auth, keep = f"{read_fd},{write_fd}", (read_fd, write_fd)
        os.set_blocking(read_fd, False)
    os.write(write_fd, tokens)
    env["MAKEFLAGS"] = f" -j{count + 1} --jobserver-auth={auth}"
    code = subprocess.call(command, env=env, pass_fds=keep)
    try:
        back = os.read(read_fd, 4096)
    except BlockingIOError:
        back = b""
print(f"tokens back: {len(back)} of {count}, same: {sorted(back) == sorted(tokens)}")
sys.exit(code)
