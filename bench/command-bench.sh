#!/usr/bin/env bash
# Command service benchmark against the local platform (started with ./outpost up if it is not running; Kafka,
# PostgreSQL, Keycloak and every service on this machine). Devices are simulated by the load tool
# (load-tool/, io.outpost.load.CommandLoad) over MQTT; commands go through the REST API with a real Keycloak token.
#   latency     10 online devices x 5 commands/s: POST sent -> command arrives at the device, p50/p99/p99.9
#   throughput  16 callers POSTing back to back over 100 online devices: commands accepted (202) per second
#   storm       10,000 devices go offline, each gets a command, all reconnect at once: time until every device is
#               re-authenticated and subscribed, and until every command has arrived (goal < 30 s)
# Writes .outpost/bench/command.json. Options via environment: BENCH_DURATION (s, default 20), BENCH_WARM_UP (5).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/deploy/local/platform.sh"

DURATION=${BENCH_DURATION:-20}
WARM_UP=${BENCH_WARM_UP:-5}
SECRET=command-bench-secret-0123456789
DEVICES=10000

"$ROOT/outpost" up >/dev/null
"$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -pl load-tool >>"$LOGS/build.log" 2>&1 || die "load tool build failed"
mkdir -p "$STATE/bench"
work=$(mktemp -d)
tenant=command-bench-$RANDOM
registry=http://127.0.0.1:$(port_of device-registry)/api/v1
# The demo platform-admin (deploy/local/keycloak/outpost-realm.json) may create the bench tenant and send its commands.
token=$(curl -fs -d grant_type=password -d client_id=outpost-cli -d username=pat -d password=pat-password \
  "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
cleanup() {
  curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$registry/tenants/$tenant" || true
  rm -rf "$work"
}
trap cleanup EXIT

say "registering $DEVICES bench devices in tenant $tenant"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$tenant\",\"name\":\"Command benchmark\"}" "$registry/tenants"
{ echo "id,secret"; for ((i = 0; i < DEVICES; i++)); do echo "cmd-$i,$SECRET"; done; } >"$work/devices.csv"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' --data-binary "@$work/devices.csv" \
  "$registry/tenants/$tenant/devices/import"
# The command service must know the devices (registry topic) before the first POST, else 404.
known_to_command_service() {
  [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"warm-up","ttl":"1s"}' \
    "http://127.0.0.1:$(port_of command-service)/api/v1/tenants/$tenant/devices/cmd-$((DEVICES - 1))/commands") == 202 ]]
}
outbox_empty() {
  curl -fs "http://127.0.0.1:$(port_of device-registry)/q/metrics" | grep -q '^outpost_registry_outbox_pending 0'
}
wait_for device-registry "registry outbox relayed" outbox_empty
wait_for command-service "bench devices known to the command service" known_to_command_service

load() {
  java -XX:+UseParallelGC -Xmx2g -cp "$ROOT/load-tool/target/classes:$ROOT/load-tool/target/lib/*" \
    io.outpost.load.CommandLoad "$1" --api "http://127.0.0.1:$(port_of command-service)" --token "$token" \
    --port "$MQTT_PORT" --tenant "$tenant" --secret "$SECRET" --device-prefix cmd- \
    --warm-up "$WARM_UP" --duration "$DURATION" "${@:2}"
}
# A platform just started runs interpreted code for a while: a short unmeasured burst first.
say "warming up (10 s, not measured)"
load throughput --devices 100 --concurrency 16 --warm-up 0 --duration 10 >/dev/null
say "latency: 10 devices x 5 commands/s"
latency=$(load latency --devices 10 --rate 5)
say "throughput: 16 callers over 100 devices"
throughput=$(load throughput --devices 100 --concurrency 16)
say "reconnect storm: $DEVICES devices, one pending command each"
storm=$(load storm --devices "$DEVICES" --concurrency 16 --connect-concurrency 500)

field() { sed -nE "s/.*\"$2\":([0-9.]+).*/\1/p" <<<"$1"; }
cat >"$STATE/bench/command.json" <<JSON
{"machine":{"cores":$(nproc),"java":"$(java -version 2>&1 | head -n 1 | sed 's/"/\\"/g')"},
 "latency":$latency,"throughput":$throughput,"storm":$storm}
JSON
cat <<REPORT

machine: $(nproc) cores; Kafka, PostgreSQL, Keycloak and all services on the same machine
POST -> device p50 / p99 / p99.9 (ms)   $(field "$latency" toDeviceP50Ms) / $(field "$latency" toDeviceP99Ms) / $(field "$latency" toDeviceP999Ms)  (goal p99 < 25)
POST response p50 / p99 (ms)            $(field "$latency" responseP50Ms) / $(field "$latency" responseP99Ms)
commands accepted per second            $(field "$throughput" acceptedPerSecond)  (16 callers; response p50 $(field "$throughput" responseP50Ms) ms, p99 $(field "$throughput" responseP99Ms) ms; delivered meanwhile: $(field "$throughput" arrived))
reconnect storm, $DEVICES devices (s)   all re-authenticated $(field "$storm" reconnectedSeconds), all commands delivered $(field "$storm" allDeliveredSeconds)  (goal < 30)
report: $STATE/bench/command.json
REPORT
