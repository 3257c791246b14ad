#!/usr/bin/env bash
# make bench-start: a serve start as the image makes it, timed from exec to the first 200 from /health/ready, as a
# plain process (no container runtime needed): the pom's jib jvmFlags, the pod's memory limit (-XX:MaxRAM=384m, so
# MaxRAMPercentage gives the same heap as in the pod), the image's LOG_FORMAT=json, k8s/base/config.json, no AppCDS.
#
#   tools/start-to-ready.sh JAR [ROUNDS] [OTHER_JAR]
#
# With OTHER_JAR the two jars start alternately, round by round, so both see the same machine load. Each start
# prints its time to ready, the CPU the process used until then, its RSS and the load average; then the medians per
# jar. START_CHRT=N (root only) runs each start under `chrt -f N`: on a machine shared with other builds its threads
# then run ahead of theirs, so a start of a few seconds is not stretched to ten by a load of 20 (a comparison of
# jars, not a quiet machine's figure: CPU time per start still grows with the load).
set -uo pipefail
cd "$(dirname "$0")/.."

JAR=${1:?usage: tools/start-to-ready.sh JAR [ROUNDS] [OTHER_JAR]}
ROUNDS=${2:-5}
OTHER=${3:-}
PORT=${PORT:-18091}
# The jib jvmFlags of pom.xml, in order.
mapfile -t FLAGS < <(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' pom.xml)
TICKS=$(getconf CLK_TCK)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

# One start of `java <flags> ARGS...`: sets MS, CPU and RSS; returns once the process has exited again, so starts
# never overlap.
start() {
  local begin end pid
  begin=$(date +%s%N)
  LOG_FORMAT=json ${START_CHRT:+chrt -f "$START_CHRT"} java -XX:MaxRAM=384m "${FLAGS[@]}" \
    -Dcatvsnoncat.http.host=127.0.0.1 "$@" > "$LOG" 2>&1 &
  pid=$!
  until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/health/ready")" = 200 ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the server exited before it was ready:" >&2
      tail -5 "$LOG" >&2
      exit 1
    fi
    sleep 0.01
  done
  end=$(date +%s%N)
  MS=$(((end - begin) / 1000000))
  CPU=$(awk -v t="$TICKS" '{printf "%.2f", ($14 + $15) / t}' "/proc/$pid/stat")
  RSS=$(awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$pid/status")
  kill "$pid"
  wait "$pid" 2>/dev/null
}

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "flags: -XX:MaxRAM=384m ${FLAGS[*]}; LOG_FORMAT=json; --config k8s/base/config.json"
FLOOR_LABEL="bare Vert.x server"
declare -A TIMES CPUS
record() {
  TIMES[$1]+="$MS "
  CPUS[$1]+="$CPU "
  echo "round $round: $1 ready in $MS ms, $CPU s CPU, RSS $RSS MiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
}
for round in $(seq "$ROUNDS"); do
  for jar in "$JAR" ${OTHER:+"$OTHER"}; do
    start -cp "$jar" com.catvsnoncat.cli.Main serve --port "$PORT" --config k8s/base/config.json
    record "$jar"
  done
  if [ -n "${FLOOR:-}" ]; then
    # No logging set up (SLF4J's no-op provider): a floor, not a second service.
    start -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -cp "$JAR:target/test-classes" \
      com.catvsnoncat.bench.VertxStartFloor "$PORT"
    record "$FLOOR_LABEL"
  fi
done
for jar in "$JAR" ${OTHER:+"$OTHER"} ${FLOOR:+"$FLOOR_LABEL"}; do
  echo "median start to ready of $jar: $(tr ' ' '\n' <<< "${TIMES[$jar]}" | grep . | median) ms," \
    "$(tr ' ' '\n' <<< "${CPUS[$jar]}" | grep . | median) s of CPU, over $ROUNDS starts"
done
