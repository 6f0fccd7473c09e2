#!/usr/bin/env bash
# Where one fan-out case spends its time, per thread (event loop, pushing thread, reader), from a JFR recording:
#   bash jmh/profile-fanout.sh [IMPL] [WARMUP] [MEASURE]      IMPL: sluice (default), sluice-batch, netty-epoll-packed, ...
# Runs the case as jmh/compare.sh does (same JVM flags, placement "free"), records with JFR's "profile" settings and
# prints the top methods by self samples for each thread, leaving out the warm-up. Needs python3 and the JDK's jfr.
set -euo pipefail
cd "$(dirname "$0")/.."
IMPL=${1:-sluice}; WARMUP=${2:-3}; MEASURE=${3:-8}
mvn -B -q -DskipTests -pl jmh -am package
OUT=jmh/target/profile-$IMPL.jfr
java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -Xms1g -Xmx1g \
  --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  -Dio.netty.tryReflectionSetAccessible=true -Dio.netty.leakDetection.level=disabled \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
  -XX:StartFlightRecording=filename=$OUT,settings=profile \
  -cp jmh/target/benchmarks.jar dev.sluice.jmh.loopback.RunCase fanout "$IMPL" free "$WARMUP" "$MEASURE"
python3 jmh/jfr-top.py "$OUT" "$((WARMUP + 1))" 15
