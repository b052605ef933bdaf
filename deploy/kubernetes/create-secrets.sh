#!/usr/bin/env bash
# Creates the Secrets Outpost's manifests refer to but never hold, each with a random value, in the namespace given
# (default outpost). Existing Secrets are left as they are, so running it again changes nothing. Needs kubectl with
# access to the cluster and openssl. kubernetes-checks fails when a manifest refers to a Secret this script does not
# make (cert-manager's certificate Secrets aside).
#
#   deploy/kubernetes/create-secrets.sh [namespace]
set -euo pipefail

NAMESPACE=${1:-outpost}

random() { openssl rand -hex 24; }

exists() { kubectl -n "$NAMESPACE" get secret "$1" >/dev/null 2>&1; }

# A PostgreSQL role's login for CloudNativePG (managed roles and initdb read username and password).
database_login() {
  local role=$1 secret=outpost-db-$1
  if exists "$secret"; then echo "kept $secret"; return; fi
  kubectl -n "$NAMESPACE" create secret generic "$secret" --type=kubernetes.io/basic-auth \
    --from-literal=username="$role" --from-literal=password="$(random)"
  # CloudNativePG reloads a managed role's password when its Secret carries this label.
  kubectl -n "$NAMESPACE" label secret "$secret" cnpg.io/reload=true >/dev/null
}

generic() {
  local secret=$1
  shift
  if exists "$secret"; then echo "kept $secret"; return; fi
  kubectl -n "$NAMESPACE" create secret generic "$secret" "$@"
}

kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"

# One role and database per service that keeps state (base/postgres), and Keycloak's.
for role in device-registry telemetry-service command-service notification-service inquiry-service \
  remote-access-service keycloak; do
  database_login "$role"
done
# Keycloak's first administrator (base/keycloak/keycloak.yaml): log in once, create your own admins, then remove it.
generic outpost-keycloak-admin --type=kubernetes.io/basic-auth --from-literal=username=admin \
  --from-literal=password="$(random)"
# inquiry-service seals tenants' webhook secrets in its database with this key (OUTPOST_INQUIRY_SECRETS_KEY).
generic outpost-inquiry-secrets --from-literal=key="$(openssl rand -hex 32)"
# The relay nodes of remote-access-service present it to each other (OUTPOST_REMOTE_ACCESS_CLUSTER_SECRET).
generic outpost-relay-cluster --from-literal=secret="$(openssl rand -hex 32)"
