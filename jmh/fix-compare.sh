#!/usr/bin/env bash
# The FIX gateway example against QuickFIX/J's acceptor on the same orders (about 2 minutes a round by default):
#   bash jmh/fix-compare.sh [--runs 3] [--warmup 3] [--measure 5] [--sessions 100] [--window 8] [--dir DIR]
#                           [--out FILE]
# Builds the benchmark jar, runs FixCompare (each server in a fresh process, rounds alternating them) and writes the
# table to jmh/target/fix-comparison.md. The journal and QuickFIX/J's file store go under --dir (default: the JVM's
# temporary directory). See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl jmh -am package
# The engine's flags (Agrona needs jdk.internal.misc); the Integer cache keeps the client's selector from boxing
# file descriptors above 127.
exec java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 \
    -cp jmh/target/benchmarks.jar dev.sluice.jmh.fix.FixCompare "$@"
