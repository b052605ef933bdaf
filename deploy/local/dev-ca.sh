#!/usr/bin/env bash
# Creates a development CA and a server certificate signed by it, for the bridge's TLS listeners (MQTTS, WSS).
# Usage: dev-ca.sh <directory> [extra host names...]
# Writes ca.crt, ca.key, server.crt, server.key (PEM) into the directory; keeps existing files that are still valid
# for 30 days. Devices trust ca.crt (mosquitto_pub --cafile <dir>/ca.crt). For development only: the CA key sits next
# to the certificates, unencrypted.
set -euo pipefail

dir=${1:?usage: dev-ca.sh <directory> [extra host names...]}
shift
mkdir -p "$dir"
cd "$dir"

valid() { [[ -f $1 ]] && openssl x509 -checkend $((30 * 24 * 3600)) -noout -in "$1" >/dev/null 2>&1; }

if ! valid ca.crt || [[ ! -f ca.key ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt -days 3650 \
    -subj "/O=Outpost/CN=Outpost development CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  rm -f server.crt
fi

if ! valid server.crt || [[ ! -f server.key ]]; then
  names="DNS:localhost,IP:127.0.0.1,IP:::1,DNS:$(hostname)"
  for name in "$@"; do names+=",DNS:$name"; done
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr \
    -subj "/O=Outpost/CN=outpost-mqtt-bridge" 2>/dev/null
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 825 \
    -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n' \
      "$names") 2>/dev/null
  rm -f server.csr ca.srl
fi
chmod 600 ca.key server.key
