#!/usr/bin/env bash
# Builds llmc's libFuzzer targets (clang-19, ASan+UBSan) in build/fuzz,
# replays every committed regression input, checks DecisionCache::parseEntry
# against tests/golden/cache-entries.tsv (with cache-entry), then fuzzes each
# target from its committed seed corpus, all three at once, for
# LLMC_FUZZ_SECONDS (default 20).
# Fails when any input crashes, leaks, hangs or trips a sanitizer; a crash
# found here is copied to tests/fuzz/regressions/<target>/ once fixed, so
# every later run replays it.
#
#   tests/fuzz/run.sh                       what scripts/test.sh runs
#   LLMC_FUZZ_SECONDS=600 tests/fuzz/run.sh a longer hunt
#   tests/fuzz/run.sh cache-entry           one target
# LLMC_VENV: the environment whose Python and pybind11 configure the build.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${LLMC_VENV:-$root/.venv}
build=${LLMC_FUZZ_BUILD:-$root/build/fuzz}
seconds=${LLMC_FUZZ_SECONDS:-20}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(cache-entry pipeline untrusted-json)

# The longest input worth trying: a little past each parser's own size limit.
max_len() {
  case $1 in
    cache-entry) echo 8448 ;;  # DecisionCache::MaxEntryBytes is 8192
    pipeline) echo 4352 ;;     # pipelines are at most 4096 bytes
    *) echo 4096 ;;
  esac
}

py="$venv/bin/python"
cmake -S "$root" -B "$build" -DLLMC_FUZZERS=ON \
  -DCMAKE_CXX_COMPILER=clang++-19 -DPython_EXECUTABLE="$py" \
  -Dpybind11_DIR="$("$py" -m pybind11 --cmakedir)" >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
# With the cache-entry fuzzer comes parseEntry's golden check (cache_golden.cpp).
extra=()
[[ " ${targets[*]} " == *" cache-entry "* ]] && extra=(llmc-cache-golden)
cmake --build "$build" -j2 --target "${targets[@]/#/llmc-fuzz-}" "${extra[@]}" >"$build.build.log" 2>&1 ||
  { tail -50 "$build.build.log"; exit 1; }

# The cache-entry harness writes a cache: on tmpfs, not the disk, when it can.
[ -n "${LLMC_FUZZ_TMPDIR:-}" ] || { [ -d /dev/shm ] && [ -w /dev/shm ] && export LLMC_FUZZ_TMPDIR=/dev/shm; } || true
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=0
if [ ${#extra[@]} -gt 0 ]; then
  # The plugin's parser and llmc cache's check_entry answer to one table.
  if ! "$build/plugin/fuzz/llmc-cache-golden" "$root/tests/golden/cache-entries.tsv" >"$build/cache-golden.log" 2>&1; then
    echo "fuzz cache-entry: parseEntry disagrees with tests/golden/cache-entries.tsv:"
    tail -30 "$build/cache-golden.log"
    failed=1
  else
    cat "$build/cache-golden.log"
  fi
fi
for t in "${targets[@]}"; do
  bin="$build/plugin/fuzz/llmc-fuzz-$t"
  regressions=("$here/regressions/$t"/*)
  if [ -e "${regressions[0]}" ]; then
    if ! "$bin" -timeout=10 -rss_limit_mb=2048 "${regressions[@]}" >"$build/$t.replay.log" 2>&1; then
      echo "fuzz $t: a committed regression input fails again:"
      tail -30 "$build/$t.replay.log"
      failed=1
    fi
  fi
done

pids=()
for t in "${targets[@]}"; do
  work="$build/work/$t"
  rm -rf "$work" && mkdir -p "$work/corpus"
  # New inputs go to the work corpus; the committed seeds are only read.
  "$build/plugin/fuzz/llmc-fuzz-$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/corpus" "$here/corpus/$t" >"$work/log" 2>&1 &
  pids+=($!)
done
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  work="$build/work/$t"
  if wait "${pids[$i]}"; then status=ok; else status=FAILED; failed=1; fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  echo "fuzz $t: $status, ${runs:-?} executions in ${seconds} s (${rate:-?}/s)," \
    "$(ls "$work/corpus" | wc -l) new corpus inputs"
  if [ $status = FAILED ]; then
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$work/log" | head -10
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
      [ -e "$a" ] && echo "  reproduce: $build/plugin/fuzz/llmc-fuzz-$t $a;" \
        "once fixed, copy it to tests/fuzz/regressions/$t/"
    done
  fi
done
exit $failed
