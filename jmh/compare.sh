#!/usr/bin/env bash
# The whole loopback comparison with Netty 4.2 (about 14 minutes on 2 vCPUs with the defaults):
#   bash jmh/compare.sh [--runs 3] [--warmup 2] [--measure 4] [--only pingpong,reqresp,fanout,group-100,group-1000]
#                        [--out FILE]
# Builds the benchmark jar, runs every case in a fresh JVM, prints the table and writes it to
# jmh/target/loopback-comparison.md. See docs/benchmarks.md for what each case does.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests -pl jmh -am package
exec java -cp jmh/target/benchmarks.jar dev.sluice.jmh.loopback.Compare "$@"
