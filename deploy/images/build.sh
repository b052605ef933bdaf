#!/usr/bin/env bash
# Builds every service's OCI image without a container daemon (./outpost images; deploy/images/README.md):
#   1. a base image made from Debian packages (debootstrap: bookworm, openjdk-17-jre-headless, user 1000), once;
#   2. a local registry (Debian's docker-registry) on 127.0.0.1:$REGISTRY_PORT, started if it is not running;
#   3. each service's image with Quarkus's Jib extension, pushed to that registry as outpost/<module>:<version>;
#   4. a check of each image (deploy/images/inspect.sh) and an OCI archive of it under .outpost/images/oci/.
# Not part of the test run: the base image alone takes a minute and 350 MB.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$ROOT/.outpost/images
BASE_TAR=$WORK/base-jre17.tar
REGISTRY_PORT=${OUTPOST_IMAGE_REGISTRY_PORT:-5000}
REGISTRY=127.0.0.1:$REGISTRY_PORT
SERVICES=(device-registry mqtt-bridge telemetry-service command-service notification-service inquiry-service
  remote-access-service)

say() { echo "[images] $*"; }
die() { echo "[images] error: $*" >&2; exit 1; }
as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }

ensure_packages() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v skopeo >/dev/null || missing+=(skopeo)
  command -v jq >/dev/null || missing+=(jq)
  [[ -x /usr/bin/docker-registry ]] || missing+=(docker-registry)
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# A docker-archive tar (what `docker save` writes; Jib and skopeo read it) of one layer: the root filesystem.
base_image() {
  [[ -s $BASE_TAR ]] && return
  local rootfs=$WORK/rootfs layer
  rm -rf "$rootfs" "$WORK/base"
  say "making the base image from Debian packages (about a minute)"
  as_root debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" \
    http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 || die "debootstrap failed; log: $WORK/debootstrap.log"
  # The user every service runs as; no shell, no home.
  echo "outpost:x:1000:1000:Outpost service:/nonexistent:/usr/sbin/nologin" >>"$rootfs/etc/passwd"
  echo "outpost:x:1000:" >>"$rootfs/etc/group"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc \
    "$rootfs"/usr/share/man "$rootfs"/usr/share/info
  mkdir -p "$WORK/base"
  tar --numeric-owner --sort=name -C "$rootfs" -cf "$WORK/base/layer.tar" .
  layer=$(sha256sum "$WORK/base/layer.tar" | cut -d' ' -f1)
  cat >"$WORK/base/config.json" <<EOF
{"architecture":"amd64","os":"linux",
 "config":{"User":"1000:1000","WorkingDir":"/",
   "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer"]}}
EOF
  echo '[{"Config":"config.json","RepoTags":["outpost/base-jre:17"],"Layers":["layer.tar"]}]' >"$WORK/base/manifest.json"
  tar -C "$WORK/base" -cf "$BASE_TAR.partial" manifest.json config.json layer.tar
  mv "$BASE_TAR.partial" "$BASE_TAR"
  rm -rf "$rootfs" "$WORK/base"
  say "base image: $BASE_TAR ($(du -m "$BASE_TAR" | cut -f1) MB)"
}

# The root pom's own version: its first <version> element.
project_version() { sed -n 's:^  <version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1; }

registry_up() { curl -fs "http://$REGISTRY/v2/" >/dev/null 2>&1; }

start_registry() {
  registry_up && return
  mkdir -p "$WORK/registry"
  cat >"$WORK/registry.yml" <<EOF
version: 0.1
storage:
  filesystem:
    rootdirectory: $WORK/registry
http:
  addr: $REGISTRY
EOF
  say "starting a local registry on $REGISTRY"
  nohup /usr/bin/docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  echo $! >"$WORK/registry.pid"
  for _ in $(seq 1 50); do registry_up && return; sleep 0.2; done
  die "the local registry did not start; log: $WORK/registry.log"
}

build_images() {
  local modules revision source
  modules=$(IFS=,; echo "${SERVICES[*]}")
  revision=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  source=$(git -C "$ROOT" remote get-url origin 2>/dev/null || echo "file://$ROOT")
  say "building and pushing $modules"
  # The manifests go to target/ in this build: the committed ones name the images without a registry.
  "$ROOT/mvnw" -q -B -f "$ROOT/pom.xml" package -DskipTests -pl "$modules" -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="$REGISTRY" -Dquarkus.container-image.insecure=true \
    -Dquarkus.jib.base-jvm-image="tar://$BASE_TAR" -Doutpost.image.revision="$revision" \
    -Doutpost.image.source="$source" \
    -Dquarkus.kubernetes.output-directory=target/kubernetes >"$WORK/build.log" 2>&1 ||
    die "the image build failed; log: $WORK/build.log"
}

export_and_inspect() {
  local version module failed=0
  version=$(project_version)
  mkdir -p "$WORK/oci"
  for module in "${SERVICES[@]}"; do
    skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/outpost/$module:$version" \
      "oci-archive:$WORK/oci/$module.tar:outpost/$module:$version"
    "$ROOT/deploy/images/inspect.sh" "$REGISTRY/outpost/$module:$version" "$module" || failed=1
  done
  ((failed == 0)) || die "an image failed its check (above)"
  say "images in $REGISTRY and as OCI archives in $WORK/oci/"
}

mkdir -p "$WORK"
ensure_packages
base_image
start_registry
build_images
export_and_inspect
