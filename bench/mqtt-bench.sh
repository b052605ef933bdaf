#!/usr/bin/env bash
# MQTT bridge benchmark, with Mosquitto under the same load in the same run as the baseline. Against the local
# platform (started with ./outpost up if it is not running; Kafka on the same machine). Scenarios, from the load tool
# (load-tool/, io.outpost.load.MqttLoad); default all three:
#   throughput  1,000 devices, QoS 1, 100-byte payloads, one message in flight each: acknowledged messages/s
#   paced       1,000 devices at 5 msg/s each: publish-to-PUBACK p50/p99
#   burst       1,000 devices publishing once a second, all within 100 ms of a common tick: PUBACK p50/p99
#   idle        10,000 connections: time to connect and authenticate all, heap per connection on the bridge
# Usage: bench/mqtt-bench.sh [throughput] [paced] [burst] [idle]
# Writes .outpost/bench/mqtt.json. Options via environment: BENCH_DURATION (s, default 20), BENCH_WARM_UP (5).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

DURATION=${BENCH_DURATION:-20}
WARM_UP=${BENCH_WARM_UP:-5}
SECRET=mqtt-bench-secret-0123456789
IDLE_DEVICES=10000
select_scenarios "throughput paced burst idle" "$@"

bench_init
tenant=mqtt-bench-$RANDOM
devices=1000
runs idle && devices=$IDLE_DEVICES
create_bench_tenant "$tenant" load- "$devices" "$SECRET"
start_mosquitto

# Each run starts on a settled machine.
bridge_load() { settle; load_tool io.outpost.load.MqttLoad "$1" --port "$MQTT_PORT" --tenant "$tenant" --secret "$SECRET" "${@:2}"; }
mosquitto_load() { settle; load_tool io.outpost.load.MqttLoad "$1" --port "$MOSQUITTO_PORT" "${@:2}"; }

heap_used() {
  jcmd "$(pid_of mqtt-bridge)" GC.run >/dev/null
  curl -fs "http://127.0.0.1:$(port_of mqtt-bridge)/q/metrics" |
    awk '/^jvm_memory_used_bytes\{area="heap"/ {sum += $NF} END {printf "%.0f", sum}'
}
mosquitto_rss() { echo $(($(awk '/VmRSS/ {print $2}' "/proc/$mosquitto_pid/status") * 1024)); }
# Holds the connections until the memory is measured, then prints the load tool's line with the memory figures.
idle() {
  local target=$1 measure=$2 before after line
  rm -f "$work/idle.out"
  before=$($measure)
  ("${target}_load" idle --devices "$IDLE_DEVICES" --hold 600 --connect-concurrency 500 >"$work/idle.out") &
  local loader=$!
  until [[ -s $work/idle.out ]]; do
    kill -0 "$loader" 2>/dev/null || die "$target idle load failed"
    sleep 0.5
  done
  sleep 2
  after=$($measure)
  pkill -P "$loader" 2>/dev/null || true
  wait "$loader" 2>/dev/null || true
  line=$(head -n 1 "$work/idle.out")
  printf '%s,"before":%s,"after":%s,"perConnection":%.0f}\n' "${line%\}}" "$before" "$after" \
    "$(((after - before) / IDLE_DEVICES))"
}

common=(--warm-up "$WARM_UP" --duration "$DURATION" --payload-bytes 100)
# A platform started a minute ago runs interpreted code: one unmeasured run lets the JIT compile the hot paths of the
# bridge and Kafka (and of the load tool) first, as command-bench.sh does.
if runs throughput || runs paced || runs burst; then
  say "warming up (15 s, not measured)"
  bridge_load throughput --devices 1000 --warm-up 0 --duration 15 --payload-bytes 100 >/dev/null || true
fi
json=()
against="Mosquitto $(mosquitto_version)"
if runs throughput; then
  say "throughput, 1,000 devices, one in flight each: bridge, then mosquitto"
  bridge=$(measured bridge bridge bridge_load throughput --devices 1000 "${common[@]}")
  mosquitto=$(measured bridge mosquitto mosquitto_load throughput --devices 1000 "${common[@]}")
  json+=("\"throughput\":{\"bridge\":$bridge,\"mosquitto\":$mosquitto}")
  row bridge "QoS 1 throughput, 1,000 devices, 100 B" msg/s "$(field "$bridge" messagesPerSecond)" \
    "$(field "$mosquitto" messagesPerSecond)" "$against" "ratio >= 0.5"
fi
if runs paced; then
  say "paced, 1,000 devices x 5 msg/s: bridge, then mosquitto"
  bridge=$(measured bridge bridge bridge_load paced --devices 1000 --rate 5 "${common[@]}")
  mosquitto=$(measured bridge mosquitto mosquitto_load paced --devices 1000 --rate 5 "${common[@]}")
  json+=("\"paced\":{\"bridge\":$bridge,\"mosquitto\":$mosquitto}")
  row bridge "publish -> PUBACK p50, 5,000 msg/s" ms "$(field "$bridge" p50Ms)" "$(field "$mosquitto" p50Ms)" "$against" -
  row bridge "publish -> PUBACK p99, 5,000 msg/s" ms "$(field "$bridge" p99Ms)" "$(field "$mosquitto" p99Ms)" \
    "$against" "< 10"
fi
if runs burst; then
  say "burst, 1,000 devices publishing once a second within 100 ms of a common tick: bridge, then mosquitto"
  bridge=$(measured bridge bridge bridge_load burst --devices 1000 --rate 1 "${common[@]}")
  mosquitto=$(measured bridge mosquitto mosquitto_load burst --devices 1000 --rate 1 "${common[@]}")
  json+=("\"burst\":{\"bridge\":$bridge,\"mosquitto\":$mosquitto}")
  row bridge "publish -> PUBACK p50, bursts of 1,000 each second" ms "$(field "$bridge" p50Ms)" \
    "$(field "$mosquitto" p50Ms)" "$against" -
  row bridge "publish -> PUBACK p99, bursts of 1,000 each second" ms "$(field "$bridge" p99Ms)" \
    "$(field "$mosquitto" p99Ms)" "$against" "< 20"
fi
if runs idle; then
  say "idle, $IDLE_DEVICES connections: bridge (heap after a full GC), then mosquitto (resident memory)"
  bridge=$(idle bridge heap_used)
  mosquitto=$(idle mosquitto mosquitto_rss)
  json+=("\"idle\":{\"bridge\":$bridge,\"mosquitto\":$mosquitto}")
  row idle "connect + authenticate $IDLE_DEVICES devices" s "$(field "$bridge" connectSeconds)" \
    "$(field "$mosquitto" connectSeconds)" "$against" "< 10"
  row idle "memory per idle connection (heap; RSS)" bytes "$(field "$bridge" perConnection)" \
    "$(field "$mosquitto" perConnection)" "$against" "<= 10240"
fi
(IFS=,; echo "{${json[*]}}") >"$STATE/bench/mqtt.json"
say "report: $STATE/bench/mqtt.json"
