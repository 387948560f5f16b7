"""The ``llmc`` command line and the tools around the plugin (not imported by a compile).

``cli`` wires the subcommands; ``commands`` holds plugin-path, flags, predict and
doctor; ``buildcompare`` builds real projects with and without llmc; ``difftest``
and ``stress`` are the differential tests (csmith programs, llvm-stress modules).
"""
