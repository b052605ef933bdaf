#!/usr/bin/env bash
# Device-registry benchmark: bulk import of 100,000 devices and list-page latency at 100,000 devices, against the
# local platform (started with ./outpost up if it is not running). Writes .outpost/bench/registry.json.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/deploy/local/platform.sh"

"$ROOT/outpost" up >/dev/null
mkdir -p "$STATE/bench"
# The demo platform-admin (deploy/local/keycloak/outpost-realm.json) may create and delete the bench tenants.
token=$(curl -fs -d grant_type=password -d client_id=outpost-cli -d username=pat -d password=pat-password \
  "$KEYCLOAK_URL/realms/outpost/protocol/openid-connect/token" | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
java "$ROOT/bench/registry/RegistryBench.java" "http://127.0.0.1:$(port_of device-registry)" "$token" \
  "$STATE/bench/registry.json"
echo "report: $STATE/bench/registry.json"
