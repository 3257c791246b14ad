#!/usr/bin/env bash
# make bench-start: a serve start as the image makes it, timed from exec to the first 200 from /health/ready, as a
# plain process (no container runtime needed): the pom's jib jvmFlags, the pod's memory limit (-XX:MaxRAM=384m, so
# MaxRAMPercentage gives the same heap as in the pod), the image's LOG_FORMAT=json, k8s/base/config.json, no AppCDS.
#
#   tools/start-to-ready.sh JAR [ROUNDS] [OTHER_JAR]
#
# With OTHER_JAR the two jars start alternately, round by round, so both see the same machine load. Each start
# prints its time to ready, the CPU the process used until then and the load average; then the median per jar.
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

# One start: sets MS and CPU; returns once the process has exited again, so starts never overlap.
start() {
  local jar=$1 begin end pid
  begin=$(date +%s%N)
  LOG_FORMAT=json java -XX:MaxRAM=384m "${FLAGS[@]}" -Dcatvsnoncat.http.host=127.0.0.1 -cp "$jar" \
    com.catvsnoncat.cli.Main serve --port "$PORT" --config k8s/base/config.json > "$LOG" 2>&1 &
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
  kill "$pid"
  wait "$pid" 2>/dev/null
}

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "flags: -XX:MaxRAM=384m ${FLAGS[*]}; LOG_FORMAT=json; --config k8s/base/config.json"
declare -A TIMES
for round in $(seq "$ROUNDS"); do
  for jar in "$JAR" ${OTHER:+"$OTHER"}; do
    start "$jar"
    TIMES[$jar]+="$MS "
    echo "round $round: $jar ready in $MS ms, $CPU s CPU, load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
done
for jar in "$JAR" ${OTHER:+"$OTHER"}; do
  echo "median start to ready of $jar: $(tr ' ' '\n' <<< "${TIMES[$jar]}" | grep . | median) ms over $ROUNDS starts"
done
