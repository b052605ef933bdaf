#!/usr/bin/env bash
# Command service benchmark against the local platform (started with ./outpost up if it is not running; Kafka,
# PostgreSQL, Keycloak and every service on this machine). Devices are simulated by the load tool
# (load-tool/, io.outpost.load.CommandLoad) over MQTT; commands go through the REST API with a real Keycloak token.
#   latency     10 online devices x 5 commands/s: POST sent -> command arrives at the device, p50/p99/p99.9
#   throughput  64 callers POSTing back to back over 100 online devices: commands accepted (202) per second, p99
#   storm       10,000 devices go offline, each gets a command, all reconnect at once: time until every device is
#               re-authenticated and subscribed, and until every command has arrived (goal < 30 s)
# The baseline runs the same scenario on Mosquitto: a backend client publishes each command at QoS 1 straight to the
# device's topic, devices keep persistent sessions (no expiry, reply, mailbox in a database or REST in between).
# Usage: bench/command-bench.sh [latency] [throughput] [storm]
# Writes .outpost/bench/command.json. Options via environment: BENCH_DURATION (s, default 20), BENCH_WARM_UP (5).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

DURATION=${BENCH_DURATION:-20}
WARM_UP=${BENCH_WARM_UP:-5}
SECRET=command-bench-secret-0123456789
STORM_DEVICES=10000
select_scenarios "latency throughput storm" "$@"

bench_init
tenant=command-bench-$RANDOM
devices=100
runs storm && devices=$STORM_DEVICES
create_bench_tenant "$tenant" cmd- "$devices" "$SECRET"
known_to_command_service() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"warm-up","ttl":"1s"}' \
    "http://127.0.0.1:$(port_of command-service)/api/v1/tenants/$tenant/devices/cmd-$((devices - 1))/commands") == 202 ]]
}
wait_for command-service "bench devices known to the command service" known_to_command_service
start_mosquitto

# Each run starts on a settled machine.
outpost_load() {
  settle
  load_tool io.outpost.load.CommandLoad "$1" --api "http://127.0.0.1:$(port_of command-service)" --token "$token" \
    --port "$MQTT_PORT" --tenant "$tenant" --secret "$SECRET" --device-prefix cmd- \
    --warm-up "$WARM_UP" --duration "$DURATION" "${@:2}"
}
mosquitto_load() {
  settle
  load_tool io.outpost.load.CommandLoad "$1" --port "$MOSQUITTO_PORT" --device-prefix cmd- \
    --warm-up "$WARM_UP" --duration "$DURATION" "${@:2}"
}

say "warming up (10 s, not measured)"
outpost_load throughput --devices 100 --concurrency 16 --warm-up 0 --duration 10 >/dev/null || true
json=()
against="Mosquitto $(mosquitto_version)"
if runs latency; then
  say "latency: 10 devices x 5 commands/s: outpost, then mosquitto"
  outpost=$(measured commands outpost outpost_load latency --devices 10 --rate 5)
  mosquitto=$(measured commands mosquitto mosquitto_load latency --devices 10 --rate 5)
  json+=("\"latency\":{\"outpost\":$outpost,\"mosquitto\":$mosquitto}")
  row commands "send -> device p50, 50 commands/s" ms "$(field "$outpost" toDeviceP50Ms)" \
    "$(field "$mosquitto" toDeviceP50Ms)" "$against" -
  row commands "send -> device p99, 50 commands/s" ms "$(field "$outpost" toDeviceP99Ms)" \
    "$(field "$mosquitto" toDeviceP99Ms)" "$against" "< 20"
fi
if runs throughput; then
  say "throughput: 64 callers over 100 devices: outpost, then mosquitto"
  outpost=$(measured commands outpost outpost_load throughput --devices 100 --concurrency 64)
  mosquitto=$(measured commands mosquitto mosquitto_load throughput --devices 100 --concurrency 64)
  json+=("\"throughput\":{\"outpost\":$outpost,\"mosquitto\":$mosquitto}")
  row commands "commands accepted, 64 callers" commands/s "$(field "$outpost" acceptedPerSecond)" \
    "$(field "$mosquitto" acceptedPerSecond)" "$against" ">= 3000"
  row commands "accept (POST -> 202) p99, 64 callers" ms "$(field "$outpost" responseP99Ms)" \
    "$(field "$mosquitto" responseP99Ms)" "$against" "< 50"
fi
if runs storm; then
  say "reconnect storm: $STORM_DEVICES devices, one pending command each: outpost, then mosquitto"
  storm=(--devices "$STORM_DEVICES" --concurrency 16 --connect-concurrency 500)
  outpost=$(measured storm outpost outpost_load storm "${storm[@]}")
  mosquitto=$(measured storm mosquitto mosquitto_load storm "${storm[@]}")
  json+=("\"storm\":{\"outpost\":$outpost,\"mosquitto\":$mosquitto}")
  row storm "$STORM_DEVICES devices re-authenticated + subscribed" s "$(field "$outpost" reconnectedSeconds)" \
    "$(field "$mosquitto" reconnectedSeconds)" "$against" -
  row storm "... and every pending command delivered" s "$(field "$outpost" allDeliveredSeconds)" \
    "$(field "$mosquitto" allDeliveredSeconds)" "$against" "< 30"
fi
(IFS=,; echo "{${json[*]}}") >"$STATE/bench/command.json"
say "report: $STATE/bench/command.json"
