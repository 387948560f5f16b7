// Authenticated cache entries: an entry written with this run's secret
// (-llmc-cache-secret) carries a keyed MAC, so a hit measures only the
// winner, against the entry's baseline size, and applies it only when it
// measures exactly the recorded size. An entry whose fields were edited, one
// written under another secret, or any entry when the secret is unsafe
// (readable by others, a symlink) or 'off', is confirmed side by side with a
// baseline measured again, as before. The object is the same every time.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %inputs/make_model.py good %t/good.onnx
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/cold.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/cold.o
// RUN: stat -c '%%a %%s' %t/secret | FileCheck %s --check-prefix=SECRET
// RUN: sh -c 'cat %t/cache/*/*.json' | FileCheck %s --check-prefix=MAC
// SECRET: 600 32
// MAC: "ir":"{{[0-9a-f]+}}","mac":"{{[0-9a-f]+}}"
//
// A hit: the winner alone, in a child; the IR it produces has the digest the
// entry recorded, so the object is the one measured when it was written.
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/warm.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/warm.o
// RUN: cmp %t/cold.o %t/warm.o
// RUN: FileCheck %s --check-prefix=FAST < %t/warm.jsonl
// FAST: "notes":["authenticated cache entry: the winner's IR is the one measured when it was written"]
// FAST-SAME: "source":"cache"
//
// Another secret (another user, or no team secret): confirmed side by side.
// RUN: head -c 40 /dev/urandom > %t/other && chmod 600 %t/other
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/other LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/other.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/other.o
// RUN: cmp %t/cold.o %t/other.o
// RUN: FileCheck %s --check-prefix=SLOW < %t/other.jsonl
// SLOW: "notes":[]
// SLOW-SAME: "source":"cache"
//
// A secret others may read is no secret: nothing is trusted, nothing signed.
// RUN: cp %t/secret %t/open && chmod 644 %t/open
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/open LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/open.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/open.o
// RUN: FileCheck %s --check-prefix=SLOW < %t/open.jsonl
// RUN: ln -s %t/secret %t/link
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/link LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/link.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/link.o
// RUN: FileCheck %s --check-prefix=SLOW < %t/link.jsonl
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=off LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/off.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/off.o
// RUN: FileCheck %s --check-prefix=SLOW < %t/off.jsonl
//
// Edited fields under the old MAC (a baseline that lies, to make a larger
// winner look smaller): the MAC fails, the baseline is measured again.
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/resign.o
// RUN: %python -c "import glob, json; f = glob.glob('%t/cache/*/*.json')[0]; e = json.load(open(f)); \
// RUN:   e.update(winner='function(reg2mem)', winner_size=1, baseline_size=999999); json.dump(e, open(f, 'w'))"
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/edited.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/edited.o
// RUN: cmp %t/cold.o %t/edited.o
// RUN: FileCheck %s --check-prefix=EDITED < %t/edited.jsonl
// EDITED: "notes":["cache entry not used ('function(reg2mem)' ok: cached winner not smaller than default<Oz>): decided again"]
//
// The edited entry was decided again and rewritten, signed anew.
// RUN: %python -c "import glob, json; f = glob.glob('%t/cache/*/*.json')[0]; e = json.load(open(f)); print(e['winner'], len(e['mac']))" \
// RUN:   | FileCheck %s --check-prefix=REWRITTEN
// REWRITTEN: function(sroa,instcombine<no-verify-fixpoint>,simplifycfg) 64
//
// First the copy of the plugin's MAC in sign_entry.py is checked: re-signing
// the entry unchanged gives the same bytes. Then signed entries that do not
// hold: a winner whose IR has another digest than recorded, and (an entry
// without a digest) one that measures another size than recorded. Each is
// confirmed beside a new baseline.
// RUN: sh -c 'cp %t/cache/*/*.json %t/entry.json'
// RUN: sh -c '%python %inputs/sign_entry.py %t/secret %t/cache/*/*.json'
// RUN: sh -c 'cmp %t/entry.json %t/cache/*/*.json'
// RUN: sh -c '%python %inputs/sign_entry.py %t/secret %t/cache/*/*.json ir=\"0123456789abcdef\"'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/digest.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/digest.o
// RUN: cmp %t/cold.o %t/digest.o
// RUN: FileCheck %s --check-prefix=DIGEST < %t/digest.jsonl
// DIGEST: "notes":["authenticated cache entry not confirmed (another IR than recorded): measured beside the baseline"]
// RUN: sh -c 'for f in %t/cache/*/*.json; do cp %t/entry.json $f; done'
// RUN: sh -c '%python %inputs/sign_entry.py %t/secret %t/cache/*/*.json ir=null winner_size=265'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/measured.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/measured.o
// RUN: cmp %t/cold.o %t/measured.o
// RUN: FileCheck %s --check-prefix=MEASURED < %t/measured.jsonl
// MEASURED: "notes":["authenticated cache entry: the winner measured again, the baseline's size taken from the entry"]
// RUN: sh -c '%python %inputs/sign_entry.py %t/secret %t/cache/*/*.json ir=null winner_size=264'
// RUN: env LLMC_CACHE_DIR=%t/cache LLMC_CACHE_SECRET=%t/secret LLMC_MODEL=%t/good.onnx LLMC_LOG=%t/resigned.jsonl \
// RUN:   clang -Oz -fpass-plugin=%plugin -c %inputs/loops.c -o %t/resigned.o
// RUN: cmp %t/cold.o %t/resigned.o
// RUN: FileCheck %s --check-prefix=RESIGNED < %t/resigned.jsonl
// RESIGNED: "notes":["authenticated cache entry not confirmed (265 bytes, the entry says 264): measured beside the baseline"]
// RESIGNED-SAME: "source":"cache"
