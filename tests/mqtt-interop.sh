#!/usr/bin/env bash
# Drives the MQTT broker example with the mosquitto command-line clients (Debian package mosquitto-clients), a
# client nobody here wrote: retained messages and their clearing, wildcards, QoS 0, 1 and 2 publishes, a last will.
# Not part of the default test run:
#   bash tests/mqtt-interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v mosquitto_pub >/dev/null || apt-get install -y -q mosquitto-clients >/dev/null
mvn -B -q -o -DskipTests install -pl tests -am 2>/dev/null || mvn -B -q -DskipTests install -pl tests -am
mvn -B -q -o -pl tests dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile=target/runtime-classpath.txt
classpath="tests/target/classes:$(cat tests/target/runtime-classpath.txt)"
port=18831
log=tests/target/mqtt-interop-broker.log
java --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -XX:AutoBoxCacheMax=65536 -cp "$classpath" \
    dev.sluice.examples.mqtt.MqttBrokerMain 127.0.0.1 "$port" 1 >"$log" 2>&1 &
broker=$!
trap 'kill "$broker" 2>/dev/null; wait "$broker" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done

failures=0
check() { # name, expected, actual
    if [ "$2" == "$3" ]; then
        echo "ok   $1"
    else
        echo "FAIL $1: expected [$2], got [$3]"
        failures=$((failures + 1))
    fi
}
pub() { mosquitto_pub -h 127.0.0.1 -p "$port" "$@"; }
sub() { mosquitto_sub -h 127.0.0.1 -p "$port" "$@"; }

pub -t interop/status -m up -r -q 1
check "a retained message reaches a later subscriber" "interop/status up" "$(sub -t 'interop/#' -C 1 -W 5 -v)"

mosquitto_sub -h 127.0.0.1 -p "$port" -t 'interop/+/price' -C 3 -W 10 -v >tests/target/mqtt-interop-prices.txt &
prices=$!
sleep 0.5
pub -t interop/ACME/price -m 10.5 -q 0
pub -t interop/ACME/volume -m 7 -q 0
pub -t interop/BETA/price -m 20.25 -q 1
pub -t interop/GAMMA/price -m 3 -q 2
wait "$prices" || true
check "a + filter gets its topics at QoS 0, 1 and 2, nothing else" \
    "$(printf 'interop/ACME/price 10.5\ninterop/BETA/price 20.25\ninterop/GAMMA/price 3')" \
    "$(cat tests/target/mqtt-interop-prices.txt)"

mosquitto_sub -h 127.0.0.1 -p "$port" -t interop/will -C 1 -W 10 -v >tests/target/mqtt-interop-will.txt &
watcher=$!
sleep 0.5
mosquitto_sub -h 127.0.0.1 -p "$port" -t interop/nothing --will-topic interop/will --will-payload gone -k 60 \
    >/dev/null &
vanishing=$!
sleep 0.5
kill -9 "$vanishing"
wait "$watcher" || true
check "a client killed without DISCONNECT leaves its will" "interop/will gone" \
    "$(cat tests/target/mqtt-interop-will.txt)"

pub -t interop/status -r -n
check "an empty retained message clears the topic" "" "$(sub -t interop/status -C 1 -W 2 -v 2>/dev/null || true)"

if [ "$failures" -gt 0 ]; then
    echo "$failures interop check(s) failed; the broker's log: $log"
    exit 1
fi
echo "all interop checks passed"
