"""lit configuration for the plugin's tests (tests/lit).

The plugin under test is the installed one (``llmc plugin-path``) unless
LLMC_PLUGIN names another build. LLVM 19's own tools come first on PATH.
"""

import os
import shutil
import subprocess
import sys

import lit.formats

config.name = "llmc"  # noqa: F821 - lit injects config
config.test_format = lit.formats.ShTest(execute_external=False)  # noqa: F821
config.suffixes = [".ll", ".c", ".test"]  # noqa: F821
config.excludes = ["Inputs", "lit.cfg.py"]  # noqa: F821
config.test_source_root = os.path.dirname(os.path.abspath(__file__))  # noqa: F821
config.test_exec_root = config.test_source_root  # noqa: F821 - lit adds Output/

plugin = os.environ.get("LLMC_PLUGIN")
if not plugin:
    llmc = shutil.which("llmc")
    if llmc is None:
        raise RuntimeError("llmc is not installed: run scripts/setup.sh, or set LLMC_PLUGIN")
    plugin = subprocess.check_output([llmc, "plugin-path"], text=True).strip()
if not os.path.exists(plugin):
    raise RuntimeError(f"plugin not found: {plugin}")

llvm_bin = "/usr/lib/llvm-19/bin"
config.environment["PATH"] = os.pathsep.join(  # noqa: F821
    [llvm_bin, os.path.dirname(sys.executable), os.environ.get("PATH", "")]
)
# The tests set every llmc option they rely on; nothing leaks in from outside.
for name in list(config.environment):  # noqa: F821
    if name.startswith("LLMC_"):
        del config.environment[name]  # noqa: F821
# Decisions are not remembered between tests unless a test asks for a cache.
config.environment["LLMC_CACHE_DIR"] = "off"  # noqa: F821
# One trial at a time unless a test asks: by default how many run at once
# follows the machine's idle CPUs, and the log's notes say so.
config.environment["LLMC_JOBS"] = "1"  # noqa: F821
# The cache's secret is made under here, never in the home of whoever runs the tests.
xdg_config = os.path.join(config.test_exec_root, "Output", "xdg-config")  # noqa: F821
config.environment["XDG_CONFIG_HOME"] = xdg_config  # noqa: F821
if "LLMC_PYTHONPATH" in os.environ:  # a development tree without installing
    config.environment["LLMC_PYTHONPATH"] = os.environ["LLMC_PYTHONPATH"]  # noqa: F821
    config.environment["PYTHONPATH"] = os.environ["LLMC_PYTHONPATH"]  # noqa: F821

config.substitutions.append(("%plugin", plugin))  # noqa: F821
# The shipped model, where the plugin itself looks for it.
model = os.path.join(os.path.dirname(plugin), "..", "data", "model.onnx")
config.substitutions.append(("%model", os.path.realpath(model)))  # noqa: F821
# Tests that put a directory before pybridge keep the development tree's path.
config.substitutions.append(  # noqa: F821
    ("%llmc_pythonpath", os.environ.get("LLMC_PYTHONPATH", ""))
)

# An opt of another LLVM major, when one is installed, for the version check.
for major in (18, 17, 16, 15, 14, 20, 21):
    other = f"/usr/lib/llvm-{major}/bin/opt"
    if os.path.exists(other):
        config.available_features.add("other-llvm")  # noqa: F821
        config.substitutions.append(("%other_opt", other))  # noqa: F821
        break
config.substitutions.append(("%python", sys.executable))  # noqa: F821
# Frontend output in the form the plugin sees inside clang -Oz.
config.substitutions.append(  # noqa: F821
    ("%frontend", "clang -Oz -Xclang -disable-llvm-passes -emit-llvm -c")
)
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))  # noqa: F821

# Cortex-M4 with Debian's newlib (libnewlib-arm-none-eabi) and libgcc
# (gcc-arm-none-eabi), linked by lld: the firmware users' target.
from pybridge.targets import TARGETS  # noqa: E402 - the one table of target flags

arm = TARGETS["cortex-m4"]
arm_gcc = shutil.which("arm-none-eabi-gcc")
if arm_gcc and arm.headers_installed():

    def arm_file(name: str) -> str:
        out = subprocess.check_output(
            [arm_gcc, *arm.gcc_flags(), f"-print-file-name={name}"], text=True
        )
        return os.path.dirname(os.path.realpath(out.strip()))

    newlib, libgcc = arm_file("libc.a"), arm_file("libgcc.a")
    config.available_features.add("arm-newlib")  # noqa: F821
    config.substitutions.append(("%arm_cc", "clang " + " ".join(arm.compile_flags())))  # noqa: F821
    config.substitutions.append(  # noqa: F821
        ("%arm_crt", f"-nostdlib {newlib}/crt0.o {libgcc}/crti.o {libgcc}/crtbegin.o")
    )
    config.substitutions.append(  # noqa: F821
        (
            "%arm_libs",
            f"-L{newlib} -L{libgcc} -Wl,--start-group -lc -lnosys -lgcc -Wl,--end-group "
            f"{libgcc}/crtend.o {libgcc}/crtn.o -Wl,-T,"
            + os.path.join(config.test_source_root, "Inputs", "arm-bss.ld"),  # noqa: F821
        )
    )
