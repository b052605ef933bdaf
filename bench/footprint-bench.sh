#!/usr/bin/env bash
# Service footprint on the local platform (started with ./outpost up if needed): each service in turn is stopped and
# started again alone, as ./outpost up starts it (the same JVM options), and measured. Writes
# .outpost/bench/footprint.json.
#   start to ready  from launching the JVM to the first 200 of /q/health/ready (goal < 3 s); readiness includes the
#                   service's own dependencies being reachable and its registry view caught up, so a registry with
#                   many devices takes longer
#   RSS at idle     the process's resident memory 20 s after it was ready, with no load (goal < 250 MB)
# No baseline: there is nothing to compare a service's own start with on this machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

IDLE_SECONDS=${BENCH_FOOTPRINT_IDLE_SECONDS:-20}
"$ROOT/outpost" up >/dev/null
results=()
for component in device-registry mqtt-bridge telemetry-service command-service notification-service inquiry-service; do
  settle
  say "footprint: restarting $component"
  terminate "$component" "$(pid_of "$component")"
  rm -f "$PIDS/$component.pid"
  started=$(date +%s.%N)
  start_component "$component" >/dev/null
  wait_for "$component" "readiness" http_ok "http://127.0.0.1:$(port_of "$component")/q/health/ready"
  ready=$(date +%s.%N)
  sleep "$IDLE_SECONDS"
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$(pid_of "$component")/status")
  seconds=$(awk -v a="$started" -v b="$ready" 'BEGIN {printf "%.2f", b - a}')
  megabytes=$(awk -v k="$rss_kb" 'BEGIN {printf "%.0f", k / 1024}')
  row footprint "$component start to ready" s "$seconds" - - "< 3"
  row footprint "$component RSS at idle" MB "$megabytes" - - "< 250"
  results+=("{\"service\":\"$component\",\"startToReadySeconds\":$seconds,\"idleRssMegabytes\":$megabytes}")
done
mkdir -p "$STATE/bench"
echo "{\"javaOptions\":\"$SERVICE_JAVA_OPTS\",\"services\":[$(IFS=,; echo "${results[*]}")]}" >"$STATE/bench/footprint.json"
