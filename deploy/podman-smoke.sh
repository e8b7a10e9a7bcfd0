#!/usr/bin/env bash
# Builds the image with podman from base images made of Debian packages (no registry needed),
# runs it, and checks what the Dockerfile promises: /healthz answers, the HEALTHCHECK passes, the
# server runs as uid 10001 as PID 1, and SIGTERM stops it with exit code 0. docs/deploy.md
# ("Tested here") says why the runtime flags below are needed on the build machine.
#
#   mvn -q package -DskipTests        # the jar: chat-server/target/chat-server.jar
#   sudo deploy/podman-smoke.sh       # needs podman, runc, mmdebstrap (Debian packages), curl
#
#   PARLEY_SMOKE_PORT   the host port to publish (default 19501)
#   PARLEY_SMOKE_WORK   where the base tarballs are kept (default /tmp/parley-podman-smoke)
#   PODMAN_RUNTIME      default runc (crun refuses hybrid cgroups)
set -euo pipefail

cd "$(dirname "$0")/.."
port=${PARLEY_SMOKE_PORT:-19501}
work=${PARLEY_SMOKE_WORK:-/tmp/parley-podman-smoke}
podman=(podman --runtime "${PODMAN_RUNTIME:-runc}" --cgroup-manager cgroupfs)
name=parley-smoke-$$
mirror="deb http://deb.debian.org/debian bookworm main"
security="deb http://deb.debian.org/debian-security bookworm-security main"

log() { printf '%s podman-smoke: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
fail() { log "FAILED: $*"; exit 1; }

[[ -r chat-server/target/chat-server.jar ]] || fail "no chat-server/target/chat-server.jar (mvn package first)"
mkdir -p "$work"

base() { # base <image> <tarball> <packages>
  if "${podman[@]}" image exists "$1"; then return; fi
  log "making $1 with mmdebstrap ($3)"
  mmdebstrap --variant=minbase --include="$3" bookworm "$work/$2" "$mirror" "$security"
  "${podman[@]}" import "$work/$2" "$1" >/dev/null
}
base localhost/debian-jdk17:bookworm jdk17.tar openjdk-17-jdk-headless,passwd,ca-certificates
base localhost/debian-min:bookworm min.tar passwd

log "building localhost/parley:smoke"
"${podman[@]}" build --format docker -f deploy/Dockerfile -t localhost/parley:smoke \
  --build-arg JDK_IMAGE=localhost/debian-jdk17:bookworm \
  --build-arg RUNTIME_IMAGE=localhost/debian-min:bookworm . >"$work/build.log" 2>&1 \
  || { tail -20 "$work/build.log"; fail "build (log: $work/build.log)"; }

# podman's default open-files and process limits are above what root may set here
hard_nofile=$(ulimit -Hn)
log "running $name on 127.0.0.1:$port"
"${podman[@]}" run -d --name "$name" --ulimit "nofile=$hard_nofile:$hard_nofile" --ulimit nproc=4096:4096 \
  -p "127.0.0.1:$port:8080" localhost/parley:smoke >/dev/null
trap '"${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true' EXIT

for _ in $(seq 1 90); do
  if curl -fs "http://127.0.0.1:$port/healthz" >/dev/null; then break; fi
  sleep 1
done
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { "${podman[@]}" logs "$name" | tail -20; fail "/healthz never answered 200"; }
log "/healthz answers 200"

"${podman[@]}" healthcheck run "$name" || fail "the image's HEALTHCHECK failed"
log "HEALTHCHECK passes"

id=$("${podman[@]}" exec "$name" id -u)
[[ "$id" == 10001 ]] || fail "runs as uid $id, not 10001"
pid1=$("${podman[@]}" exec "$name" cat /proc/1/cmdline | tr '\0' ' ')
[[ "$pid1" == /opt/jre/bin/java* ]] || fail "PID 1 is not the JVM: $pid1"
log "uid 10001, PID 1: ${pid1:0:80}..."

"${podman[@]}" stop -t 30 "$name" >/dev/null
code=$("${podman[@]}" inspect --format '{{.State.ExitCode}}' "$name")
[[ "$code" == 0 ]] || { "${podman[@]}" logs "$name" | tail -20; fail "exit code $code after SIGTERM"; }
"${podman[@]}" logs "$name" 2>&1 | grep -q "stopping" || fail "no clean shutdown in the log"
log "SIGTERM: stopped cleanly, exit code 0"
log "OK"
