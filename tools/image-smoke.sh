#!/usr/bin/env bash
# make image-smoke: builds the image with jib and runs it in a real container runtime (podman) the way
# k8s/base/deployment.yaml runs it: user 10001, read-only root filesystem with nothing writable mounted, all
# capabilities dropped, no-new-privileges, the default seccomp profile, 384 MiB of memory without swap, no network.
# Each round: start -> ready -> one classification -> SIGTERM. Prints start-to-ready, RSS and the exit code, and
# fails when the image does not start, logs a line that is not JSON, reports another version than the build's, or
# does not exit 0 on SIGTERM.
#
#   tools/image-smoke.sh              # needs root, podman, runc, debootstrap, nsenter, curl; about 5 minutes cold
#   tools/image-smoke.sh --if-possible   # CI: when no container can start here, say why and exit 0
#
# The base image: $BASE_IMAGE (anything jib takes: a registry reference, docker://, tar://) or, by default, a
# JRE 17 image built here from Debian packages (debootstrap + openjdk-17-jre-headless), kept in podman's storage
# and reused by later runs; the usual base registry (Docker Hub) may be unreachable. The app's container has
# --network=none and is reached through its own loopback (nsenter into its network namespace).
set -uo pipefail
cd "$(dirname "$0")/.."

IF_POSSIBLE=false
[ "${1:-}" = "--if-possible" ] && IF_POSSIBLE=true
ROUNDS=${ROUNDS:-3}
READY_WITHIN_S=120    # a loaded CI machine; the image is ready in about a second when the machine is quiet
WORK=${WORK:-target/image-smoke}
BASE_NAME=localhost/catvsnoncat-smoke-base:jre17-bookworm
PICTURE=src/main/resources/model/default.png
# Names of this run's own, so runs on one machine (CI beside a developer) leave each other alone.
TAG=smoke-$$
IMAGE=localhost/catvsnoncat:$TAG
CONTAINER=catvsnoncat-smoke-$$
# The project's version: the first <version> at the pom's top level.
VERSION=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
# crun (podman's default) refuses some hybrid cgroup set-ups that runc accepts; podman's default rlimits need
# CAP_SYS_RESOURCE, which a container host itself may lack: the host's own limits instead.
RUNTIME=(--runtime runc)
ULIMITS=(--ulimit "nofile=$(ulimit -Hn):$(ulimit -Hn)" --ulimit nproc=32768:32768)
# The pod's securityContext and resources (k8s/base/deployment.yaml); no volume at /tmp.
CONSTRAINTS=(--user 10001:10001 --read-only --read-only-tmpfs=false --cap-drop=ALL
  --security-opt no-new-privileges --memory 384m --memory-swap 384m --cpu-shares 512 --network=none)

ms() { echo $((($2 - $1) / 1000000)); }
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
fail() { echo "image-smoke: FAILED: $*" >&2; exit 1; }
# Something this machine lacks to run a container: fatal, or a skip with the reason under --if-possible.
cannot() {
  if $IF_POSSIBLE; then echo "image-smoke: skipped, no container can run here: $*"; exit 0; fi
  fail "$*"
}
podman_() { podman "${RUNTIME[@]}" "$@"; }
in_netns() { nsenter -t "$1" -n "${@:2}"; }
status_of() { in_netns "$1" curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:8080$2" 2>/dev/null; }

preflight() {
  [ "$(id -u)" = 0 ] || cannot "needs root (debootstrap, nsenter into the container's network namespace)"
  for tool in podman runc nsenter curl; do
    command -v "$tool" >/dev/null || cannot "$tool is not installed (apt-get install podman runc util-linux curl)"
  done
}

# A JRE 17 base from Debian packages, with JAVA_HOME and PATH set the way eclipse-temurin sets them.
build_base() {
  podman image exists "$BASE_NAME" && return 0
  command -v debootstrap >/dev/null || cannot "debootstrap is not installed, and no BASE_IMAGE was given"
  local rootfs=$WORK/rootfs mirror
  mirror=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null \
    | head -1 | tr -d ' ')
  echo "image-smoke: building the base image $BASE_NAME from ${mirror:-deb.debian.org} (a few minutes, once)"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" \
    > "$WORK/debootstrap.log" 2>&1 || cannot "debootstrap failed (is the Debian mirror reachable?), see $WORK/debootstrap.log"
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  mount -t proc proc "$rootfs/proc" || cannot "cannot mount /proc in the base's chroot"
  chroot "$rootfs" /bin/sh -c 'export DEBIAN_FRONTEND=noninteractive; apt-get update -q &&
    apt-get install -y -q --no-install-recommends openjdk-17-jre-headless && apt-get clean &&
    rm -rf /var/lib/apt/lists/*' >> "$WORK/debootstrap.log" 2>&1
  local installed=$?
  umount "$rootfs/proc"
  [ $installed = 0 ] || cannot "installing the JRE in the base failed, see $WORK/debootstrap.log"
  local jh=/usr/lib/jvm/java-17-openjdk-amd64
  tar -C "$rootfs" -c . | podman import --change "ENV JAVA_HOME=$jh" \
    --change "ENV PATH=$jh/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV LANG=C.UTF-8' - "$BASE_NAME" >/dev/null || cannot "podman import of the base image failed"
  rm -rf "$rootfs"
}

# The probe, before anything is built: a trivial container whose whole root filesystem is one static binary
# (glibc's ldconfig is linked statically).
probe() {
  local rootfs=$WORK/probe-rootfs out
  mkdir -p "$rootfs"
  cp "$(command -v ldconfig || echo /sbin/ldconfig)" "$rootfs/probe" 2>/dev/null \
    || cannot "no static ldconfig to build the probe container from"
  out=$(podman_ run --rm "${ULIMITS[@]}" --network=none --rootfs "$(pwd)/$rootfs" /probe --version 2>&1) \
    || cannot "a trivial container does not start: $(echo "$out" | tail -1)"
}

# The base under the pod's constraints (user, read-only root, memory limit...), which a runtime may refuse.
probe_constraints() {
  local out
  out=$(podman_ run --rm "${ULIMITS[@]}" "${CONSTRAINTS[@]}" "$BASE_NAME" java -version 2>&1) \
    || cannot "a container with the pod's constraints does not start: $(echo "$out" | tail -1)"
}

build_image() {
  local base=${BASE_IMAGE:-}
  if [ -z "$base" ]; then
    rm -f "$WORK/base.tar"
    podman save -q --format docker-archive -o "$WORK/base.tar" "$BASE_NAME" || fail "podman save"
    base=tar://$(pwd)/$WORK/base.tar
  fi
  echo "image-smoke: building the image with jib on $base"
  local t0; t0=$(now)
  make -s image-tar TAG=$TAG MVN="mvn -B -Djib.from.image=$base" > "$WORK/jib.log" 2>&1 \
    || { tail -20 "$WORK/jib.log"; fail "make image-tar"; }
  podman load -q -i target/jib-image.tar >/dev/null || fail "podman load"
  echo "image-smoke: image built in $(ms "$t0" "$(now)") ms"
}

# One start: prints "ready_ms rss_kib exit_code" on stdout, details on stderr.
round() {
  podman rm -f "$CONTAINER" >/dev/null 2>&1
  podman_ create --name "$CONTAINER" "${ULIMITS[@]}" "${CONSTRAINTS[@]}" \
    -v "$(pwd)/k8s/base/config.json:/etc/catvsnoncat/config.json:ro" \
    "$IMAGE" serve --config /etc/catvsnoncat/config.json >/dev/null || fail "podman create"
  local t0 pid ready= rss code
  t0=$(now)
  podman start "$CONTAINER" >/dev/null || fail "podman start"
  pid=$(podman inspect -f '{{.State.Pid}}' "$CONTAINER")
  local deadline=$((t0 + READY_WITHIN_S * 1000000000))
  while [ "$(now)" -lt $deadline ]; do
    [ "$(status_of "$pid" /health/ready)" = 200 ] && { ready=$(now); break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.01
  done
  [ -n "$ready" ] || { podman logs "$CONTAINER" 2>&1 | tail -20 >&2; fail "the container never got ready"; }
  rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  local classified
  classified=$(in_netns "$pid" curl -s -H 'Content-Type: image/png' --data-binary @"$PICTURE" \
    http://127.0.0.1:8080/api/classify)
  echo "$classified" | grep -q '"label"' || fail "classification failed: $classified"
  local served
  served=$(in_netns "$pid" curl -s http://127.0.0.1:8080/v2 | sed -n 's/.*"version" *: *"\([^"]*\)".*/\1/p')
  [ "$served" = "$VERSION" ] || fail "GET /v2 says version \"$served\", the build is $VERSION"
  kill -TERM "$pid"
  code=$(podman wait "$CONTAINER")
  echo "$(ms "$t0" "$ready") $rss $code"
}

# The one plain-text line the JVM itself writes to stderr at start, the stated cost of the extractor's Vector API
# kernels (see the jvmFlags in pom.xml); Java 17 has no switch to silence it. Anything else that is not JSON fails.
JVM_INCUBATOR_WARNING='WARNING: Using incubator modules: jdk.incubator.vector'

check_once() {
  local logs version
  version=$(podman_ run --rm "${ULIMITS[@]}" "${CONSTRAINTS[@]}" "$IMAGE" --version 2>/dev/null)
  echo "image-smoke: --version says \"$version\" and GET /v2 \"$VERSION\" (the pom's version)"
  [ "$version" = "catvsnoncat $VERSION" ] || fail "--version says \"$version\", the build is $VERSION"
  logs=$(podman logs "$CONTAINER" 2>&1 | grep -vxF "$JVM_INCUBATOR_WARNING")
  if echo "$logs" | grep -v '^{' | grep -q .; then
    echo "$logs" | grep -v '^{' | head -5 >&2
    fail "log lines that are not JSON (above)"
  fi
  echo "image-smoke: every log line is JSON ($(echo "$logs" | wc -l) lines) but the JVM's own \"$JVM_INCUBATOR_WARNING\""
}

cleanup() {
  podman rm -f "$CONTAINER" >/dev/null 2>&1
  podman rmi -f "$IMAGE" >/dev/null 2>&1
}

main() {
  preflight
  trap cleanup EXIT
  mkdir -p "$WORK"
  probe
  if [ -z "${BASE_IMAGE:-}" ]; then
    build_base
    probe_constraints
  fi
  build_image
  local results=() line
  for r in $(seq 1 "$ROUNDS"); do
    line=$(round) || exit 1
    echo "image-smoke: round $r: ready $(echo "$line" | cut -d' ' -f1) ms, RSS $(($(echo "$line" | cut -d' ' -f2) / 1024)) MiB, exit code on SIGTERM $(echo "$line" | cut -d' ' -f3)"
    [ "$(echo "$line" | cut -d' ' -f3)" = 0 ] || { podman logs "$CONTAINER" 2>&1 | tail -5 >&2; fail "exit code on SIGTERM"; }
    results+=("$line")
    [ "$r" = "$ROUNDS" ] || podman rm "$CONTAINER" >/dev/null
  done
  check_once
  printf '%s\n' "${results[@]}" > "$WORK/rounds.txt"
  echo "image-smoke: $ROUNDS rounds, load $(cut -d' ' -f1-3 /proc/loadavg): start to ready median" \
    "$(cut -d' ' -f1 "$WORK/rounds.txt" | median) ms, RSS at ready median" \
    "$(($(cut -d' ' -f2 "$WORK/rounds.txt" | median) / 1024)) MiB, exit code on SIGTERM 0 every time"
}

main
