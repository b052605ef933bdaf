#!/usr/bin/env bash
# MQTT bridge benchmark, with Mosquitto under the same load in the same run as the baseline. Against the local
# platform (started with ./outpost up if it is not running; Kafka on the same machine). Scenarios, from the load tool
# (load-tool/, io.outpost.load.MqttLoad):
#   throughput  1,000 devices, QoS 1, 100-byte payloads, one message in flight each: acknowledged messages/s
#   paced       1,000 devices at 5 msg/s each: publish-to-PUBACK p50/p99
#   idle        10,000 connections: time to connect and authenticate all, heap per connection on the bridge
# Writes .outpost/bench/mqtt.json. Options via environment: BENCH_DURATION (s, default 20), BENCH_WARM_UP (5).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/deploy/local/platform.sh"

DURATION=${BENCH_DURATION:-20}
WARM_UP=${BENCH_WARM_UP:-5}
MOSQUITTO_PORT=${BENCH_MOSQUITTO_PORT:-1884}
SECRET=mqtt-bench-secret-0123456789
IDLE_DEVICES=10000

if ! command -v mosquitto >/dev/null && [[ ! -x /usr/sbin/mosquitto ]]; then
  say "installing the Mosquitto broker (the baseline)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto
fi
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)

"$ROOT/outpost" up >/dev/null
"$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -pl load-tool >>"$LOGS/build.log" 2>&1 || die "load tool build failed"
mkdir -p "$STATE/bench"
work=$(mktemp -d)
tenant=mqtt-bench-$RANDOM
registry=http://127.0.0.1:$(port_of device-registry)/api/v1
token=$(curl -fs -d grant_type=password -d client_id=outpost-cli -d username=pat -d password=pat-password \
  "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
mosquitto_pid=
cleanup() {
  [[ -z $mosquitto_pid ]] || kill "$mosquitto_pid" 2>/dev/null || true
  curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$registry/tenants/$tenant" || true
  rm -rf "$work"
}
trap cleanup EXIT

# exec: a load run in the background is then the java process itself, so killing it ends the connections.
load() {
  exec java -XX:+UseParallelGC -Xmx4g -cp "$ROOT/load-tool/target/classes:$ROOT/load-tool/target/lib/*" \
    io.outpost.load.MqttLoad "$@"
}
bridge_load() { load "$1" --port "$MQTT_PORT" --tenant "$tenant" --secret "$SECRET" "${@:2}"; }
mosquitto_load() { load "$1" --port "$MOSQUITTO_PORT" "${@:2}"; }

say "registering $IDLE_DEVICES bench devices in tenant $tenant"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$tenant\",\"name\":\"MQTT benchmark\"}" "$registry/tenants"
{ echo "id,secret"; for ((i = 0; i < IDLE_DEVICES; i++)); do echo "load-$i,$SECRET"; done; } >"$work/devices.csv"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary "@$work/devices.csv" \
  "$registry/tenants/$tenant/devices/import"
outbox_empty() {
  curl -fs "http://127.0.0.1:$(port_of device-registry)/q/metrics" | grep -q '^outpost_registry_outbox_pending 0'
}
wait_for device-registry "registry outbox relayed" outbox_empty

printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\n' \
  "$MOSQUITTO_PORT" >"$work/mosquitto.conf"
"$MOSQUITTO" -c "$work/mosquitto.conf" >"$LOGS/bench-mosquitto.log" 2>&1 &
mosquitto_pid=$!
until port_busy "$MOSQUITTO_PORT"; do
  kill -0 "$mosquitto_pid" 2>/dev/null || die "mosquitto did not start; log: $LOGS/bench-mosquitto.log"
  sleep 0.2
done

common=(--warm-up "$WARM_UP" --duration "$DURATION" --payload-bytes 100)
say "throughput, 1,000 devices, one in flight each: bridge"
bridge_throughput=$(bridge_load throughput --devices 1000 "${common[@]}")
say "throughput: mosquitto"
mosquitto_throughput=$(mosquitto_load throughput --devices 1000 "${common[@]}")
say "paced, 1,000 devices x 5 msg/s: bridge"
bridge_paced=$(bridge_load paced --devices 1000 --rate 5 "${common[@]}")
say "paced: mosquitto"
mosquitto_paced=$(mosquitto_load paced --devices 1000 --rate 5 "${common[@]}")

heap_used() {
  jcmd "$(pid_of mqtt-bridge)" GC.run >/dev/null
  curl -fs "http://127.0.0.1:$(port_of mqtt-bridge)/q/metrics" |
    awk '/^jvm_memory_used_bytes\{area="heap"/ {sum += $NF} END {printf "%.0f", sum}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# Holds the connections until the measurement is taken, then prints the load tool's line.
idle() {
  local target=$1 measure=$2 before after line
  before=$($measure)
  "${target}_load" idle --devices "$IDLE_DEVICES" --hold 600 --connect-concurrency 500 >"$work/idle.out" &
  local loader=$!
  until [[ -s $work/idle.out ]]; do
    kill -0 "$loader" 2>/dev/null || die "$target idle load failed"
    sleep 0.5
  done
  sleep 2
  after=$($measure)
  kill "$loader" 2>/dev/null; wait "$loader" 2>/dev/null || true
  line=$(head -n 1 "$work/idle.out")
  printf '%s,"before":%s,"after":%s,"perConnection":%.0f}\n' "${line%\}}" "$before" "$after" \
    "$(((after - before) / IDLE_DEVICES))"
}
say "idle, $IDLE_DEVICES connections: bridge (heap after a full GC)"
bridge_idle=$(idle bridge heap_used)
[[ -n $bridge_idle ]] || die "bridge idle run failed"
say "idle: mosquitto (resident memory)"
mosquitto_rss() { echo $(($(rss_kb "$mosquitto_pid") * 1024)); }
mosquitto_idle=$(idle mosquitto mosquitto_rss)
[[ -n $mosquitto_idle ]] || die "mosquitto idle run failed; log: $LOGS/bench-mosquitto.log"

field() { sed -nE "s/.*\"$2\":([0-9.]+).*/\1/p" <<<"$1"; }
ratio=$(awk -v b="$(field "$bridge_throughput" messagesPerSecond)" -v m="$(field "$mosquitto_throughput" messagesPerSecond)" \
  'BEGIN {printf "%.2f", b / m}')
cat >"$STATE/bench/mqtt.json" <<JSON
{"machine":{"cores":$(nproc),"java":"$(java -version 2>&1 | head -n 1 | sed 's/"/\\"/g')"},
 "bridge":{"throughput":$bridge_throughput,"paced":$bridge_paced,"idle":$bridge_idle},
 "mosquitto":{"throughput":$mosquitto_throughput,"paced":$mosquitto_paced,"idle":$mosquitto_idle},
 "throughputRatioToMosquitto":$ratio}
JSON
cat <<EOF

machine: $(nproc) cores; Kafka, PostgreSQL, Keycloak and all services on the same machine
                        bridge                      mosquitto
throughput (msg/s)      $(field "$bridge_throughput" messagesPerSecond)  (goal >= 20000)   $(field "$mosquitto_throughput" messagesPerSecond)   ratio $ratio
paced p50 / p99 (ms)    $(field "$bridge_paced" p50Ms) / $(field "$bridge_paced" p99Ms)  (goal p99 < 20)   $(field "$mosquitto_paced" p50Ms) / $(field "$mosquitto_paced" p99Ms)
$IDLE_DEVICES connects (s)       $(field "$bridge_idle" connectSeconds)  (goal < 10)        $(field "$mosquitto_idle" connectSeconds)
per connection          $(field "$bridge_idle" perConnection) bytes heap (goal <= 10240)   $(field "$mosquitto_idle" perConnection) bytes RSS
report: $STATE/bench/mqtt.json
EOF
