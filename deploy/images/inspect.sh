#!/usr/bin/env bash
# Inspects one built image in a registry without a container daemon (skopeo) and checks what a platform team relies
# on: a non-root user, an entrypoint, the service's HTTP port exposed, the OCI labels, the health endpoints declared.
# Prints one line per image with its size; exits non-zero naming every check that failed.
#   deploy/images/inspect.sh 127.0.0.1:5000/outpost/command-service:0.1.0-SNAPSHOT command-service
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
reference=$1
module=$2

config=$(skopeo inspect --tls-verify=false --config "docker://$reference")
manifest=$(skopeo inspect --tls-verify=false --raw "docker://$reference")
http_port=$(sed -n 's/^quarkus\.http\.port=//p' "$ROOT/$module/src/main/resources/application.properties")

user=$(jq -r '.config.User // ""' <<<"$config")
entrypoint=$(jq -r '(.config.Entrypoint // []) | join(" ")' <<<"$config")
ports=$(jq -r '(.config.ExposedPorts // {}) | keys | join(" ")' <<<"$config")
label() { jq -r --arg name "$1" '.config.Labels[$name] // ""' <<<"$config"; }
size_mb=$(jq '([.layers[].size] | add) / 1048576 | floor' <<<"$manifest")

problems=()
[[ -n $user && $user != root && $user != 0 && ${user%%:*} != 0 ]] || problems+=("runs as root (User '$user')")
[[ $entrypoint == *java* ]] || problems+=("no java entrypoint ('$entrypoint')")
[[ " $ports " == *" $http_port/tcp "* ]] || problems+=("HTTP port $http_port not exposed ('$ports')")
for name in org.opencontainers.image.title org.opencontainers.image.version org.opencontainers.image.revision \
  org.opencontainers.image.source io.outpost.health.liveness io.outpost.health.readiness; do
  [[ -n $(label "$name") ]] || problems+=("label $name missing")
done
[[ $(label org.opencontainers.image.title) == "$module" ]] || problems+=("title is not $module")

printf '%-24s user %-9s ports %-38s %4s MB  version %s revision %.12s\n' "$module" "$user" "$ports" "$size_mb" \
  "$(label org.opencontainers.image.version)" "$(label org.opencontainers.image.revision)"
if ((${#problems[@]})); then
  for problem in "${problems[@]}"; do echo "  $module: $problem" >&2; done
  exit 1
fi
