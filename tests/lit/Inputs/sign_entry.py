"""sign_entry.py SECRET ENTRY NAME=VALUE...: edit a decision cache entry, then sign it
as a compiler holding SECRET would (plugin/DecisionCache.cpp, DecisionCache::mac):
keyed BLAKE3 of the domain, the key (the entry's file name) and the compact JSON of
its fields, sorted by name. VALUE is JSON, else a string (winner_size=264,
ir=0123456789abcdef; null removes the field)."""

import json
import os
import sys

import blake3

secret_file, entry_file, *edits = sys.argv[1:]
with open(secret_file, "rb") as fh:
    secret = blake3.blake3(b"llmc-cache-secret-v1" + fh.read()).digest()
with open(entry_file) as fh:
    entry = json.load(fh)
entry.pop("mac", None)
for edit in edits:
    name, _, value = edit.partition("=")
    try:
        entry[name] = json.loads(value)
    except ValueError:  # not JSON: a string
        entry[name] = value
    if entry[name] is None:  # name=null removes the field
        del entry[name]
key = os.path.basename(entry_file).removesuffix(".json")
text = json.dumps(entry, sort_keys=True, separators=(",", ":"))
message = b"llmc-cache-entry-v1\0" + key.encode() + b"\0" + text.encode()
entry["mac"] = blake3.blake3(message, key=secret).hexdigest()
with open(entry_file, "w") as fh:
    json.dump(entry, fh, sort_keys=True, separators=(",", ":"))
