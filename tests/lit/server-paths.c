// Where the ranking server lives. Bind and connect go through a descriptor of
// the verified private directory (/proc/self/fd/N/NAME), so a directory whose
// path is longer than sun_path (108 bytes) works: the server answers. When the
// default directory is not ours (another user made /tmp/llmc-UID first; here
// $XDG_RUNTIME_DIR/llmc open to others, or owned by nobody), the server moves
// to a private directory of our own under $XDG_CACHE_HOME, and the log says
// why; an explicit -llmc-server directory is never replaced.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %frontend %inputs/loops.c -o %t/in.bc
// RUN: env LLMC_SERVER=off opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/off.bc
//
// A runtime directory 150+ characters below %t:
// RUN: mkdir -p %t/long/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789
// RUN: chmod 700 %t/long/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789
// RUN: env XDG_RUNTIME_DIR=%t/long/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789 \
// RUN:   LLMC_LOG=%t/long.jsonl opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/long1.bc
// RUN: env XDG_RUNTIME_DIR=%t/long/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789/directory-of-forty-characters-0123456789 \
// RUN:   LLMC_LOG=%t/long.jsonl opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/long2.bc
// RUN: cmp %t/off.bc %t/long1.bc
// RUN: cmp %t/off.bc %t/long2.bc
// RUN: ls %t/long/*/*/*/*/llmc/ | FileCheck %s --check-prefix=SOCKET
// RUN: FileCheck %s --check-prefix=LONG < %t/long.jsonl
// SOCKET: rank-{{[0-9a-f]+}}.sock
// LONG: "notes":[]
// LONG-SAME: "ranker":"server"
// LONG: "notes":[]
// LONG-SAME: "ranker":"server"
//
// A default directory open to others, then one owned by nobody:
// RUN: mkdir -p %t/xdg1/llmc %t/xdg2/llmc && chmod 755 %t/xdg1/llmc && chmod 700 %t/xdg2/llmc && chown nobody %t/xdg2/llmc
// RUN: env XDG_RUNTIME_DIR=%t/xdg1 XDG_CACHE_HOME=%t/cache LLMC_LOG=%t/fallback.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/fallback1.bc
// RUN: env XDG_RUNTIME_DIR=%t/xdg2 XDG_CACHE_HOME=%t/cache LLMC_LOG=%t/fallback.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/fallback2.bc
// RUN: cmp %t/off.bc %t/fallback1.bc
// RUN: cmp %t/off.bc %t/fallback2.bc
// RUN: FileCheck %s --check-prefix=FALLBACK < %t/fallback.jsonl
// FALLBACK: "notes":["ranking server: {{.*}}xdg1/llmc is not a private directory of this user; using {{.*}}cache/llmc/server"]
// FALLBACK-SAME: "ranker":"server"
// FALLBACK: "notes":["ranking server: {{.*}}xdg2/llmc is not a private directory of this user; using {{.*}}cache/llmc/server"]
// FALLBACK-SAME: "ranker":"server"
// RUN: stat -c '%%a %%F' %t/cache/llmc/server | FileCheck %s --check-prefix=MODE
// MODE: 700 directory
// RUN: not ls %t/xdg1/llmc/* %t/xdg2/llmc/*
//
// Without XDG_CACHE_HOME, ~/.cache/llmc/server:
// RUN: mkdir -p %t/home
// RUN: env -u XDG_CACHE_HOME HOME=%t/home XDG_RUNTIME_DIR=%t/xdg1 LLMC_LOG=%t/home.jsonl \
// RUN:   opt -load-pass-plugin=%plugin -passes=llmc-autotune %t/in.bc -o %t/home.bc
// RUN: cmp %t/off.bc %t/home.bc
// RUN: FileCheck %s --check-prefix=HOME < %t/home.jsonl
// HOME: "notes":["ranking server: {{.*}}xdg1/llmc is not a private directory of this user; using {{.*}}home/.cache/llmc/server"]
// HOME-SAME: "ranker":"server"
