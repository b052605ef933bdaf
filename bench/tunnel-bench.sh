#!/usr/bin/env bash
# Remote-access tunnel benchmark against the local platform (started with ./outpost up if it is not running; Kafka,
# PostgreSQL, Keycloak and every service on this machine). Issue 16's goals. Devices run the device SDK's
# remote-access agent (allowRemoteAccess) in the load tool (load-tool/, io.outpost.load.TunnelLoad), connected to the
# bridge over MQTT; operators use the SDK's RemoteAccessClient and TunnelPipe as bin/outpost-tunnel does, against
# remote-access-service (REST and relay on one port). The device's service is a TCP sink in the load tool that greets
# each connection with one byte and counts what it reads.
#   1. 10 devices of one tenant registered through the registry's bulk import; the fleet's remote-access switch on for
#      the sink's port (30 min); each device connected, known to the service, and one tunnel to it set up and closed;
#      then 100 tunnels at once set up and closed (warm-up, not measured: as on a relay that has been running).
#   2. Throughput: 100 MB written in 64 KiB writes through one tunnel, timed from the first write until the sink has
#      read the last byte (goal: at least 0.3 of the baseline). Baseline, same run: the same 100 MB over a plain
#      loopback TCP connection to the same sink. Each after 10 MB unmeasured on the same connection.
#   3. Set-up: 100 tunnels at once (100 concurrent POSTs, then each one's operator WebSocket), 10 per device, each
#      timed from just before its POST until the first byte from the device's side (the sink's greeting) arrives at
#      the operator's end (goal p99 < 1 s); all 100 must succeed and are held open together. Baseline, same run: 100
#      plain loopback connections to the sink at once, connect -> first byte.
#   4. Clean-up: every tunnel closed from the operator's side (and checked CLOSED at the service), the fleet's switch
#      off and removed; the tenant is deleted on exit.
# Usage: bench/tunnel-bench.sh. Writes .outpost/bench/tunnel.json. About 2 minutes on 2 cores once the platform is up.
# Options via environment: BENCH_TUNNEL_DEVICES (10), _MEGABYTES (100), _TUNNELS (100), _CHUNK_KIB (64).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

DEVICES=${BENCH_TUNNEL_DEVICES:-10}
MEGABYTES=${BENCH_TUNNEL_MEGABYTES:-100}
TUNNELS=${BENCH_TUNNEL_TUNNELS:-100}
CHUNK_KIB=${BENCH_TUNNEL_CHUNK_KIB:-64}
SECRET=tunnel-bench-secret-0123456789
PREFIX=tun-

bench_init
tenant=tunnel-bench-$RANDOM
api=http://127.0.0.1:$(port_of remote-access-service)
create_bench_tenant "$tenant" "$PREFIX" "$DEVICES" "$SECRET"

# The platform-admin token holds every tenant with every role (docs/security.md): it may switch remote access (a
# tenant-admin's right) and open tunnels (an operator's) in the fresh bench tenant, which no demo user's token names.
# No settle here: the tool waits for an idle machine itself right before each measured part.
say "$DEVICES devices with the remote-access agent; $MEGABYTES MB through one tunnel and over plain loopback;" \
  "$TUNNELS tunnels at once"
outpost=$(measured tunnel outpost load_tool io.outpost.load.TunnelLoad --api "$api" --token "$token" \
  --tenant "$tenant" --secret "$SECRET" --device-prefix "$PREFIX" --devices "$DEVICES" --port "$MQTT_PORT" \
  --megabytes "$MEGABYTES" --tunnels "$TUNNELS" --chunk-kib "$CHUNK_KIB")

echo "{\"outpost\":$outpost}" >"$STATE/bench/tunnel.json"
against="plain loopback TCP"
row tunnel "$MEGABYTES MB through one tunnel" MB/s "$(field "$outpost" tunnelMBps)" \
  "$(field "$outpost" loopbackMBps)" "$against" "ratio >= 0.3"
row tunnel "... bytes the service counted to the device" bytes "$(field "$outpost" throughputBytesToDevice)" - - \
  "$(field "$outpost" throughputBytesExpected)"
row tunnel "set-up, $TUNNELS at once: POST -> first byte p50" ms "$(field "$outpost" setupP50Ms)" \
  "$(field "$outpost" tcpSetupP50Ms)" "$against" -
row tunnel "set-up, $TUNNELS at once: POST -> first byte p99" ms "$(field "$outpost" setupP99Ms)" \
  "$(field "$outpost" tcpSetupP99Ms)" "$against" "< 1000"
row tunnel "set-up, $TUNNELS at once: POST -> first byte max" ms "$(field "$outpost" setupMaxMs)" \
  "$(field "$outpost" tcpSetupMaxMs)" "$against" -
row tunnel "set-up: POST -> 201 p99" ms "$(field "$outpost" postP99Ms)" - - -
row tunnel "tunnels set up of $TUNNELS at once" count "$(field "$outpost" setupSucceeded)" - - "$TUNNELS"
row tunnel "... of them OPEN together at the service" count "$(field "$outpost" setupOpenAtOnce)" - - "$TUNNELS"
say "summary: tunnel $(field "$outpost" tunnelMBps) MB/s, loopback $(field "$outpost" loopbackMBps) MB/s" \
  "(ratio $(field "$outpost" throughputRatio)); $(field "$outpost" setupSucceeded) of $TUNNELS set up at once," \
  "POST -> first byte p50 $(field "$outpost" setupP50Ms) ms, p99 $(field "$outpost" setupP99Ms) ms," \
  "max $(field "$outpost" setupMaxMs) ms"
say "report: $STATE/bench/tunnel.json"
