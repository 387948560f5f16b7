"""One program's LTO link with trials on idle CPUs (the default) and one at a time.

Builds the program as ``bench_linked.py`` does (x86-64, ``-Oz -flto``,
``llmc flags --lto``, lld, ``--gc-sections``), once with ``LLMC_JOBS=0`` and
once with ``LLMC_JOBS=1``, runs alternating, and prints each link's wall time
and whether the images are identical. Run it on an idle machine: the default
takes only the CPUs idle at each batch of trials.

usage: python link_jobs.py [--program expat-elements] [--runs 1]
"""

from __future__ import annotations

import argparse
import filecmp
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import bench_linked as BL

from pybridge import options


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", default="expat-elements")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    program = next(p for p in BL.programs() if p.name == args.program)
    times: dict[int, list[float]] = {0: [], 1: []}
    with tempfile.TemporaryDirectory(prefix="llmc-link-jobs-") as tmp:
        server = Path(tmp) / "server"
        server.mkdir(mode=0o700)
        images = []
        for run in range(args.runs):
            for jobs in times:
                env = options.plugin_env(CacheDir="off", Server=server, Jobs=jobs)
                work = Path(tmp) / f"jobs{jobs}-{run}"
                image, seconds = BL.build(program, "x86-64", True, True, work, env)
                times[jobs].append(seconds)
                images.append(image)
        same = all(filecmp.cmp(images[0], i, shallow=False) for i in images[1:])
    for jobs, values in times.items():
        label = "default (idle CPUs)" if jobs == 0 else "LLMC_JOBS=1"
        print(f"{args.program} LTO link, {label}: {statistics.median(values):.1f} s")
    print(f"images identical: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
