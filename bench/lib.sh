# shellcheck shell=bash
# Shared by the bench/*.sh scripts. Sourced, never run; expects ROOT (the repository root) to be set.
# shellcheck source=deploy/local/platform.sh
source "$ROOT/deploy/local/platform.sh"

MOSQUITTO_PORT=${BENCH_MOSQUITTO_PORT:-1884}
REGISTRY_API=http://127.0.0.1:$(port_of device-registry)/api/v1
mosquitto_pid=

# The scenarios named on the command line (after the defaults argument), else the defaults; runs X: is X one of them.
select_scenarios() {
  local defaults=$1
  shift
  read -ra scenarios <<<"${*:-$defaults}"
}
runs() { [[ " ${scenarios[*]} " == *" $1 "* ]]; }

# Starts the platform if needed, builds the load tool, and gets a token of the demo platform-admin
# (deploy/local/keycloak/outpost-realm.json), who may create and delete the bench tenants.
bench_init() {
  "$ROOT/outpost" up >/dev/null
  "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -pl load-tool -am -DskipTests >>"$LOGS/build.log" 2>&1 ||
    die "load tool build failed; log: $LOGS/build.log"
  mkdir -p "$STATE/bench"
  work=$(mktemp -d)
  token=$(platform_admin_token)
  bench_tenants=()
  trap bench_cleanup EXIT
}

# A token of the demo platform-admin pat; it lives 15 minutes (the realm's access token lifespan).
platform_admin_token() {
  local token
  token=$(curl -fs -d grant_type=password -d client_id=outpost-cli -d username=pat -d password=pat-password \
    "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  [[ -n $token ]] || die "no token from Keycloak"
  echo "$token"
}

bench_cleanup() {
  stop_mosquitto
  local tenant
  for tenant in "${bench_tenants[@]}"; do
    curl -fs -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$REGISTRY_API/tenants/$tenant" || true
  done
  rm -rf "$work"
}

# A new tenant with devices {prefix}0..{prefix}{count-1}, all with one secret (and, if a group is named, all members of
# that new group), through the registry's bulk import, 10,000 per call; returns once the registry has published them
# all to Kafka.
create_bench_tenant() {
  local tenant=$1 prefix=$2 count=$3 secret=$4 group=${5:-} from to i
  say "registering $count devices in tenant $tenant${group:+, all in group $group}"
  curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"id\":\"$tenant\",\"name\":\"benchmark\"}" "$REGISTRY_API/tenants"
  bench_tenants+=("$tenant")
  if [[ -n $group ]]; then
    curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"id\":\"$group\",\"name\":\"benchmark group\"}" "$REGISTRY_API/tenants/$tenant/groups"
  fi
  for ((from = 0; from < count; from += 10000)); do
    to=$((from + 10000 < count ? from + 10000 : count))
    { echo "id,groups,secret"; for ((i = from; i < to; i++)); do echo "$prefix$i,$group,$secret"; done; } \
      >"$work/devices.csv"
    curl -fs -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: text/csv' \
      --data-binary "@$work/devices.csv" "$REGISTRY_API/tenants/$tenant/devices/import"
  done
  wait_for device-registry "registry outbox relayed" registry_outbox_empty
}

registry_outbox_empty() {
  curl -fs "http://127.0.0.1:$(port_of device-registry)/q/metrics" | grep -q '^outpost_registry_outbox_pending 0'
}

# The baseline broker: Mosquitto from Debian, in memory, anonymous, on 127.0.0.1:$MOSQUITTO_PORT. Arguments are more
# lines of its configuration (e.g. 'set_tcp_nodelay true').
start_mosquitto() {
  if ! command -v mosquitto >/dev/null && [[ ! -x /usr/sbin/mosquitto ]]; then
    say "installing the Mosquitto broker (the baseline)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto
  fi
  require_free_port "$MOSQUITTO_PORT" "the baseline Mosquitto"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_connections -1\nmax_queued_messages 0\n' \
    "$MOSQUITTO_PORT" >"$work/mosquitto.conf"
  (($# == 0)) || printf '%s\n' "$@" >>"$work/mosquitto.conf"
  "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -c "$work/mosquitto.conf" >"$LOGS/bench-mosquitto.log" 2>&1 &
  mosquitto_pid=$!
  until port_busy "$MOSQUITTO_PORT"; do
    kill -0 "$mosquitto_pid" 2>/dev/null || die "mosquitto did not start; log: $LOGS/bench-mosquitto.log"
    sleep 0.2
  done
}

stop_mosquitto() {
  [[ -z $mosquitto_pid ]] || { kill "$mosquitto_pid" 2>/dev/null; wait "$mosquitto_pid" 2>/dev/null; } || true
  mosquitto_pid=
}

# (mosquitto -h exits with 3.)
mosquitto_version() {
  { "$(command -v mosquitto || echo /usr/sbin/mosquitto)" -h 2>/dev/null || true; } | sed -nE '1s/.*version ([0-9.]+).*/\1/p'
}

# Waits (up to 2 minutes) until the machine is idle again, so that a scenario does not pay for the previous one's
# backlog (telemetry still being stored, 10,000 session events being handled).
settle() {
  local idle_seconds=0 deadline=$((SECONDS + 120)) before after
  while ((idle_seconds < 3 && SECONDS < deadline)); do
    before=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    sleep 1
    after=$(awk '/^cpu / {print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat)
    if awk -v b="$before" -v a="$after" 'BEGIN {split(b, x, " "); split(a, y, " ");
        exit !((y[1] - x[1]) / (y[2] - x[2]) > 0.8)}'; then
      idle_seconds=$((idle_seconds + 1))
    else
      idle_seconds=0
    fi
  done
}

# A load-tool program (load-tool/) in the foreground; exec'd in a subshell, so killing it ends its connections.
load_tool() {
  (exec java -XX:+UseParallelGC -Xmx4g -cp "$ROOT/load-tool/target/classes:$ROOT/load-tool/target/lib/*" "$@")
}

# A number from a one-line JSON object: field '{"a":1.5}' a -> 1.5
field() { sed -nE "s/.*\"$2\":(-?[0-9.]+).*/\1/p" <<<"$1"; }

# One figure of the report: scenario, metric, unit, Outpost's value, the baseline's value (or -), which baseline,
# the goal (or -). Printed, and appended as a JSON line to $BENCH_ROWS when bench/run.sh collects a report.
row() {
  local scenario=$1 metric=$2 unit=$3 outpost=${4:-null} baseline=${5:--} against=$6 goal=$7 ratio=null
  # A figure a run could not produce (empty or null) stays null in the report, and so does its ratio.
  [[ $baseline == - || $baseline == null || $outpost == null ]] || ratio=$(awk -v a="$outpost" -v b="$baseline" 'BEGIN {printf "%.3g", b == 0 ? 0 : a / b}')
  printf '  %-10s %-44s %12s %-8s baseline %12s (%s)  ratio %-5s goal %s\n' "$scenario" "$metric" "$outpost" "$unit" \
    "$baseline" "$against" "$ratio" "$goal"
  [[ -z ${BENCH_ROWS:-} ]] || printf '{"scenario":"%s","metric":"%s","unit":"%s","outpost":%s,"baseline":%s,"baselineTool":"%s","ratio":%s,"goal":"%s"}\n' \
    "$scenario" "$metric" "$unit" "$outpost" "$([[ $baseline == - ]] && echo null || echo "$baseline")" "$against" \
    "$ratio" "$goal" >>"$BENCH_ROWS"
}

# Runs a load-tool command that prints one JSON line; a run with refused or failed operations exits 1 but its
# figures still count, and the failures become a row of the report. Dies only if the run printed nothing.
measured() {
  local scenario=$1 who=$2 out
  shift 2
  out=$("$@") || true
  [[ -n $out ]] || die "$scenario: the $who run failed"
  local failed
  failed=$(field "$out" failed)
  if [[ -n $failed && $failed != 0 ]]; then
    row "$scenario" "operations failed or refused ($who)" count "$failed" - - 0 >&2
  fi
  echo "$out"
}
