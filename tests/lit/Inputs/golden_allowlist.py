"""The C++ side of the allow-list golden test (tests/golden/pipelines.tsv).

``list GOLDEN`` prints the table's pipelines, one per line, for -llmc-pipelines.
``compare GOLDEN LOG`` checks the plugin's verdicts in a decision log against the
table and against pybridge.allowlist.check: a rejected row must be rejected by the
plugin with exactly Python's reason, an accepted row must reach its trial.
"""

import json
import sys
from pathlib import Path

from pybridge import allowlist


def rows(path):
    for line in Path(path).read_text().splitlines():
        if line and not line.startswith("#"):
            verdict, pipeline, _why = line.split("\t")
            if pipeline:  # an empty line is no entry of a pipeline list
                yield verdict, pipeline


def main(argv):
    if argv[0] == "list":
        for _, pipeline in rows(argv[1]):
            print(pipeline)
        return 0
    golden = list(rows(argv[1]))
    (decision,) = [json.loads(line) for line in Path(argv[2]).read_text().splitlines()]
    got = decision["candidates"]
    bad = []
    if [c["pipeline"] for c in got] != [p for _, p in golden]:
        print("the log lists other pipelines than the table")
        return 1
    for (verdict, pipeline), cand in zip(golden, got, strict=True):
        python = allowlist.check(pipeline)
        if (verdict == "reject") != (python is not None):
            bad.append(f"python disagrees with the table on {pipeline!r}: {python}")
        if verdict == "reject" and (cand["status"], cand["reason"]) != ("rejected", python):
            plugin = f"{cand['status']} {cand['reason']!r}"
            bad.append(f"{pipeline!r}: plugin {plugin}, python {python!r}")
        if verdict == "accept" and cand["status"] == "rejected":
            bad.append(f"{pipeline!r}: plugin rejected it: {cand['reason']}")
    for line in bad:
        print(line)
    print(f"{len(golden) - len(bad)} of {len(golden)} rows agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
