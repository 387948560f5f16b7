#!/bin/bash
# identity.sh OLD.so NEW.so: zlib's and Lua's sources (Debian's, as build-compare
# fetches them) compiled with clang -Oz and each plugin, the cache off; NEW at
# LLMC_JOBS=2 and 1, OLD at 2. Prints files whose objects differ, and any NEW
# object whose llvm-size text+data is not the size its decision log records
# (or whose baseline is not plain -Oz's), or that is larger than plain -Oz.
set -u
OLD=$1; NEW=$2; OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
mkdir -p "$OUT/old" "$OUT/new" "$OUT/new1"
src() { llmc-python -c "from pybridge.tools import buildcompare as b; print(b.fetch_source('$1'))"; }
llmc-python() { "$(dirname "$(command -v llmc)")/python" "$@"; }
Z=$(src zlib); L=$(src lua5.4)/src
echo '#define LUA_ROOT "/usr/"' > "$OUT/lua5.4-deb-multiarch.h"
size() { llvm-size-19 "$1" | awk 'NR==2{print $1+$2}'; }
logged() { llmc-python -c "import json,sys; r=json.load(open(sys.argv[1])); print(r$2 or '')" "$1"; }
n=0; d=0; m=0
for f in "$Z"/*.c "$L"/*.c; do
  b=$(basename "$f" .c); inc=(-I"$Z" -I"$L" -I"$OUT" -DLUA_USE_LINUX -DHAVE_UNISTD_H -w)
  clang-19 -Oz "${inc[@]}" -c "$f" -o "$OUT/plain.o" 2>/dev/null || continue
  for v in old new new1; do
    P=$OLD; J=2; [ $v != old ] && P=$NEW; [ $v = new1 ] && J=1
    env LLMC_JOBS=$J LLMC_CACHE_DIR=off LLMC_SERVER=off LLMC_LOG="$OUT/$v/$b.jsonl" \
      clang-19 -Oz "${inc[@]}" -fpass-plugin="$P" -c "$f" -o "$OUT/$v/$b.o"
  done
  n=$((n+1))
  cmp -s "$OUT/old/$b.o" "$OUT/new/$b.o" && cmp -s "$OUT/old/$b.o" "$OUT/new1/$b.o" \
    || { d=$((d+1)); echo "differs: $b"; }
  real=$(size "$OUT/new/$b.o"); plain=$(size "$OUT/plain.o")
  said=$(logged "$OUT/new/$b.jsonl" "['winner_size']"); base=$(logged "$OUT/new/$b.jsonl" "['baseline']['size']")
  # Modules below -llmc-min-instructions log no sizes: they are plain -Oz.
  if [ -n "$said" ] && { [ "$real" != "$said" ] || [ "$base" != "$plain" ]; }; then
    m=$((m+1)); echo "measure: $b object $real, logged $said, baseline $base, plain $plain"
  fi
  [ "$real" -le "$plain" ] || echo "larger: $b $real > $plain"
done
echo "$n files, $d differ, $m measure mismatches"
