#!/usr/bin/env bash
# Black-box check of the local platform: ./outpost up from whatever state, every component healthy, the Kafka topics
# as ARCHITECTURE.md says, a real Keycloak token accepted by a protected endpoint (401 without one), directly and
# through the one entry point (with its merged OpenAPI document), then ./outpost down and no process of ours left. Run by .ci/run; exits non-zero on the first failed check.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$ROOT/deploy/local/platform.sh"

failures=0
pass() { printf '  PASS  %s\n' "$*"; }
fail() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() {
  local description=$1
  shift
  if "$@"; then pass "$description"; else fail "$description"; fi
}

trap '"$ROOT/outpost" down >/dev/null 2>&1 || true' EXIT

started=$SECONDS
"$ROOT/outpost" up
say "up took $((SECONDS - started)) s"
echo "System check:"

check "every component reports running" "$ROOT/outpost" status
check "PostgreSQL accepts connections" "$(postgres_bin)/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT"
for db in "${DATABASES[@]}"; do
  check "database $db exists and role outpost owns it" \
    test "$(psql_admin -c "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")" = outpost
done

topics=$(java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/deploy/local/tools-log4j2.properties" \
  org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --describe 2>/dev/null | grep '^Topic:' || true)
for topic in outpost.telemetry.v1 outpost.inquiries.v1 outpost.command-responses.v1 outpost.outbound.v1 \
  outpost.delivery-receipts.v1 outpost.device-sessions.v1 outpost.registry.devices.v1 outpost.registry.groups.v1 \
  outpost.command-events.v1 outpost.inquiry-answers.v1 outpost.inquiry-events.v1; do
  check "topic $topic has 12 partitions" grep -qE "^Topic: $topic\s.*PartitionCount: 12\s" <<<"$topics"
done
for topic in outpost.registry.devices.v1 outpost.registry.groups.v1; do
  check "topic $topic is compacted" grep -qE "^Topic: $topic\s.*cleanup.policy=compact" <<<"$topics"
done

for entry in "${SERVICES[@]}"; do
  module=${entry%%:*}
  readiness=$(curl -fs "http://127.0.0.1:${entry##*:}/q/health/ready" || true)
  check "$module is ready" grep -q '"status": *"UP"' <<<"$readiness"
  check "$module readiness checks Kafka" grep -q 'Kafka connection health check' <<<"$readiness"
  if [[ $module != mqtt-bridge* ]]; then
    check "$module readiness checks its database" grep -q 'Database connections health check' <<<"$readiness"
  fi
done

token_response=$(curl -fs -d grant_type=client_credentials -d client_id=tenant-acme -d client_secret=acme-dev-secret \
  "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" || true)
token=$(sed -nE 's/.*"access_token":"([^"]+)".*/\1/p' <<<"$token_response")
check "Keycloak issues a token to the demo tenant's service account" test -n "$token"
status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "registry refuses a call without a token (401)" test "$(status_of http://127.0.0.1:8081/api/v1/me)" = 401
check "registry refuses a tampered token (401)" \
  test "$(status_of -H "Authorization: Bearer ${token%.*}.AAAA" http://127.0.0.1:8081/api/v1/me)" = 401
me=$(curl -fs -H "Authorization: Bearer $token" http://127.0.0.1:8081/api/v1/me || true)
check "registry accepts the Keycloak token and reads tenant acme and role tenant-admin from it" \
  grep -q '"tenants":\["acme"\],"roles":\["tenant-admin"\]' <<<"$me"
me_through_proxy=$(curl -fs -H "Authorization: Bearer $token" "http://127.0.0.1:$PROXY_PORT/api/v1/me" || true)
check "the entry point (port $PROXY_PORT) passes the call to the registry" \
  grep -q '"tenants":\["acme"\],"roles":\["tenant-admin"\]' <<<"$me_through_proxy"
openapi_names_every_service() {
  local document service
  document=$(curl -fs "http://127.0.0.1:$PROXY_PORT/openapi.json") || return 1
  for service in device-registry telemetry-service command-service notification-service inquiry-service \
    remote-access-service; do
    grep -q "\"x-outpost-service\" : \"$service\"" <<<"$document" || return 1
  done
}
check "the entry point serves one OpenAPI document with every service's paths" openapi_names_every_service

registry=http://127.0.0.1:$(port_of device-registry)/api/v1/tenants
device_id=system-check-$RANDOM$RANDOM
check "acme's token creates a device in tenant acme (201)" test "$(status_of -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/json' -d "{\"id\":\"$device_id\",\"labels\":{\"by\":\"system-check\"}}" \
  "$registry/acme/devices")" = 201
globex_token=$(curl -fs -d grant_type=client_credentials -d client_id=tenant-globex -d client_secret=globex-dev-secret \
  "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" | sed -nE 's/.*"access_token":"([^"]+)".*/\1/p')
check "globex's token cannot see acme's device (404)" \
  test "$(status_of -H "Authorization: Bearer $globex_token" "$registry/acme/devices/$device_id")" = 404
check "acme's token deletes its device (204)" \
  test "$(status_of -X DELETE -H "Authorization: Bearer $token" "$registry/acme/devices/$device_id")" = 204

# End to end: a device created over REST with a generated secret connects to the bridge with a third-party client.
mqtt_device=mqtt-check-$RANDOM$RANDOM
created=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$mqtt_device\",\"credential\":{}}" "$registry/acme/devices" || true)
secret=$(sed -nE 's/.*"secret":"([^"]+)".*/\1/p' <<<"$created")
check "the registry returns a generated secret once" test -n "$secret"
publish() {
  mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$1" \
    -t "devices/$mqtt_device/telemetry" -q 1 -m '{"temperature":21.5}' >/dev/null 2>&1
}
published_within() {
  local deadline=$((SECONDS + $1))
  until publish "$secret"; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
check "mosquitto_pub publishes QoS 1 telemetry as that device (PUBACK after Kafka)" published_within 15
publish_over_tls() {
  mosquitto_pub -h localhost -p "$MQTTS_PORT" --cafile "$TLS_DIR/ca.crt" -V mqttv311 -i "$mqtt_device" \
    -u "$mqtt_device@acme" -P "$secret" -t "devices/$mqtt_device/telemetry" -q 1 -m '{"temperature":21.6}' >/dev/null 2>&1
}
check "mosquitto_pub publishes over TLS (port $MQTTS_PORT), trusting the development CA" publish_over_tls
telemetry_stored() {
  curl -fs -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$(port_of telemetry-service)/api/v1/tenants/acme/devices/$mqtt_device/telemetry" |
    grep -q '"payload":{"temperature": *21.5}'
}
stored_within() {
  local deadline=$((SECONDS + $1))
  until telemetry_stored; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
check "the telemetry API returns that reading to acme's token" stored_within 15
refused() { ! publish "$1"; }
check "mosquitto_pub with a wrong secret is refused" refused wrong-secret-for-this-device

# A command to that device while it is offline waits in its mailbox; mosquitto_sub as the device receives it on
# connecting, mosquitto_pub answers it, and the command service reports the result.
commands=http://127.0.0.1:$(port_of command-service)/api/v1/tenants/acme
command_id=
send_command() {
  local answer
  answer=$(curl -fs -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"name":"unlock","payload":{"doors":"all"},"ttl":"5m"}' "$commands/devices/$mqtt_device/commands") || return 1
  command_id=$(sed -nE 's/.*"id":"([^"]+)".*/\1/p' <<<"$answer")
  [[ -n $command_id ]]
}
sent_within() {
  local deadline=$((SECONDS + $1))
  until send_command; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
check "acme's token sends a command to the offline device (202)" sent_within 15
received=$(mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$secret" \
  -t "devices/$mqtt_device/commands/request/#" -q 1 -C 1 -W 15 -v 2>/dev/null || true)
check "mosquitto_sub as the device receives the command from its mailbox on connecting" \
  test "$received" = "devices/$mqtt_device/commands/request/$command_id/unlock {\"doors\":\"all\"}"
mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$secret" \
  -t "devices/$mqtt_device/commands/response/$command_id/succeeded" -q 1 -D publish content-type application/json \
  -m '{"unlocked":4}' >/dev/null 2>&1 || true
command_succeeded() {
  curl -fs -H "Authorization: Bearer $token" "$commands/commands/$command_id" |
    grep -q '"state":"SUCCEEDED".*"payload":{"unlocked":4}'
}
succeeded_within() {
  local deadline=$((SECONDS + $1))
  until command_succeeded; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
check "the command service reports SUCCEEDED with the device's result" succeeded_within 10

# A notification to a group the device is in: mosquitto_sub as the device, already listening, receives it.
notifications=http://127.0.0.1:$(port_of notification-service)/api/v1/tenants/acme
group="check-$RANDOM$RANDOM"
curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"id\":\"$group\",\"name\":\"system check\"}" "$registry/acme/groups" || true
curl -fs -o /dev/null -X PUT -H "Authorization: Bearer $token" "$registry/acme/groups/$group/members/$mqtt_device" || true
notified=$(mktemp)
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$secret" \
  -t "devices/$mqtt_device/notifications/#" -q 1 -C 1 -W 20 -v >"$notified" 2>/dev/null &
listener=$!
notification_sent() {
  curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"target\":{\"group\":\"$group\"},\"topic\":\"alerts/air\",\"payload\":{\"level\":\"high\"}}" \
    "$notifications/notifications"
}
notification_accepted_within() {
  local deadline=$((SECONDS + $1))
  until notification_sent; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
check "acme's token sends a notification to a group (202)" notification_accepted_within 10
wait "$listener" || true
check "mosquitto_sub as a member of the group receives the notification" \
  test "$(cat "$notified")" = "devices/$mqtt_device/notifications/alerts/air {\"level\":\"high\"}"
rm -f "$notified"
curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$registry/acme/groups/$group" || true

# An inquiry answered by the demo webhook that up registers for acme's inquiries named weather. A device has one
# connection at a time (a second one takes over), so mosquitto_pub asks and disconnects, then mosquitto_sub as the
# device gets the answer: at once if it came while the device was away (it waits in the device's mailbox), or as soon
# as it comes.
check "the weather handler is registered for acme (200)" \
  test "$(status_of -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$(port_of inquiry-service)/api/v1/tenants/acme/inquiry-handlers/weather")" = 200
asked() {
  mosquitto_pub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$secret" \
    -t "devices/$mqtt_device/inquiries/request/weather/check-1" -q 1 -D publish content-type application/json \
    -m '{"city":"Basel"}' >/dev/null 2>&1
}
check "mosquitto_pub as the device asks for the weather (PUBACK after Kafka)" asked
answer=$(mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -V mqttv5 -i "$mqtt_device" -u "$mqtt_device@acme" -P "$secret" \
  -t "devices/$mqtt_device/inquiries/response/+/+" -q 1 -C 1 -W 20 -v 2>/dev/null || true)
forecast_received() {
  grep -qE "^devices/$mqtt_device/inquiries/response/check-1/last \{\"city\":\"Basel\",\"sky\":" <<<"$answer" ||
    { printf '        received: %s\n' "${answer:-nothing within 20 s}"; return 1; }
}
check "mosquitto_sub as the device gets the webhook's forecast for Basel on .../check-1/last" forecast_received
inquiry_answered() {
  curl -fs -H "Authorization: Bearer $token" \
    "http://127.0.0.1:$(port_of inquiry-service)/api/v1/tenants/acme/inquiries?device=$mqtt_device&requestId=check-1" |
    grep -q '"state":"ANSWERED"'
}
check "the inquiry API shows the inquiry ANSWERED" inquiry_answered
curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$registry/acme/devices/$mqtt_device" || true

pids=$(cat "$PIDS"/*.pid 2>/dev/null | sort -u)
"$ROOT/outpost" down
our_processes() {
  ps -eo pid=,args= | grep -F -e "$STATE" -e "/target/quarkus-app/quarkus-run.jar" | grep -v -e grep -e system-check.sh || true
}
check "no process of ours is left after down" test -z "$(our_processes)"
gone() {
  local deadline=$((SECONDS + 5))
  while kill -0 "$1" 2>/dev/null; do ((SECONDS < deadline)) || return 1; sleep 0.2; done
}
for pid in $pids; do
  check "pid $pid that up started is gone" gone "$pid"
done
for component in $(components); do
  check "port $(port_of "$component") of $component is free again" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$(port_of "$component")) 2>/dev/null"
done

if ((failures)); then
  echo "System check: $failures check(s) FAILED"
  exit 1
fi
echo "System check: all checks passed"
