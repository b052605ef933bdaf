#!/usr/bin/env bash
# Telemetry service benchmark against the local platform (started with ./outpost up if needed; Kafka and PostgreSQL on
# this machine). Writes .outpost/bench/telemetry.json.
#   ingest     the service stopped, outpost.telemetry.v1 pre-filled with INGEST_RECORDS records as the bridge writes
#              them (1,000 devices), the service started: readings stored per second, first to last row (goal >= 60,000, ratio >= 0.2)
#   history    10 million readings (1,000 devices, 10,000 each over 8 days, generated in SQL), then one device-day
#              through the REST API, newest first, 1,000 per page: p50/p99 over 100 requests (goal < 50 ms)
#   aggregate  min/max/avg/count of temperature per hour over one device-week through the REST API, p50/p99
# The baseline for ingest is Kafka's own producer performance tool (org.apache.kafka.tools.ProducerPerformance) on
# the same broker: the rate at which Kafka alone takes records of the same size on a topic with as many partitions,
# the raw limit any ingest on this machine is bounded by.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

INGEST_RECORDS=${BENCH_INGEST_RECORDS:-1000000}
bench_init
db() { "$(postgres_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d telemetry -v ON_ERROR_STOP=1 -qAt "$@"; }
api=http://127.0.0.1:$(port_of telemetry-service)/api/v1/tenants

settle
say "ingest: stopping telemetry-service, pre-filling the topic with $INGEST_RECORDS records"
ingest_tenant=ingest-bench-$RANDOM
kill "$(pid_of telemetry-service)"
while is_running telemetry-service; do sleep 0.2; done
java -cp "$ROOT/load-tool/target/classes:$ROOT/load-tool/target/lib/*" io.outpost.load.TelemetryPrefill \
  "127.0.0.1:$KAFKA_PORT" "$ingest_tenant" 1000 "$INGEST_RECORDS"
"$ROOT/outpost" up >/dev/null
stored() { db -c "select count(*) from telemetry where tenant_id = '$ingest_tenant'"; }
until (($(stored) > 0)); do sleep 0.05; done
first=$(date +%s.%N)
deadline=$((SECONDS + 600))
until (($(stored) >= INGEST_RECORDS)) || ((SECONDS > deadline)); do sleep 0.2; done
last=$(date +%s.%N)
count=$(stored)
ingest_rate=$(awk -v n="$count" -v a="$first" -v b="$last" 'BEGIN {printf "%.0f", n / (b - a)}')
say "ingest: $count readings stored, $ingest_rate per second"

settle
say "baseline: Kafka's producer performance tool, $INGEST_RECORDS records of 100 bytes, acks=all, 12 partitions"
raw_topic=bench-raw-$RANDOM
java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --create \
  --topic "$raw_topic" --partitions 12 --replication-factor 1 >/dev/null
raw=$(java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/deploy/local/tools-log4j2.properties" \
  org.apache.kafka.tools.ProducerPerformance --topic "$raw_topic" --num-records "$INGEST_RECORDS" \
  --record-size 100 --throughput -1 --producer-props "bootstrap.servers=127.0.0.1:$KAFKA_PORT" acks=all | tail -n 1)
java -cp "$KAFKA_LIB/*" org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --delete \
  --topic "$raw_topic" >/dev/null
raw_rate=$(sed -nE 's/.* records sent, ([0-9.]+) records\/sec.*/\1/p' <<<"$raw" | cut -d. -f1)
say "baseline: $raw"

query_tenant=query-bench
say "history: generating 10,000,000 readings for tenant $query_tenant (1,000 devices over 8 days) in SQL"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$query_tenant\",\"name\":\"query benchmark\"}" "$REGISTRY_API/tenants" || true
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"id":"dev-7"}' "$REGISTRY_API/tenants/$query_tenant/devices" || true
start_day=$(date -u -d '8 days ago' +%F)
if [[ $(db -c "select count(*) from telemetry where tenant_id = '$query_tenant'") -lt 10000000 ]]; then
  db -c "delete from telemetry where tenant_id = '$query_tenant'"
  for ((d = 0; d <= 8; d++)); do
    day=$(date -u -d "$start_day + $d days" +%F)
    db -c "create table if not exists telemetry_$(date -u -d "$day" +%Y%m%d) partition of telemetry
           for values from ('$day 00:00+00') to ('$(date -u -d "$day + 1 day" +%F) 00:00+00')"
  done
  # 10,000 readings per device, one every 69.12 s: 8 days.
  db -c "insert into telemetry (tenant_id, device_id, stream, received_at, kafka_partition, kafka_offset, message_id,
           content_type, payload_json)
         select '$query_tenant', 'dev-' || d, '', timestamptz '$start_day 00:00+00' + (r * interval '69.12 seconds'), -1,
                d::bigint * 100000 + r, 'q-' || d || '-' || r, 'application/json',
                jsonb_build_object('temperature', 15 + (r % 200) / 10.0, 'humidity', 40 + r % 30, 'seq', r)
         from generate_series(0, 999) d, generate_series(0, 9999) r"
  db -c "analyze telemetry"
fi
time_requests() {
  local url=$1
  for ((i = 0; i < 110; i++)); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "$url"
  done | tail -n 100 | sort -n | awk '{t[NR] = $1 * 1000} END {printf "{\"p50Ms\":%.1f,\"p99Ms\":%.1f}", t[50], t[99]}'
}
wait_for telemetry-service "registry view has dev-7" \
  curl -fs -o /dev/null -H "Authorization: Bearer $token" "$api/$query_tenant/devices/dev-7/telemetry/latest"
day_from=$(date -u -d "$start_day + 3 days" +%FT%TZ)
day_to=$(date -u -d "$start_day + 4 days" +%FT%TZ)
week_to=$(date -u -d "$start_day + 7 days" +%FT%TZ)
rows=$(curl -fs -H "Authorization: Bearer $token" "$api/$query_tenant/devices/dev-7/telemetry?from=$day_from&to=$day_to&limit=1000" |
  grep -o '"id"' | wc -l)
say "history of one device-day ($rows readings in the first page of 1,000)"
history=$(time_requests "$api/$query_tenant/devices/dev-7/telemetry?from=$day_from&to=$day_to&limit=1000")
say "aggregate of one device-week, hourly"
aggregate=$(time_requests "$api/$query_tenant/devices/dev-7/telemetry/aggregate?field=temperature&every=1h&from=$(date -u -d "$start_day" +%FT%TZ)&to=$week_to")
total=$(db -c "select count(*) from telemetry")

cat >"$STATE/bench/telemetry.json" <<JSON
{"ingest":{"records":$count,"perSecond":$ingest_rate},"kafkaProducerPerformance":{"line":"$raw","perSecond":$raw_rate},
 "history":$history,"aggregate":$aggregate,"rowsInTable":$total}
JSON
against="Kafka ProducerPerformance"
row telemetry "ingest from a pre-filled topic, stored" readings/s "$ingest_rate" "$raw_rate" "$against" ">= 60000, ratio >= 0.2"
row telemetry "one device-day of $total rows, 1,000/page p50" ms "$(field "$history" p50Ms)" - - -
row telemetry "one device-day of $total rows, 1,000/page p99" ms "$(field "$history" p99Ms)" - - "< 50"
row telemetry "hourly aggregate of a device-week p50" ms "$(field "$aggregate" p50Ms)" - - -
row telemetry "hourly aggregate of a device-week p99" ms "$(field "$aggregate" p99Ms)" - - -
say "report: $STATE/bench/telemetry.json"
