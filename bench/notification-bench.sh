#!/usr/bin/env bash
# Notification service benchmark against the local platform (started with ./outpost up if it is not running; Kafka,
# PostgreSQL, Keycloak and every service on this machine). Devices are simulated by the load tool
# (load-tool/, io.outpost.load.NotificationLoad) over MQTT 5; notifications go through the REST API with a real
# Keycloak token.
#   1. 100,000 devices of one tenant, all in one group, registered through the registry's bulk import.
#   2. 10,000 of them connect and subscribe to devices/{d}/notifications/#.
#   3. 3 warm-up rounds, then 20 measured rounds, one after the other, 1 s apart: one notification to the group
#      (POST .../notifications, ttl 1 h); timed: POST -> 202 (goal p99 < 50 ms), POST -> the last of the 10,000 online
#      members has it (goal < 5 s), POST -> its progress counts all 10,000 delivered; counted (the machine quiet before
#      and after): records the round added to outpost.outbound.v1 and outpost.notification-events.v1 (end offsets)
#      and rows inserted per table of the notification database (pg_stat_user_tables), per send the median over the
#      rounds (goal constant, <= 10). With 20 rounds, p99 is the slowest round. Each round's notification but the
#      last is then revoked, so every offline member has exactly one pending.
#   4. Storm: 10,000 offline members connect at once (500 connects in flight) and subscribe: time until all are
#      connected and until each has its pending notification (goal < 30 s).
# Baseline, same run, same machine: Mosquitto with the same 10,000 clients subscribed to one group topic; a backend
# client publishes each round there at QoS 1 (send = publish -> PUBACK); for the storm, 10,000 persistent sessions
# subscribe, go away, one message is queued for them, and all reconnect at once. No registry, database or REST.
# Usage: bench/notification-bench.sh. Writes .outpost/bench/notification.json. About 10-13 minutes on 2 cores.
# Options via environment: BENCH_NOTIFICATION_MEMBERS (100000), _ONLINE (10000), _STORM (10000), _ROUNDS (20).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/bench/lib.sh"

MEMBERS=${BENCH_NOTIFICATION_MEMBERS:-100000}
ONLINE=${BENCH_NOTIFICATION_ONLINE:-10000}
STORM=${BENCH_NOTIFICATION_STORM:-10000}
ROUNDS=${BENCH_NOTIFICATION_ROUNDS:-20}
WARM_UP_ROUNDS=3
SECRET=notification-bench-secret-0123456789
GROUP=city
PREFIX=ntf-
((ONLINE + STORM <= MEMBERS)) || die "online ($ONLINE) + storm ($STORM) devices must be members ($MEMBERS)"

bench_init
tenant=notification-bench-$RANDOM
api=http://127.0.0.1:$(port_of notification-service)
registration_started=$SECONDS
create_bench_tenant "$tenant" "$PREFIX" "$MEMBERS" "$SECRET" "$GROUP"
registration_seconds=$((SECONDS - registration_started))

# The notification service knows every member once a send to the group addresses them all. The probe lives 1 s and is
# never delivered (no member is online yet).
notifications_url=$api/api/v1/tenants/$tenant/notifications
last_member_known() {
  curl -fs -o /dev/null -H "Authorization: Bearer $token" \
    "$api/api/v1/tenants/$tenant/devices/$PREFIX$((MEMBERS - 1))/notifications"
}
group_known() {
  local answer
  answer=$(curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"target\":{\"group\":\"$GROUP\"},\"topic\":\"alerts/probe\",\"payload\":{},\"ttl\":\"1s\"}" "$notifications_url")
  [[ $(field "$answer" addressed) == "$MEMBERS" ]]
}
wait_for notification-service "device $PREFIX$((MEMBERS - 1)) known to the notification service" last_member_known
deadline=$((SECONDS + 60))
until group_known; do
  ((SECONDS < deadline)) || die "the notification service does not count $MEMBERS members in group $GROUP"
  sleep 2
done

notification_load() {
  settle
  load_tool io.outpost.load.NotificationLoad --group "$GROUP" --device-prefix "$PREFIX" --online "$ONLINE" \
    --storm "$STORM" --rounds "$ROUNDS" --warm-up-rounds "$WARM_UP_ROUNDS" --spacing 1 --connect-concurrency 500 "$@"
}
say "group of $MEMBERS, $ONLINE online, $ROUNDS rounds, storm of $STORM: outpost"
outpost=$(measured notifications outpost notification_load --port "$MQTT_PORT" --api "$api" --token "$token" \
  --tenant "$tenant" --secret "$SECRET" --kafka "127.0.0.1:$KAFKA_PORT" \
  --database "jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/notifications")
start_mosquitto
say "the same on mosquitto (one group topic, persistent sessions for the storm)"
mosquitto=$(measured notifications mosquitto notification_load --port "$MOSQUITTO_PORT")
stop_mosquitto

against="Mosquitto $(mosquitto_version)"
echo "{\"members\":$MEMBERS,\"registrationSeconds\":$registration_seconds,\"outpost\":$outpost,\"mosquitto\":$mosquitto}" \
  >"$STATE/bench/notification.json"
row notifications "$MEMBERS group members registered (import + relay)" s "$registration_seconds" - - -
row notifications "send to the group (POST -> 202) p50" ms "$(field "$outpost" sendP50Ms)" \
  "$(field "$mosquitto" sendP50Ms)" "$against" -
row notifications "send to the group p99 ($ROUNDS sends: the slowest)" ms "$(field "$outpost" sendP99Ms)" \
  "$(field "$mosquitto" sendP99Ms)" "$against" "< 50"
row notifications "send -> all $ONLINE online members have it, p50" s "$(field "$outpost" allOnlineP50Seconds)" \
  "$(field "$mosquitto" allOnlineP50Seconds)" "$against" -
row notifications "send -> all $ONLINE online members have it, max" s "$(field "$outpost" allOnlineMaxSeconds)" \
  "$(field "$mosquitto" allOnlineMaxSeconds)" "$against" "< 5"
row notifications "send -> progress shows $ONLINE delivered, p50" s "$(field "$outpost" progressP50Seconds)" - - -
row notifications "Kafka records per send (outbound + events)" records "$(field "$outpost" recordsPerSend)" - - \
  "constant, <= 10"
row notifications "rows inserted per send (notification, mailbox)" rows "$(field "$outpost" sendRowsPerSend)" - - \
  "constant, <= 10"
row notifications "delivery rows per send (one per member reached)" rows "$(field "$outpost" deliveryRowsPerSend)" - - -
row notifications "storm: $STORM offline members connected + subscribed" s "$(field "$outpost" stormConnectedSeconds)" \
  "$(field "$mosquitto" stormConnectedSeconds)" "$against" -
row notifications "storm: ... and each has its pending notification" s "$(field "$outpost" stormDeliveredSeconds)" \
  "$(field "$mosquitto" stormDeliveredSeconds)" "$against" "< 30"
say "summary: send p99 $(field "$outpost" sendP99Ms) ms, all $ONLINE online in $(field "$outpost" allOnlineMaxSeconds) s" \
  "(mosquitto $(field "$mosquitto" allOnlineMaxSeconds) s), $(field "$outpost" outboundRecordsPerSend)+$(field "$outpost" eventRecordsPerSend)" \
  "records and $(field "$outpost" sendRowsPerSend) rows per send, storm $(field "$outpost" stormDeliveredSeconds) s" \
  "(mosquitto $(field "$mosquitto" stormDeliveredSeconds) s)"
say "report: $STATE/bench/notification.json"
