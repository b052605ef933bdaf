# shellcheck shell=bash
# Functions behind ./outpost. Sourced, never run; expects ROOT (the repository root) to be set.

STATE=${OUTPOST_HOME:-$ROOT/.outpost}
DIST=$STATE/dist
LOGS=$STATE/logs
PIDS=$STATE/pids

KAFKA_VERSION=4.1.1
KEYCLOAK_VERSION=26.7.3
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
POSTGRES_PORT=5433
KEYCLOAK_PORT=8180
KEYCLOAK_URL=http://127.0.0.1:$KEYCLOAK_PORT
MQTT_PORT=1883
MQTT_WEBSOCKET_PORT=9001
MQTTS_PORT=8883
MQTT_SECURE_WEBSOCKET_PORT=8443
# Development CA and the bridge's server certificate (deploy/local/dev-ca.sh); devices trust $TLS_DIR/ca.crt.
TLS_DIR=$STATE/tls
# module:http-port, in start order.
SERVICES=(device-registry:8081 mqtt-bridge:8082 telemetry-service:8083 command-service:8084
  notification-service:8085 inquiry-service:8086 remote-access-service:8087)
# More bridge nodes (OUTPOST_BRIDGE_NODES=2 ./outpost up) run as mqtt-bridge-2, mqtt-bridge-3 on HTTP port 8090+n and
# every MQTT port plus 10*(n-1): devices can move between nodes as they would behind a load balancer. Nodes already
# running are listed too, so that down stops them whatever the setting.
BRIDGE_NODES=${OUTPOST_BRIDGE_NODES:-1}
[[ $BRIDGE_NODES =~ ^[1-4]$ ]] || { echo "OUTPOST_BRIDGE_NODES must be 1 to 4" >&2; exit 2; }
for ((node = 2; node <= 4; node++)); do
  if ((node <= BRIDGE_NODES)) || [[ -f $PIDS/mqtt-bridge-$node.pid ]]; then SERVICES+=("mqtt-bridge-$node:$((8090 + node))"); fi
done
# A second relay node of remote access (OUTPOST_RELAY_NODES=2 ./outpost up) runs as remote-access-service-2 on 8088:
# a tunnel works when its device and its operator land on different nodes.
RELAY_NODES=${OUTPOST_RELAY_NODES:-1}
[[ $RELAY_NODES =~ ^[12]$ ]] || { echo "OUTPOST_RELAY_NODES must be 1 or 2" >&2; exit 2; }
if ((RELAY_NODES == 2)) || [[ -f $PIDS/remote-access-service-2.pid ]]; then SERVICES+=("remote-access-service-2:8088"); fi
# Shared by the relay nodes (they present it to each other); made once per state folder.
RELAY_CLUSTER_SECRET=$STATE/relay-cluster.secret
# The demo handler of tenant acme's inquiries named weather (deploy/local/WeatherWebhook.java), on 127.0.0.1 (bridge
# nodes start at 8092); its signing secret is made once per state folder and kept, so restarts and the registered
# handler agree.
WEATHER_WEBHOOK_PORT=8090
WEATHER_WEBHOOK_SECRET=$STATE/weather-webhook.secret
INQUIRY_SECRETS_KEY=$STATE/inquiry-secrets.key
# Kafka: one combined KRaft node by default. OUTPOST_KAFKA_BROKERS=3 ./outpost up starts a cluster like production's
# instead: kafka, kafka-2 and kafka-3, each broker and controller (broker ports 9092, 9094, 9096; controller one above
# each), topics replicated 3 times with 2 in sync required. Its state lives apart ($STATE/kafka-cluster); a cluster
# that runs is managed whatever the setting, so down stops all of it.
KAFKA_BROKERS=${OUTPOST_KAFKA_BROKERS:-1}
[[ $KAFKA_BROKERS =~ ^[13]$ ]] || { echo "OUTPOST_KAFKA_BROKERS must be 1 or 3" >&2; exit 2; }
KAFKA_NODES=(kafka)
if ((KAFKA_BROKERS == 3)) || kill -0 "$(cat "$PIDS/kafka-2.pid" 2>/dev/null)" 2>/dev/null; then
  KAFKA_NODES+=(kafka-2 kafka-3)
fi
# One database per service that keeps state; all owned by the role outpost.
DATABASES=(registry telemetry commands notifications inquiries remote_access)
SERVICE_JAVA_OPTS=${OUTPOST_SERVICE_JAVA_OPTS:--XX:+UseSerialGC -Xmx384m}
# Seconds a component may take to become ready. Keycloak's own: its first start builds its server (~40 s on 2 cores
# alone, 5 min and more when three Kafka brokers and every service start beside it on a fresh clone).
READY_TIMEOUT=${OUTPOST_READY_TIMEOUT:-300}
KEYCLOAK_READY_TIMEOUT=${OUTPOST_KEYCLOAK_READY_TIMEOUT:-900}

# The one entry point: nginx (Debian) on one port in front of every service's REST API, with the merged OpenAPI
# document (deploy/local/MergeOpenApi.java) and one Swagger UI. Its configuration, document and UI live in $PROXY_DIR.
PROXY_PORT=8080
PROXY_DIR=$STATE/proxy
# Swagger UI's assets: the swagger-ui-dist bundle that Quarkus 3.34.1's own Swagger UI is built from (Maven Central,
# already in the local repository after a build).
SWAGGER_UI_ARTIFACT=io.smallrye:smallrye-open-api-ui:4.2.4
# Prometheus (Debian) scraping every service, only with ./outpost up --monitoring or OUTPOST_MONITORING=1; once it
# runs, status and down manage it whatever the setting.
MONITORING=${OUTPOST_MONITORING:-0}
PROMETHEUS_PORT=9090
PROMETHEUS_DIR=$STATE/prometheus
# Written by the observability work; loaded when it exists.
PROMETHEUS_RULES=$ROOT/deploy/observability/prometheus/alerts.yml
# nginx and Prometheus never run as root: when up runs as root they run as Debian's users for them.
PROXY_USER=www-data
PROMETHEUS_USER=prometheus

KAFKA_LIB=$DIST/kafka-$KAFKA_VERSION/lib
KEYCLOAK_HOME=$DIST/keycloak-$KEYCLOAK_VERSION

say() { printf '[outpost] %s\n' "$*"; }
die() { printf '[outpost] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- installation

as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$bin" ]] && echo "$bin"
}

ensure_packages() {
  local missing=()
  command -v curl >/dev/null || missing+=(curl)
  # jar (a JDK, not a JRE) unpacks Keycloak.
  command -v jar >/dev/null || missing+=(openjdk-17-jdk-headless)
  [[ -n "$(postgres_bin)" ]] || missing+=(postgresql)
  # Real third-party MQTT clients for trying the bridge and for the system check.
  command -v mosquitto_pub >/dev/null || missing+=(mosquitto-clients)
  command -v openssl >/dev/null || missing+=(openssl)
  # Remote access's platform test runs a real sshd as "the service on the device" and reaches it with ssh.
  [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
  command -v ssh >/dev/null || missing+=(openssh-client)
  # The one entry point; Prometheus only when monitoring is asked for.
  [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  ! monitoring_wanted || command -v prometheus >/dev/null || missing+=(prometheus)
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

java_major() { "$1/bin/java" -version 2>&1 | sed -nE '1s/.*version "([0-9]+).*/\1/p'; }

# Keycloak 26 needs Java 21 or newer; the project's machines have Temurin 25 beside the default JDK 17.
keycloak_java_home() {
  local candidate
  if [[ -n ${KEYCLOAK_JAVA_HOME:-} ]]; then
    (($(java_major "$KEYCLOAK_JAVA_HOME") >= 21)) || die "KEYCLOAK_JAVA_HOME=$KEYCLOAK_JAVA_HOME is not a JDK 21 or newer"
    echo "$KEYCLOAK_JAVA_HOME"
    return
  fi
  for candidate in /usr/lib/jvm/*; do
    if [[ -x "$candidate/bin/java" ]] && (($(java_major "$candidate") >= 21)); then
      echo "$candidate"
      return
    fi
  done
  die "Keycloak $KEYCLOAK_VERSION needs a JDK 21 or newer: none under /usr/lib/jvm; set KEYCLOAK_JAVA_HOME"
}

ensure_distributions() {
  if [[ ! -f $KAFKA_LIB/.complete ]]; then
    say "downloading Kafka $KAFKA_VERSION jars from Maven Central"
    "$ROOT/mvnw" -q -B -f "$ROOT/deploy/local/kafka-dist.pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB"
    touch "$KAFKA_LIB/.complete"
  fi
  if [[ ! -f $KEYCLOAK_HOME/.complete ]]; then
    say "downloading Keycloak $KEYCLOAK_VERSION from Maven Central"
    "$ROOT/mvnw" -q -B -N -f "$ROOT/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" -DoutputDirectory="$DIST"
    rm -rf "$KEYCLOAK_HOME"
    (cd "$DIST" && jar xf "keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip")
    rm "$DIST/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
    touch "$KEYCLOAK_HOME/.complete"
  fi
  if [[ ! -f $DIST/swagger-ui/.complete ]]; then
    say "fetching Swagger UI ($SWAGGER_UI_ARTIFACT) from Maven Central"
    rm -rf "$DIST/swagger-ui" "$DIST/swagger-ui-jar"
    "$ROOT/mvnw" -q -B -N -f "$ROOT/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$SWAGGER_UI_ARTIFACT" -DoutputDirectory="$DIST/swagger-ui-jar"
    mkdir -p "$DIST/swagger-ui"
    (cd "$DIST/swagger-ui" && jar xf "$DIST"/swagger-ui-jar/*.jar META-INF/resources/openapi-ui)
    mv "$DIST/swagger-ui/META-INF/resources/openapi-ui"/* "$DIST/swagger-ui/"
    rm -rf "$DIST/swagger-ui/META-INF" "$DIST/swagger-ui-jar"
    touch "$DIST/swagger-ui/.complete"
  fi
}

# ---------------------------------------------------------------- processes

pid_of() { [[ -f $PIDS/$1.pid ]] && cat "$PIDS/$1.pid"; }

# Running means: the recorded pid is alive and its command line is the one we started (pids get reused).
is_running() {
  local pid
  pid=$(pid_of "$1") || return 1
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(signature "$1")"
}

# A string that only the command line of our own process of that component contains.
signature() {
  case "$1" in
    postgres) echo "$STATE/postgres/data" ;;
    kafka*) echo "$(kafka_dir "$1")/server.properties" ;;
    keycloak) echo "$KEYCLOAK_HOME" ;;
    mqtt-bridge*) echo "-Doutpost.bridge.node-id=$1 " ;;
    remote-access-service*) echo "-Doutpost.relay-node=$1 " ;;
    weather-webhook) echo "$ROOT/deploy/local/WeatherWebhook.java" ;;
    proxy) echo "$PROXY_DIR/nginx.conf" ;;
    prometheus) echo "$PROMETHEUS_DIR/prometheus.yml" ;;
    *) echo "$ROOT/$1/target/quarkus-app" ;;
  esac
}

# The Maven module a component runs: every bridge node runs mqtt-bridge.
module_of() {
  case "$1" in
    mqtt-bridge-*) echo mqtt-bridge ;;
    remote-access-service-*) echo remote-access-service ;;
    *) echo "$1" ;;
  esac
}

# A bridge node's MQTT ports (plain, WebSocket, TLS, secure WebSocket): node n adds 10*(n-1) to the first node's.
bridge_ports() {
  local node=${1#mqtt-bridge} shift=0
  [[ -z $node ]] || shift=$((10 * (${node#-} - 1)))
  echo "$((MQTT_PORT + shift)) $((MQTT_WEBSOCKET_PORT + shift)) $((MQTTS_PORT + shift)) $((MQTT_SECURE_WEBSOCKET_PORT + shift))"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_busy "$1"; then
    die "port $1, needed by $2, is already in use by another program (see: ss -ltnp 'sport = :$1')"
  fi
}

# Starts a command detached in its own session, logging to .outpost/logs/<component>.log.
launch() {
  local component=$1
  shift
  setsid "$@" >>"$LOGS/$component.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$component.pid"
}

# Polls until the command succeeds; no fixed sleeps. On timeout, shows the component's log tail and fails.
wait_for() {
  local component=$1 description=$2
  shift 2
  local timeout=${WAIT_TIMEOUT:-$READY_TIMEOUT}
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! is_running "$component"; then
      tail -n 30 "$LOGS/$component.log" >&2 || true
      die "$component exited before it was ready ($description); log: $LOGS/$component.log"
    fi
    if ((SECONDS > deadline)); then
      tail -n 30 "$LOGS/$component.log" >&2 || true
      die "$component not ready within ${timeout}s ($description); log: $LOGS/$component.log"
    fi
    sleep 0.3
  done
}

http_ok() { curl -fs -o /dev/null --max-time 2 "$1"; }

# TERM the process (or its whole process group), then KILL what is left after the grace period.
terminate() {
  local component=$1 target=$2 grace=${3:-30}
  kill -TERM -- "$target" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 -- "$target" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 -- "$target" 2>/dev/null; then
    say "$component did not stop within ${grace}s: killing it"
    kill -KILL -- "$target" 2>/dev/null || true
  fi
}

# ---------------------------------------------------------------- PostgreSQL

run_as_postgres() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  local data=$STATE/postgres/data bin
  bin=$(postgres_bin)
  if [[ ! -f $data/PG_VERSION ]]; then
    say "creating a private PostgreSQL cluster in $data"
    mkdir -p "$data"
    [[ $EUID -ne 0 ]] || chown -R postgres: "$STATE/postgres"
    run_as_postgres "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale >>"$LOGS/postgres.log"
  fi
  [[ $EUID -ne 0 ]] || { touch "$LOGS/postgres.log"; chown postgres: "$LOGS/postgres.log"; }
  run_as_postgres "$bin/pg_ctl" -D "$data" -l "$LOGS/postgres.log" -w -t 60 start \
    -o "-p $POSTGRES_PORT -k $STATE/postgres -c listen_addresses=127.0.0.1" >/dev/null
  head -n 1 "$data/postmaster.pid" >"$PIDS/postgres.pid"
}

psql_admin() {
  "$(postgres_bin)/psql" -h 127.0.0.1 -p "$POSTGRES_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

provision_databases() {
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'outpost') THEN
        CREATE ROLE outpost LOGIN PASSWORD 'outpost';
      END IF;
    END \$\$;" >/dev/null
  local db
  for db in "${DATABASES[@]}"; do
    if [[ -z $(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'") ]]; then
      psql_admin -c "CREATE DATABASE $db OWNER outpost" >/dev/null
    fi
  done
}

stop_postgres() {
  run_as_postgres "$(postgres_bin)/pg_ctl" -D "$STATE/postgres/data" -m fast -w -t 60 stop >/dev/null
}

# ---------------------------------------------------------------- Kafka

kafka_clustered() { ((${#KAFKA_NODES[@]} > 1)); }
# kafka -> 1, kafka-2 -> 2, ...
kafka_node() { local n=${1#kafka}; n=${n#-}; echo "${n:-1}"; }
kafka_port() { echo $((KAFKA_PORT + 2 * ($(kafka_node "$1") - 1))); }
kafka_controller_port() { echo $(($(kafka_port "$1") + 1)); }
kafka_dir() { if kafka_clustered; then echo "$STATE/kafka-cluster/$1"; else echo "$STATE/kafka"; fi; }
# Every broker, as clients bootstrap: one that is down does not keep a service from starting.
kafka_bootstrap() {
  local node list=()
  for node in "${KAFKA_NODES[@]}"; do list+=("127.0.0.1:$(kafka_port "$node")"); done
  (IFS=,; echo "${list[*]}")
}

write_kafka_config() {
  local component=$1 dir replicas=${#KAFKA_NODES[@]} in_sync=1 node voters=()
  dir=$(kafka_dir "$component")
  ((replicas == 1)) || in_sync=2
  for node in "${KAFKA_NODES[@]}"; do voters+=("$(kafka_node "$node")@127.0.0.1:$(kafka_controller_port "$node")"); done
  mkdir -p "$dir"
  cat >"$dir/server.properties" <<EOF
# Generated by ./outpost up: a combined KRaft node (broker and controller) of a cluster of $replicas.
process.roles=broker,controller
node.id=$(kafka_node "$component")
controller.quorum.voters=$(IFS=,; echo "${voters[*]}")
listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$component"),CONTROLLER://127.0.0.1:$(kafka_controller_port "$component")
advertised.listeners=PLAINTEXT://127.0.0.1:$(kafka_port "$component")
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=12
# Topics are created explicitly (deploy/local/CreatePlatformTopics.java), never by a typo.
auto.create.topics.enable=false
default.replication.factor=$replicas
min.insync.replicas=$in_sync
offsets.topic.replication.factor=$replicas
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$in_sync
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$in_sync
group.initial.rebalance.delay.ms=0
# A broker that died without a word (SIGKILL, a lost machine) is fenced once it missed heartbeats this long; until
# then every acks=all write to a partition it replicates waits. Kafka's default is 9 s.
broker.heartbeat.interval.ms=1000
broker.session.timeout.ms=5000
EOF
}

KAFKA_JAVA=(java -Xms256m -Xmx512m -Dlog4j2.configurationFile="$ROOT/deploy/local/kafka-log4j2.properties"
  -cp "$KAFKA_LIB/*")

start_kafka() {
  local component=$1 dir id_file
  dir=$(kafka_dir "$component")
  write_kafka_config "$component"
  if [[ ! -f $dir/data/meta.properties ]]; then
    say "formatting Kafka storage of $component"
    # The nodes of a cluster share its id.
    id_file=$dir/cluster-id
    kafka_clustered && id_file=$STATE/kafka-cluster/cluster-id
    [[ -s $id_file ]] || "${KAFKA_JAVA[@]}" kafka.tools.StorageTool random-uuid >"$id_file"
    "${KAFKA_JAVA[@]}" kafka.tools.StorageTool format -t "$(cat "$id_file")" -c "$dir/server.properties" \
      >>"$LOGS/$component.log"
  fi
  launch "$component" "${KAFKA_JAVA[@]}" kafka.Kafka "$dir/server.properties"
}

create_topics() {
  java -cp "$KAFKA_LIB/*:$ROOT/contracts/target/classes" "$ROOT/deploy/local/CreatePlatformTopics.java" \
    "$(kafka_bootstrap)" 12 "${#KAFKA_NODES[@]}" >>"$LOGS/kafka.log" 2>&1
}

# A single broker cannot become a cluster in place (nor back): their state is kept apart.
require_kafka_as_asked() {
  if ((KAFKA_BROKERS == 3)) && [[ -f $PIDS/kafka.pid ]] && kill -0 "$(cat "$PIDS/kafka.pid")" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$(cat "$PIDS/kafka.pid")/cmdline" | grep -qF "$STATE/kafka/server.properties"; then
    die "a single Kafka broker runs; stop the platform (./outpost down) before starting it with 3 brokers"
  fi
  if ((KAFKA_BROKERS == 1 && ${#KAFKA_NODES[@]} == 3)); then
    say "a 3-broker Kafka cluster runs: it stays in use (./outpost down stops it)"
  fi
}

# ---------------------------------------------------------------- Keycloak

start_keycloak() {
  mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$ROOT/deploy/local/keycloak/outpost-realm.json" "$KEYCLOAK_HOME/data/import/"
  # One host name everywhere: a token's iss follows the host used to request it.
  JAVA_HOME=$(keycloak_java_home) KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
    launch keycloak bash "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --hostname="$KEYCLOAK_URL" --import-realm
}

# kc.sh forks a java child: stop the whole process group that launch's setsid created.
stop_keycloak() { terminate keycloak "-$(pid_of keycloak)"; }

# ---------------------------------------------------------------- services

service_jar() { echo "$ROOT/$1/target/quarkus-app/quarkus-run.jar"; }

# A service is stale when its runnable jar is missing or older than its sources, the parent pom or the contracts.
stale_services() {
  local entry module jar
  for entry in "${SERVICES[@]}"; do
    module=${entry%%:*}
    [[ $module != mqtt-bridge-* && $module != remote-access-service-* ]] || continue
    jar=$(service_jar "$module")
    if [[ ! -f $jar ]] || [[ -n $(find "$ROOT/$module/src" "$ROOT/$module/pom.xml" "$ROOT/pom.xml" \
      "$ROOT/contracts/src" "$ROOT/contracts/pom.xml" -newer "$jar" -print -quit) ]]; then
      echo "$module"
    fi
  done
}

# Builds stale services; a stale one that is running is stopped first, so that up starts the new build.
build_services() {
  local stale entry component
  stale=$(stale_services | paste -sd, -)
  if [[ -z $stale ]]; then
    say "services are up to date"
  else
    for entry in "${SERVICES[@]}"; do
      component=${entry%%:*}
      if [[ ,$stale, == *,$(module_of "$component"),* ]] && is_running "$component"; then
        say "stopping $component to replace it with a new build"
        terminate "$component" "$(pid_of "$component")"
        rm -f "$PIDS/$component.pid"
      fi
    done
    say "building $stale"
    "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -DskipTests -pl "$stale" -am >>"$LOGS/build.log" 2>&1 ||
      die "build failed; log: $LOGS/build.log"
  fi
  [[ -d $ROOT/contracts/target/classes ]] ||
    "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" compile -pl contracts >>"$LOGS/build.log" 2>&1
}

# The demo tenants of the local realm (deploy/local/keycloak/outpost-realm.json) exist in the registry from the start.
DEMO_TENANTS=acme,globex

start_service() {
  local component=$1
  local settings=(OUTPOST_REGISTRY_BOOTSTRAP_TENANTS="$DEMO_TENANTS" KAFKA_BOOTSTRAP_SERVERS="$(kafka_bootstrap)")
  local properties=()
  if [[ $component == mqtt-bridge* ]]; then
    "$ROOT/deploy/local/dev-ca.sh" "$TLS_DIR"
    local ports
    read -ra ports <<<"$(bridge_ports "$component")"
    settings+=(OUTPOST_BRIDGE_TLS_CERTIFICATE="$TLS_DIR/server.crt" OUTPOST_BRIDGE_TLS_KEY="$TLS_DIR/server.key"
      QUARKUS_HTTP_PORT="$(port_of "$component")" OUTPOST_BRIDGE_MQTT_PORT="${ports[0]}"
      OUTPOST_BRIDGE_MQTT_WEBSOCKET_PORT="${ports[1]}" OUTPOST_BRIDGE_TLS_PORT="${ports[2]}"
      OUTPOST_BRIDGE_TLS_WEBSOCKET_PORT="${ports[3]}")
    properties=("-Doutpost.bridge.node-id=$component")
  fi
  if [[ $component == inquiry-service ]]; then
    # The demo weather handler is plain http on 127.0.0.1; elsewhere webhooks must be https. Webhook secrets are
    # sealed in the database with a key made once per state folder (the environment, never the command line).
    [[ -s $INQUIRY_SECRETS_KEY ]] || (umask 077 && openssl rand -hex 32 >"$INQUIRY_SECRETS_KEY")
    settings+=(OUTPOST_INQUIRY_WEBHOOK_ALLOW_LOOPBACK_HTTP=true OUTPOST_INQUIRY_SECRETS_KEY="$(cat "$INQUIRY_SECRETS_KEY")")
  fi
  if [[ $component == remote-access-service* ]]; then
    [[ -s $RELAY_CLUSTER_SECRET ]] || (umask 077 && openssl rand -hex 32 >"$RELAY_CLUSTER_SECRET")
    local port
    port=$(port_of "$component")
    settings+=(QUARKUS_HTTP_PORT="$port" OUTPOST_REMOTE_ACCESS_RELAY_URL="ws://127.0.0.1:$port"
      OUTPOST_REMOTE_ACCESS_NODE_URL="http://127.0.0.1:$port"
      OUTPOST_REMOTE_ACCESS_CLUSTER_SECRET="$(cat "$RELAY_CLUSTER_SECRET")")
    # Names the node on its command line, so status and down tell the two nodes apart.
    properties=("-Doutpost.relay-node=$component")
  fi
  # shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
  launch "$component" env "${settings[@]}" java $SERVICE_JAVA_OPTS "${properties[@]}" \
    -jar "$(service_jar "$(module_of "$component")")"
}

# ---------------------------------------------------------------- the demo weather handler

# A single-file program (the JDK's source launcher, the same java as the services). The secret file is its second
# argument: the command line names the state folder, as every component's does, but never the secret.
start_weather_webhook() {
  if [[ ! -s $WEATHER_WEBHOOK_SECRET ]]; then
    (umask 077 && openssl rand -hex 32 >"$WEATHER_WEBHOOK_SECRET")
  fi
  launch weather-webhook java -XX:+UseSerialGC -Xmx64m "$ROOT/deploy/local/WeatherWebhook.java" \
    "$WEATHER_WEBHOOK_PORT" "$WEATHER_WEBHOOK_SECRET"
}

# PUTs acme's handler of inquiries named weather: the webhook, with the secret it checks. Prints the HTTP status (000
# without a token or a connection) and the response body, which holds the secret when the PUT succeeded.
put_weather_handler() {
  local token answer
  token=$(curl -fs --max-time 30 -d grant_type=client_credentials -d client_id=tenant-acme \
    -d client_secret=acme-dev-secret "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" |
    sed -nE 's/.*"access_token":"([^"]+)".*/\1/p') || true
  if [[ -z $token ]]; then echo 000; return; fi
  # The body on standard input: the secret does not show in the process list. 30 s: the first calls to a service that
  # has just started can be slow on 2 cores, and a retry must not overlap them (two PUTs creating one handler at once:
  # one of them fails with 500).
  answer=$(printf '{"kind":"webhook","url":"http://127.0.0.1:%s/weather","secret":"%s"}' \
    "$WEATHER_WEBHOOK_PORT" "$(cat "$WEATHER_WEBHOOK_SECRET")" |
    curl -s --max-time 30 -w '\n%{http_code}' -X PUT -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' --data-binary @- \
      "http://127.0.0.1:$(port_of inquiry-service)/api/v1/tenants/acme/inquiry-handlers/weather") || true
  echo "${answer##*$'\n'} ${answer%$'\n'*}"
}

# The same PUT on every up, so registering is idempotent and a handler changed by hand is set back. Asked again while
# the answer may change (no connection, 401 while the service loads Keycloak's keys, 5xx); any other refusal stops up.
register_weather_handler() {
  local deadline=$((SECONDS + READY_TIMEOUT)) answer
  while :; do
    answer=$(put_weather_handler)
    case "${answer%% *}" in
      200 | 201) return ;;
      000 | 401 | 5??) ;;
      *) die "inquiry-service refused the weather handler: HTTP $answer" ;;
    esac
    ((SECONDS < deadline)) || die "could not register the weather handler within ${READY_TIMEOUT}s: HTTP $answer"
    sleep 0.3
  done
}

# ---------------------------------------------------------------- the entry point and monitoring

# What runs a program as the given user when up runs as root (nothing otherwise). setpriv execs: the pid launch
# records is the program's own.
as_user_prefix() {
  if [[ $EUID -eq 0 ]]; then echo "setpriv --reuid=$1 --regid=$1 --init-groups --"; fi
}

as_user() {
  local user=$1
  shift
  # shellcheck disable=SC2046 # the prefix is a list of words
  $(as_user_prefix "$user") "$@"
}

# Hands files to the user a component runs as (when up runs as root).
give_to() {
  local user=$1
  shift
  [[ $EUID -ne 0 ]] || chown -R "$user:" "$@"
}

# Every running node of a service (every relay node of remote access), as nginx upstream servers.
upstream_servers() {
  local entry
  for entry in "${SERVICES[@]}"; do
    [[ $(module_of "${entry%%:*}") == "$1" ]] && printf '    server 127.0.0.1:%s;\n' "${entry##*:}"
  done
  return 0
}

# The routes follow the @Paths of each service's rest/ package. Paths that share a prefix (/devices/{d} in the
# registry, /devices/{d}/commands in the command service) are told apart by regex locations, which nginx tries
# before the /api/v1/ prefix that sends the rest to the registry. Every answer names the service that gave it
# (X-Outpost-Service), which EntryPointTest checks against each service's own OpenAPI document.
write_proxy_config() {
  mkdir -p "$PROXY_DIR/tmp" "$PROXY_DIR/swagger-ui"
  cp -r "$DIST/swagger-ui/." "$PROXY_DIR/swagger-ui/"
  rm -f "$PROXY_DIR/swagger-ui/.complete"
  cat >"$PROXY_DIR/swagger-ui/index.html" <<'EOF'
<!DOCTYPE html>
<!-- Generated by ./outpost up: Swagger UI on the merged document of every Outpost service. -->
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Outpost API</title>
  <link rel="stylesheet" type="text/css" href="swagger-ui.css">
  <link rel="icon" type="image/x-icon" href="favicon.ico">
</head>
<body>
<div id="swagger-ui"></div>
<script src="swagger-ui-bundle.js" charset="UTF-8"></script>
<script src="swagger-ui-standalone-preset.js" charset="UTF-8"></script>
<script>
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
</script>
</body>
</html>
EOF
  local tenant='^/api/v1/tenants/[^/]+'
  cat >"$PROXY_DIR/nginx.conf" <<EOF
# Generated by ./outpost up (deploy/local/platform.sh, write_proxy_config); rewritten on every up. Do not edit.
daemon off;
worker_processes 1;
pid $PROXY_DIR/nginx.pid;
error_log $LOGS/proxy.log notice;

events { worker_connections 1024; }

http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log $LOGS/proxy-access.log;
  client_body_temp_path $PROXY_DIR/tmp/client-body;
  proxy_temp_path $PROXY_DIR/tmp/proxy;
  fastcgi_temp_path $PROXY_DIR/tmp/fastcgi;
  uwsgi_temp_path $PROXY_DIR/tmp/uwsgi;
  scgi_temp_path $PROXY_DIR/tmp/scgi;
  server_tokens off;

  # Bodies are the services' to limit (a bulk device import is larger than nginx's default 1 MB).
  client_max_body_size 0;
  proxy_http_version 1.1;
  # WebSocket upgrades (the relay) pass through; other requests keep their upstream connection alive.
  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
  proxy_set_header Upgrade \$http_upgrade;
  proxy_set_header Connection \$connection_upgrade;
  # The services build Location headers from Host: they point at the entry point, not at a service's own port.
  proxy_set_header Host \$http_host;
  proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto \$scheme;
  # Live telemetry (server-sent events) must flow as it is written, not when a buffer fills.
  proxy_buffering off;
  # Longer than the longest ?wait= of a command; live streams and tunnels may stay quiet for an hour.
  proxy_read_timeout 3600s;
  proxy_send_timeout 3600s;

  upstream device_registry {
$(upstream_servers device-registry)
    keepalive 8;
  }
  upstream telemetry_service {
$(upstream_servers telemetry-service)
    keepalive 8;
  }
  upstream command_service {
$(upstream_servers command-service)
    keepalive 8;
  }
  upstream notification_service {
$(upstream_servers notification-service)
    keepalive 8;
  }
  upstream inquiry_service {
$(upstream_servers inquiry-service)
    keepalive 8;
  }
  upstream remote_access_service {
$(upstream_servers remote-access-service)
    keepalive 8;
  }

  server {
    listen 127.0.0.1:$PROXY_PORT;
    server_name _;

    location = /health { default_type text/plain; return 200 "ok\n"; }
    location = / { return 302 /swagger-ui/; }
    location = /swagger-ui { return 301 /swagger-ui/; }
    location /swagger-ui/ { alias $PROXY_DIR/swagger-ui/; }
    location = /openapi.json {
      alias $PROXY_DIR/openapi.json;
      default_type application/json;
      add_header Cache-Control no-cache;
    }

    # /devices/{d}/commands and /commands...
    location ~ $tenant/(devices/[^/]+/)?commands(/|\$) {
      proxy_pass http://command_service;
      add_header X-Outpost-Service command-service always;
    }
    # /devices/{d}/telemetry..., /telemetry/latest, /telemetry/live
    location ~ $tenant/(devices/[^/]+/)?telemetry(/|\$) {
      proxy_pass http://telemetry_service;
      add_header X-Outpost-Service telemetry-service always;
    }
    # /devices/{d}/notifications, /notifications...
    location ~ $tenant/(devices/[^/]+/)?notifications(/|\$) {
      proxy_pass http://notification_service;
      add_header X-Outpost-Service notification-service always;
    }
    # /inquiries..., /inquiry-handlers...
    location ~ $tenant/(inquiries|inquiry-handlers)(/|\$) {
      proxy_pass http://inquiry_service;
      add_header X-Outpost-Service inquiry-service always;
    }
    # /remote-access/fleet, /remote-access/audit, /groups/{g}/remote-access, /devices/{d}/remote-access[/switch],
    # /devices/{d}/tunnels, /tunnels/{id}
    location ~ $tenant/(((devices|groups)/[^/]+/)?remote-access|(devices/[^/]+/)?tunnels)(/|\$) {
      proxy_pass http://remote_access_service;
      add_header X-Outpost-Service remote-access-service always;
    }
    # The relay's WebSockets for operators and devices; /relay/internal/ is for relay nodes only and not routed.
    location /relay/v1/ {
      proxy_pass http://remote_access_service;
      add_header X-Outpost-Service remote-access-service always;
    }
    # Everything else of the API: /me, tenants, devices, credentials, groups and members, bulk import.
    location /api/v1/ {
      proxy_pass http://device_registry;
      add_header X-Outpost-Service device-registry always;
    }
    location / {
      default_type application/problem+json;
      return 404 '{"title":"Not Found","status":404,"detail":"no Outpost API at this path: see /openapi.json"}';
    }
    # A service that does not answer (stopped, restarting): a problem like the services' own, not nginx's page.
    error_page 502 @unreachable;
    location @unreachable {
      default_type application/problem+json;
      return 502 '{"title":"Bad Gateway","status":502,"detail":"the service behind this path does not answer: see ./outpost status"}';
    }
  }
}
EOF
  give_to "$PROXY_USER" "$PROXY_DIR"
  touch "$LOGS/proxy.log" "$LOGS/proxy-access.log"
  give_to "$PROXY_USER" "$LOGS/proxy.log" "$LOGS/proxy-access.log"
}

# The merged OpenAPI document, from the running services (so it is always what they serve); written atomically.
merge_openapi() {
  local entry module documents=()
  for entry in "${SERVICES[@]}"; do
    module=${entry%%:*}
    [[ $module == mqtt-bridge* || $module == remote-access-service-* ]] && continue
    documents+=("$module=http://127.0.0.1:${entry##*:}/q/openapi?format=json")
  done
  mkdir -p "$PROXY_DIR"
  # Bounded: a merge that hangs fails up with a message instead of holding it (and a CI run) forever.
  timeout 300 java -cp "$KAFKA_LIB/*" "$ROOT/deploy/local/MergeOpenApi.java" "$PROXY_DIR/openapi.json" "${documents[@]}" \
    >>"$LOGS/proxy.log" 2>&1 || die "the merged OpenAPI document failed; log: $LOGS/proxy.log"
  give_to "$PROXY_USER" "$PROXY_DIR/openapi.json"
}

nginx_of_proxy() { as_user "$PROXY_USER" /usr/sbin/nginx -e "$LOGS/proxy.log" -c "$PROXY_DIR/nginx.conf" "$@"; }

# Starts nginx, or has a running one load the configuration again (more relay nodes, say) and reopen its logs.
start_proxy() {
  write_proxy_config
  nginx_of_proxy -t >>"$LOGS/proxy.log" 2>&1 || die "nginx refused its configuration; log: $LOGS/proxy.log"
  if is_running proxy; then
    kill -HUP "$(pid_of proxy)"
  else
    # shellcheck disable=SC2046 # the prefix is a list of words
    launch proxy $(as_user_prefix "$PROXY_USER") /usr/sbin/nginx -e "$LOGS/proxy.log" -c "$PROXY_DIR/nginx.conf"
  fi
}

monitoring_wanted() { [[ $MONITORING == 1 || -f $PIDS/prometheus.pid ]]; }

# Every service node's /q/metrics (every bridge and relay node), each target labelled with its component.
write_prometheus_config() {
  local entry rules=""
  mkdir -p "$PROMETHEUS_DIR/data"
  [[ -f $PROMETHEUS_RULES ]] && rules="rule_files:
  - "$PROMETHEUS_RULES"
"
  {
    cat <<EOF
# Generated by ./outpost up --monitoring (deploy/local/platform.sh); rewritten on every up. Do not edit.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
${rules}scrape_configs:
  - job_name: outpost
    metrics_path: /q/metrics
    static_configs:
EOF
    for entry in "${SERVICES[@]}"; do
      printf '      - targets: ["127.0.0.1:%s"]\n        labels: {component: "%s", service: "%s"}\n' \
        "${entry##*:}" "${entry%%:*}" "$(module_of "${entry%%:*}")"
    done
  } >"$PROMETHEUS_DIR/prometheus.yml"
  give_to "$PROMETHEUS_USER" "$PROMETHEUS_DIR"
  touch "$LOGS/prometheus.log"
  give_to "$PROMETHEUS_USER" "$LOGS/prometheus.log"
}

# Starts Prometheus, or has a running one load its configuration and rules again.
start_prometheus() {
  write_prometheus_config
  promtool check config "$PROMETHEUS_DIR/prometheus.yml" >>"$LOGS/prometheus.log" 2>&1 ||
    die "Prometheus refused its configuration (or the alert rules); log: $LOGS/prometheus.log"
  if is_running prometheus; then
    kill -HUP "$(pid_of prometheus)"
  else
    # shellcheck disable=SC2046 # the prefix is a list of words
    launch prometheus $(as_user_prefix "$PROMETHEUS_USER") prometheus --config.file="$PROMETHEUS_DIR/prometheus.yml" \
      --storage.tsdb.path="$PROMETHEUS_DIR/data" --storage.tsdb.retention.time=2d \
      --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
  fi
}

# ---------------------------------------------------------------- commands

# Every component, one per line, in start order.
components() {
  printf '%s\n' postgres "${KAFKA_NODES[@]}" keycloak
  local entry
  for entry in "${SERVICES[@]}"; do echo "${entry%%:*}"; done
  echo weather-webhook
  echo proxy
  ! monitoring_wanted || echo prometheus
}

port_of() {
  case "$1" in
    postgres) echo "$POSTGRES_PORT" ;;
    kafka*) kafka_port "$1" ;;
    keycloak) echo "$KEYCLOAK_PORT" ;;
    weather-webhook) echo "$WEATHER_WEBHOOK_PORT" ;;
    proxy) echo "$PROXY_PORT" ;;
    prometheus) echo "$PROMETHEUS_PORT" ;;
    *)
      local entry
      for entry in "${SERVICES[@]}"; do
        if [[ ${entry%%:*} == "$1" ]]; then echo "${entry##*:}"; fi
      done
      ;;
  esac
}

# Before anything starts: every port a component that is not running yet needs must be free.
require_free_ports() {
  local component
  for component in $(components); do
    is_running "$component" && continue
    require_free_port "$(port_of "$component")" "$component"
    [[ $component != kafka* ]] || require_free_port "$(kafka_controller_port "$component")" "$component (controller)"
    if [[ $component == mqtt-bridge* ]]; then
      local port
      for port in $(bridge_ports "$component"); do require_free_port "$port" "$component (MQTT)"; done
    fi
  done
}

# Starts the component unless it already runs.
start_component() {
  local component=$1
  if is_running "$component"; then
    say "$component already running (pid $(pid_of "$component"))"
    return
  fi
  say "starting $component"
  case "$component" in
    postgres) start_postgres ;;
    kafka*) start_kafka "$component" ;;
    keycloak) start_keycloak ;;
    weather-webhook) start_weather_webhook ;;
    *) start_service "$component" ;;
  esac
}

# A descriptor up inherited, such as the lock of `flock LOCK ./outpost up`, would be inherited in turn by every
# component up starts and stay open (the lock held) as long as they run. The shell keeps 0-2 and 255 (the script it
# reads); whoever holds the lock for up (flock itself) still holds it until up ends.
close_inherited_descriptors() {
  local fd
  for fd in $(ls "/proc/$$/fd"); do
    if ((fd > 2 && fd < 255)); then eval "exec $fd>&-"; fi
  done
}

platform_up() {
  local started=$SECONDS entry module node
  close_inherited_descriptors
  while (($#)); do
    case "$1" in
      --monitoring) MONITORING=1 ;;
      *) die "unknown option of up: $1 (known: --monitoring)" ;;
    esac
    shift
  done
  mkdir -p "$DIST" "$LOGS" "$PIDS"
  require_kafka_as_asked
  require_free_ports
  ensure_packages
  ensure_distributions
  start_component postgres
  for node in "${KAFKA_NODES[@]}"; do start_component "$node"; done
  start_component keycloak
  build_services
  for node in "${KAFKA_NODES[@]}"; do wait_for "$node" "broker port $(kafka_port "$node")" port_busy "$(kafka_port "$node")"; done
  wait_for kafka "platform topics" create_topics
  provision_databases
  # Services fetch Keycloak's keys on first use, so they start while Keycloak is still booting.
  for entry in "${SERVICES[@]}"; do start_component "${entry%%:*}"; done
  start_component weather-webhook
  WAIT_TIMEOUT=$KEYCLOAK_READY_TIMEOUT wait_for keycloak "realm outpost" \
    http_ok "$KEYCLOAK_URL/realms/outpost/.well-known/openid-configuration"
  for entry in "${SERVICES[@]}"; do
    module=${entry%%:*}
    wait_for "$module" "readiness" http_ok "http://127.0.0.1:${entry##*:}/q/health/ready"
  done
  wait_for weather-webhook "readiness" http_ok "http://127.0.0.1:$WEATHER_WEBHOOK_PORT/health"
  register_weather_handler
  # The entry point comes last: its merged OpenAPI document is read from the running services.
  merge_openapi
  is_running proxy && say "reconfiguring proxy (pid $(pid_of proxy))" || say "starting proxy"
  start_proxy
  wait_for proxy "port $PROXY_PORT" http_ok "http://127.0.0.1:$PROXY_PORT/health"
  if monitoring_wanted; then
    is_running prometheus && say "reconfiguring prometheus (pid $(pid_of prometheus))" || say "starting prometheus"
    start_prometheus
    wait_for prometheus "readiness" http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
  fi
  say "everything is up and ready in $((SECONDS - started)) s"
  print_tour
}

platform_down() {
  local component
  for component in $(components | tac); do
    if ! is_running "$component"; then
      rm -f "$PIDS/$component.pid"
      continue
    fi
    say "stopping $component"
    case "$component" in
      postgres) stop_postgres ;;
      keycloak) stop_keycloak ;;
      *) terminate "$component" "$(pid_of "$component")" ;;
    esac
    rm -f "$PIDS/$component.pid"
  done
  say "stopped"
}

health_of() {
  case "$1" in
    postgres) "$(postgres_bin)/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" && echo ready || echo "not ready" ;;
    kafka*) port_busy "$(kafka_port "$1")" && echo "accepting connections" || echo "not ready" ;;
    keycloak) http_ok "$KEYCLOAK_URL/realms/outpost/.well-known/openid-configuration" && echo ready || echo "not ready" ;;
    weather-webhook) http_ok "http://127.0.0.1:$WEATHER_WEBHOOK_PORT/health" && echo ready || echo "not ready" ;;
    proxy) http_ok "http://127.0.0.1:$PROXY_PORT/health" && echo ready || echo "not ready" ;;
    prometheus) http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" && echo ready || echo "not ready" ;;
    *) http_ok "http://127.0.0.1:$(port_of "$1")/q/health/ready" && echo ready || echo "not ready" ;;
  esac
}

platform_status() {
  local component all_up=0
  printf '%-22s %-9s %-8s %-6s %s\n' COMPONENT STATE PID PORT HEALTH
  for component in $(components); do
    if is_running "$component"; then
      printf '%-22s %-9s %-8s %-6s %s\n' "$component" running "$(pid_of "$component")" "$(port_of "$component")" \
        "$(health_of "$component")"
    else
      all_up=1
      printf '%-22s %-9s %-8s %-6s %s\n' "$component" stopped - "$(port_of "$component")" -
    fi
  done
  return $all_up
}

platform_logs() {
  local component=$1 follow=$2
  [[ -f $LOGS/$component.log ]] || die "no log for '$component'; components: $(components | paste -sd' ' -)"
  if [[ $follow == yes ]]; then tail -n 100 -F "$LOGS/$component.log"; else tail -n 200 "$LOGS/$component.log"; fi
}

print_tour() {
  cat <<EOF

  Kafka        $(kafka_bootstrap)
  PostgreSQL   127.0.0.1:$POSTGRES_PORT  (role outpost/outpost; databases: ${DATABASES[*]})
  Keycloak     $KEYCLOAK_URL  (admin console: admin/admin; realm outpost)
  MQTT         mqtt://127.0.0.1:$MQTT_PORT, ws://127.0.0.1:$MQTT_WEBSOCKET_PORT/mqtt  (username {device}@{tenant}, password = the device secret)
  MQTT + TLS   mqtts://localhost:$MQTTS_PORT, wss://localhost:$MQTT_SECURE_WEBSOCKET_PORT/mqtt  (trust $TLS_DIR/ca.crt)
EOF
  local entry ports
  for entry in "${SERVICES[@]}"; do
    [[ ${entry%%:*} == mqtt-bridge-* ]] || continue
    read -ra ports <<<"$(bridge_ports "${entry%%:*}")"
    printf '  %-12s mqtt://127.0.0.1:%s, ws :%s, mqtts :%s, wss :%s\n' "${entry%%:*}" "${ports[@]}"
  done
  printf '  %-20s http://127.0.0.1:%s/weather  (demo webhook answering acme'"'"'s inquiries named weather)\n' \
    weather-webhook "$WEATHER_WEBHOOK_PORT"
  printf '\n  Each service on its own port, for debugging (Swagger UI: /q/swagger-ui, health: /q/health, metrics: /q/metrics):\n'
  for entry in "${SERVICES[@]}"; do
    printf '    %-24s http://127.0.0.1:%s\n' "${entry%%:*}" "${entry##*:}"
  done
  if is_running prometheus; then
    printf '\n  Prometheus   http://127.0.0.1:%s  (every service'"'"'s /q/metrics; alerts: /alerts)\n' "$PROMETHEUS_PORT"
  fi
  cat <<EOF

  The whole REST API, one base URL:  http://127.0.0.1:$PROXY_PORT/api/v1/...
  Swagger UI:                        http://127.0.0.1:$PROXY_PORT/swagger-ui/
  OpenAPI (every service, merged):   http://127.0.0.1:$PROXY_PORT/openapi.json

  Try it: a token for the demo tenant acme, then ask the platform who you are:
    TOKEN=\$(curl -s -d grant_type=client_credentials -d client_id=tenant-acme -d client_secret=acme-dev-secret \\
      $KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
    curl -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$PROXY_PORT/api/v1/me

  Logs: ./outpost logs <component>    Stop: ./outpost down
EOF
}
