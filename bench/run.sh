#!/usr/bin/env bash
# The benchmark harness: runs the named scenarios against the local platform (started with ./outpost up if it is not
# running), each next to its baseline on the same machine in the same run, and writes a report with the machine's
# details: .outpost/bench/report.md and report.json (figures, baselines, ratios, goals, and every tool's raw output).
#   bridge     MQTT QoS 1 throughput, publish -> PUBACK latency paced and in bursts (Mosquitto) bench/mqtt-bench.sh
#   idle       10,000 idle connections: connect time, memory per connection (Mosquitto)        bench/mqtt-bench.sh
#   storm      reconnect storm of 10,000 devices with a pending command each (Mosquitto)       bench/command-bench.sh
#   commands   REST -> device latency and commands accepted per second (Mosquitto)             bench/command-bench.sh
#   telemetry  ingest from a pre-filled topic (Kafka's producer performance tool), queries      bench/telemetry-bench.sh
#   notifications  a group of 100,000, 10,000 online: send latency, fan-out, writes per send,
#              reconnect storm of 10,000 offline members (Mosquitto)                            bench/notification-bench.sh
#   inquiries  one-shot round trip through a webhook at 200/s (Mosquitto request/response); 10,000 continuing
#              inquiries answered once a second over Kafka: delivered rate, latency, lost, order, RSS
#                                                                                               bench/inquiry-bench.sh
#   tunnel     remote access: 100 MB through one tunnel (plain loopback TCP to the same sink as the baseline); 100
#              tunnels at once, POST -> first byte from the device's side (plain loopback connects)
#                                                                                               bench/tunnel-bench.sh
#   footprint  each service restarted alone: JVM start to ready, resident memory at idle (no baseline)
#                                                                                               bench/footprint-bench.sh
# Usage: bench/run.sh [scenario]...   (default: all of them; about 50 minutes on 2 cores)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/deploy/local/platform.sh"

ALL=(bridge idle storm commands telemetry notifications inquiries tunnel footprint)
scenarios=("${@:-${ALL[@]}}")
for scenario in "${scenarios[@]}"; do
  [[ " ${ALL[*]} " == *" $scenario "* ]] || die "unknown scenario '$scenario'; scenarios: ${ALL[*]}"
done
runs() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }

mkdir -p "$STATE/bench"
export BENCH_ROWS=$STATE/bench/rows.jsonl
: >"$BENCH_ROWS"
started=$(date -u +%FT%TZ)
mqtt=() commands=() raw=()
runs bridge && mqtt+=(throughput paced burst)
runs idle && mqtt+=(idle)
runs commands && commands+=(latency throughput)
runs storm && commands+=(storm)
if ((${#mqtt[@]})); then "$ROOT/bench/mqtt-bench.sh" "${mqtt[@]}"; raw+=("\"mqtt\":$(cat "$STATE/bench/mqtt.json")"); fi
if ((${#commands[@]})); then
  "$ROOT/bench/command-bench.sh" "${commands[@]}"
  raw+=("\"commands\":$(cat "$STATE/bench/command.json")")
fi
if runs telemetry; then "$ROOT/bench/telemetry-bench.sh"; raw+=("\"telemetry\":$(cat "$STATE/bench/telemetry.json")"); fi
if runs notifications; then
  "$ROOT/bench/notification-bench.sh"
  raw+=("\"notifications\":$(cat "$STATE/bench/notification.json")")
fi
if runs inquiries; then "$ROOT/bench/inquiry-bench.sh"; raw+=("\"inquiries\":$(cat "$STATE/bench/inquiry.json")"); fi
if runs tunnel; then "$ROOT/bench/tunnel-bench.sh"; raw+=("\"tunnel\":$(cat "$STATE/bench/tunnel.json")"); fi
if runs footprint; then
  "$ROOT/bench/footprint-bench.sh"
  raw+=("\"footprint\":$(cat "$STATE/bench/footprint.json")")
fi

json_string() { sed 's/\\/\\\\/g; s/"/\\"/g' <<<"$1" | tr -d '\n'; }
cpu=$(sed -nE 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
memory=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
os=$(. /etc/os-release && echo "$PRETTY_NAME")
kernel=$(uname -r)
java_version=$(java -version 2>&1 | head -n 1)
postgres_version=$("$(postgres_bin)/postgres" --version)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
cat >"$STATE/bench/report.json" <<JSON
{"started":"$started","finished":"$(date -u +%FT%TZ)","commit":"$commit","scenarios":"${scenarios[*]}",
 "machine":{"cpu":"$(json_string "$cpu")","cores":$(nproc),"memory":"$memory","os":"$(json_string "$os")",
  "kernel":"$kernel","java":"$(json_string "$java_version")","kafka":"$KAFKA_VERSION",
  "postgresql":"$(json_string "$postgres_version")","keycloak":"$KEYCLOAK_VERSION",
  "note":"Kafka, PostgreSQL, Keycloak, every service, the load tool and the baselines on this one machine"},
 "figures":[$(paste -sd, "$BENCH_ROWS")],
 "raw":{$(IFS=,; echo "${raw[*]}")}}
JSON
{
  echo "# Outpost benchmark report"
  echo
  echo "Run $started, commit \`$commit\`, scenarios: ${scenarios[*]}."
  echo
  echo "Machine: $cpu, $(nproc) cores, $memory; $os, Linux $kernel; $java_version; Kafka $KAFKA_VERSION,"
  echo "$postgres_version, Keycloak $KEYCLOAK_VERSION. Kafka, PostgreSQL, Keycloak, every service, the load tool and"
  echo "the baselines share this one machine. Ratio = Outpost / baseline (for times, lower is better)."
  echo
  echo "| scenario | figure | Outpost | baseline | baseline tool | ratio | goal |"
  echo "|---|---|---:|---:|---|---:|---|"
  sed -E 's/^\{"scenario":"([^"]*)","metric":"([^"]*)","unit":"([^"]*)","outpost":([^,]*),"baseline":([^,]*),"baselineTool":"([^"]*)","ratio":([^,]*),"goal":"([^"]*)"\}$/| \1 | \2 | \4 \3 | \5 | \6 | \7 | \8 |/; s/\| null \|/| – |/g' "$BENCH_ROWS"
  echo
  echo "Raw output of every tool: report.json (\`raw\`)."
} >"$STATE/bench/report.md"
echo
cat "$STATE/bench/report.md"
say "report: $STATE/bench/report.md and $STATE/bench/report.json"
