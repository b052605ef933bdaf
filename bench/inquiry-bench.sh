#!/usr/bin/env bash
# Inquiry service benchmark against the local platform (started with ./outpost up if it is not running, here with two
# bridge nodes: OUTPOST_BRIDGE_NODES defaults to 2, and up adds the second node to a running platform; Kafka,
# PostgreSQL, Keycloak and every service on this machine). Devices are simulated by the load tool (load-tool/,
# io.outpost.load.InquiryLoad) over MQTT 5, every other device on the second node.
#   1. 10,000 devices of one tenant registered through the registry's bulk import.
#   2. One-shot: the load tool runs the tenant's webhook (JDK HTTP server on 127.0.0.1, checks the signature, answers
#      200 with JSON at once) and PUTs it as the handler of inquiries named forecast; 1,000 devices connect and
#      subscribe to their responses; 15 s warm-up, an idle machine, then 60 s of one-shot inquiries at 200/s in all,
#      open loop (0.2/s per device, far below the service's open rate of 5/s): publish (as due) -> the answer at the
#      device, matched by request id; errors and missing answers counted (goal p99 < 50 ms).
#   3. Baseline, same run: Mosquitto (set_tcp_nodelay true) with the same 1,000 devices and rate, MQTT 5
#      request/response (response topic and correlation data) answered by a responder client subscribed to every
#      request topic.
#   4. Continuing: a kafka handler for inquiries named traffic; 10,000 devices connect, subscribe and each opens one
#      continuing inquiry; a backend in the load tool answers each once a second for 60 s (10,000/s offered, on
#      outpost.inquiry-answers.v1 as a Kafka handler does), then waits until every answer arrived, nothing arrived for
#      15 s, or 120 s passed. Delivered answers per second, produce -> device p50/p99, lost (and of them, from the
#      service's counters, those it never read from Kafka), out of order, duplicates (by outpost-message-id), and the
#      inquiry service's VmRSS (its pid file) sampled every second. No baseline.
# Usage: bench/inquiry-bench.sh. Writes .outpost/bench/inquiry.json. About 15 minutes on 2 cores once the platform is
# up (18 with up, the build and the registration).
# Options via environment: BENCH_INQUIRY_DEVICES (1000), _RATE (200), _WARM_UP (15), _DURATION (60), _STREAMS (10000),
# _STREAM_DURATION (60), _DRAIN (120).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export OUTPOST_BRIDGE_NODES=${OUTPOST_BRIDGE_NODES:-2}
source "$ROOT/bench/lib.sh"

DEVICES=${BENCH_INQUIRY_DEVICES:-1000}
RATE=${BENCH_INQUIRY_RATE:-200}
WARM_UP=${BENCH_INQUIRY_WARM_UP:-15}
DURATION=${BENCH_INQUIRY_DURATION:-60}
STREAMS=${BENCH_INQUIRY_STREAMS:-10000}
STREAM_DURATION=${BENCH_INQUIRY_STREAM_DURATION:-60}
DRAIN=${BENCH_INQUIRY_DRAIN:-120}
SECRET=inquiry-bench-secret-0123456789
PREFIX=inq-

bench_init
tenant=inquiry-bench-$RANDOM
api=http://127.0.0.1:$(port_of inquiry-service)
create_bench_tenant "$tenant" "$PREFIX" "$((STREAMS > DEVICES ? STREAMS : DEVICES))" "$SECRET"
# Every bridge node's plain MQTT port (SERVICES lists the nodes up runs and any still running).
ports=()
for entry in "${SERVICES[@]}"; do
  [[ ${entry%%:*} != mqtt-bridge* ]] || ports+=("$(bridge_ports "${entry%%:*}" | cut -d' ' -f1)")
done
ports=$(IFS=,; echo "${ports[*]}")

inquiry_load() {
  settle
  load_tool io.outpost.load.InquiryLoad "$@" --device-prefix "$PREFIX" --connect-concurrency 500
}
one_shot=(one-shot --devices "$DEVICES" --rate "$RATE" --warm-up "$WARM_UP" --duration "$DURATION")
say "one-shot: $DEVICES devices on ports $ports, $RATE inquiries/s for $DURATION s, webhook in the load tool: outpost"
outpost=$(measured inquiries outpost inquiry_load "${one_shot[@]}" --ports "$ports" --api "$api" --token "$token" \
  --tenant "$tenant" --secret "$SECRET")
# Without TCP_NODELAY, Mosquitto's second small write to a connection waits for the ACK of the first (Nagle), which
# the peer delays by up to 40 ms: a request/response round trip then takes ~45 ms instead of ~3 ms.
start_mosquitto 'set_tcp_nodelay true'
say "the same on mosquitto (MQTT 5 request/response, a responder client; TCP_NODELAY)"
mosquitto=$(measured inquiries mosquitto inquiry_load "${one_shot[@]}" --port "$MOSQUITTO_PORT")
stop_mosquitto

# A new token: the one from the start may expire (15 min) before this run ends.
token=$(platform_admin_token)
say "continuing: $STREAMS open inquiries, each answered once a second for $STREAM_DURATION s over Kafka"
continuing=$(measured inquiries continuing inquiry_load continuing --devices "$STREAMS" --duration "$STREAM_DURATION" \
  --drain "$DRAIN" --ports "$ports" --api "$api" --token "$token" --tenant "$tenant" --secret "$SECRET" \
  --kafka "127.0.0.1:$KAFKA_PORT" --service-pid "$(pid_of inquiry-service)")

against="Mosquitto $(mosquitto_version)"
echo "{\"oneShot\":{\"outpost\":$outpost,\"mosquitto\":$mosquitto},\"continuing\":$continuing}" \
  >"$STATE/bench/inquiry.json"
row inquiries "one-shot round trip p50 ($DEVICES devices, $RATE/s)" ms "$(field "$outpost" roundTripP50Ms)" \
  "$(field "$mosquitto" roundTripP50Ms)" "$against" -
row inquiries "one-shot round trip p99" ms "$(field "$outpost" roundTripP99Ms)" \
  "$(field "$mosquitto" roundTripP99Ms)" "$against" "< 50"
row inquiries "one-shot round trip max" ms "$(field "$outpost" roundTripMaxMs)" \
  "$(field "$mosquitto" roundTripMaxMs)" "$against" -
# Where the time goes: until the service called the webhook, and from that call to the answer at the device.
row inquiries "one-shot: publish -> webhook call p99" ms "$(field "$outpost" toWebhookP99Ms)" - - -
row inquiries "one-shot: webhook call -> answer at the device p99" ms "$(field "$outpost" fromWebhookP99Ms)" - - -
# Inquiries that got an error answer, or none by the end of the wait after the run (up to 90 s).
unanswered() { echo $(($(field "$1" errors) + $(field "$1" missing))); }
row inquiries "one-shot: errors + missing of $(field "$outpost" sent)" count "$(unanswered "$outpost")" \
  "$(unanswered "$mosquitto")" "$against" 0
row inquiries "continuing: answers offered per second" /s "$(field "$continuing" offeredPerSecond)" - - \
  "$STREAMS x 1/s"
row inquiries "continuing: answers delivered per second" /s "$(field "$continuing" deliveredPerSecond)" - - \
  "$STREAMS/s offered"
row inquiries "continuing: answer -> device p50" ms "$(field "$continuing" answerToDeviceP50Ms)" - - -
row inquiries "continuing: answer -> device p99" ms "$(field "$continuing" answerToDeviceP99Ms)" - - -
row inquiries "continuing: lost (offered - delivered when the wait ended)" count "$(field "$continuing" lost)" - - 0
row inquiries "continuing: ... of them never read by the service (Kafka lag)" count \
  "$(field "$continuing" unreadByService)" - - -
row inquiries "continuing: out of order" count "$(field "$continuing" outOfOrder)" - - 0
row inquiries "continuing: duplicates (same message id)" count "$(field "$continuing" duplicates)" - - -
row inquiries "inquiry-service RSS, max during the continuing run" MiB "$(field "$continuing" rssMaxMb)" - - -
say "summary: one-shot p99 $(field "$outpost" roundTripP99Ms) ms (mosquitto $(field "$mosquitto" roundTripP99Ms) ms);" \
  "continuing: $(field "$continuing" deliveredPerSecond)/s delivered of $(field "$continuing" offeredPerSecond)/s" \
  "offered, p99 $(field "$continuing" answerToDeviceP99Ms) ms, $(field "$continuing" lost) not delivered" \
  "($(field "$continuing" unreadByService) never read by the service)," \
  "$(field "$continuing" outOfOrder) out of order (delivery ended: $(sed -nE 's/.*"drainEndedBy":"([a-z]+)".*/\1/p' \
  <<<"$continuing")), service RSS max $(field "$continuing" rssMaxMb) MiB"
say "report: $STATE/bench/inquiry.json"
