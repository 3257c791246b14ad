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
# Right after ready each start of a jar classifies FIRST_PICTURE (a real photo of the data set when it is there, else
# the bundled warm-up JPEG) three times and prints each answer's time: readiness waits for a warm model, so these
# should be as fast as later ones. START_THREADS=1 also prints the CPU of each thread (grouped by name) at ready.
set -uo pipefail
cd "$(dirname "$0")/.."

JAR=${1:?usage: tools/start-to-ready.sh JAR [ROUNDS] [OTHER_JAR]}
ROUNDS=${2:-5}
OTHER=${3:-}
PORT=${PORT:-18091}
DATA=${DATA:-../shared/datasets/catvnoncat}
FIRST_PICTURE=${FIRST_PICTURE:-$DATA/images/test/cat/test-000.png}
[ -f "$FIRST_PICTURE" ] || FIRST_PICTURE=src/main/resources/warmup/picture-640.jpg
# The jib jvmFlags of pom.xml, in order.
mapfile -t FLAGS < <(sed -n 's:.*<jvmFlag>\(.*\)</jvmFlag>.*:\1:p' pom.xml)
TICKS=$(getconf CLK_TCK)
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

# CPU seconds of each of the process's threads, summed by name (digits dropped: the event loops count as one; the
# JIT's C1 and C2 threads apart).
thread_cpu() {
  for stat in /proc/"$1"/task/*/stat; do
    local line name
    line=$(cat "$stat" 2>/dev/null) || continue
    name=${line#*(}
    name=${name%)*}
    # Fields after the name: state is the 3rd field of the whole line, utime and stime the 14th and 15th.
    [[ $name == C[12]\ * ]] || name=${name//[0-9]/}
    awk -v name="$name" -v t="$TICKS" '{print ($12 + $13) / t "\t" name}' <<< "${line##*) }"
  done | awk -F'\t' '{cpu[$2] += $1} END {for (n in cpu) if (cpu[n] >= 0.01) printf "%.2f %s\n", cpu[n], n}' \
    | sort -rn | awk '{printf "%s%s", sep, $0; sep = ", "} END {print ""}'
}

# Milliseconds of one classification of FIRST_PICTURE.
classify_ms() {
  curl -s -o /dev/null -w '%{time_total}' -H "Content-Type: $(file -b --mime-type "$FIRST_PICTURE")" \
    --data-binary @"$FIRST_PICTURE" "http://127.0.0.1:$PORT/api/classify" | awk '{printf "%.0f", $1 * 1000}'
}

# One start of `java <flags> ARGS...`: sets MS, CPU, RSS and, when the first argument is "classify", FIRST (the
# three classifications' times; empty for "-"); returns once the process has exited again, so starts never overlap.
start() {
  local classify=$1 begin end pid
  shift
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
  [ -z "${START_THREADS:-}" ] || echo "  CPU by thread at ready (s): $(thread_cpu "$pid")"
  FIRST=""
  [ "$classify" != classify ] || FIRST="$(classify_ms) $(classify_ms) $(classify_ms)"
  kill "$pid"
  wait "$pid" 2>/dev/null
}

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "flags: -XX:MaxRAM=384m ${FLAGS[*]}; LOG_FORMAT=json; --config k8s/base/config.json; first picture $FIRST_PICTURE"
FLOOR_LABEL="bare Vert.x server"
declare -A TIMES CPUS FIRSTS
record() {
  TIMES[$1]+="$MS "
  CPUS[$1]+="$CPU "
  FIRSTS[$1]+="${FIRST%% *} "
  local classified=""
  [ -z "$FIRST" ] || classified="; then classified in $FIRST ms"
  echo "round $round: $1 ready in $MS ms, $CPU s CPU, RSS $RSS MiB, load $(cut -d' ' -f1-3 /proc/loadavg)$classified"
}
for round in $(seq "$ROUNDS"); do
  for jar in "$JAR" ${OTHER:+"$OTHER"}; do
    start classify -cp "$jar" com.catvsnoncat.cli.Main serve --port "$PORT" --config k8s/base/config.json
    record "$jar"
  done
  if [ -n "${FLOOR:-}" ]; then
    # No logging set up (SLF4J's no-op provider): a floor, not a second service.
    start - -Dslf4j.provider=org.slf4j.helpers.NOP_FallbackServiceProvider -cp "$JAR:target/test-classes" \
      com.catvsnoncat.bench.VertxStartFloor "$PORT"
    record "$FLOOR_LABEL"
  fi
done
for jar in "$JAR" ${OTHER:+"$OTHER"} ${FLOOR:+"$FLOOR_LABEL"}; do
  echo "median start to ready of $jar: $(tr ' ' '\n' <<< "${TIMES[$jar]}" | grep . | median) ms," \
    "$(tr ' ' '\n' <<< "${CPUS[$jar]}" | grep . | median) s of CPU, over $ROUNDS starts$([ -z "${FIRSTS[$jar]// /}" ] \
      || echo "; first classification after ready $(tr ' ' '\n' <<< "${FIRSTS[$jar]}" | grep . | median) ms")"
done
