#!/usr/bin/env bash
# Our MQTT broker against mosquitto on the same load (about 2 minutes per subscriber count with the defaults):
#   bash jmh/mqtt-compare.sh [--runs 3] [--subscribers 100,1000] [--window 64] [--warmup 3] [--measure 5] [--out FILE]
# Installs mosquitto (Debian package) if it is missing, builds the benchmark jar, runs MqttCompare and writes the
# table to jmh/target/mqtt-comparison.md. See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mosquitto >/dev/null && [ ! -x /usr/sbin/mosquitto ]; then
    apt-get install -y -q mosquitto >/dev/null
fi
# The broker the package installs runs as a service on port 1883 on some systems; ours uses 18830.
mvn -B -q -DskipTests -pl jmh -am package
exec java -cp jmh/target/benchmarks.jar dev.sluice.jmh.mqtt.MqttCompare "$@"
