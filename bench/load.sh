#!/usr/bin/env bash
# load.sh -- load the demo server with wrk and print req/s, latency, errors and peak RSS per point.
#
# Method: a fresh database prefilled with KEYS keys; the demo jar started once, pinned to
# SERVER_CPU; per workload a WARMUP-second warm-up at 64 connections, then one DURATION-second
# wrk run (one thread, pinned to CLIENT_CPU) per connection count. Before each point the server's
# peak-RSS mark is reset (echo 5 > /proc/PID/clear_refs); after it VmHWM is read.
#
# Workloads: plain = GET /plaintext ("Hello, World!"); get = GET /stress-test/<random key>
# (get-or-create); post = POST /stress-test/<random key> with "hello world" (read, then update).
# Non-2xx answers (wrk status errors) are counted apart from socket errors; both are failures.
# CPU per request is the server process's user and system time during the point (all its threads:
# carrier, storage, JIT, GC) divided by the requests served; it shows where a difference in req/s
# comes from, since the server has one CPU.
#
# Environment (default):
#   WORKLOADS  plain get post     CONNS     1 64 256 1024
#   DURATION   10                 WARMUP    3                 KEYS  10000
#   SERVER_CPU 0                  CLIENT_CPU 1                PORT  18080
#   JVM_OPTS   -XX:+UseSerialGC -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED
#   JAVA_HOME  a JDK 21+ (else the newest one found)
#   OUT        target/bench/load-<timestamp>  (env.txt, points.tsv, table.md, wrk/, server.log)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

WORKLOADS="${WORKLOADS:-plain get post}"
CONNS="${CONNS:-1 64 256 1024}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-3}"
KEYS="${KEYS:-10000}"
PORT="${PORT:-18080}"
JVM_OPTS="${JVM_OPTS:-$DEFAULT_JVM_OPTS}"
OUT="${OUT:-$ROOT/target/bench/load-$(date +%Y%m%d-%H%M%S)}"

for w in $WORKLOADS; do
  case "$w" in plain | get | post) ;; *) die "unknown workload '$w' (plain, get, post)" ;; esac
done
need_tools taskset setsid curl
use_jdk
ensure_wrk
JAR="$(demo_jar)"
raise_nofile 65536
port_free "$PORT" || die "port $PORT is in use (set PORT)"

mkdir -p "$OUT/wrk" "$OUT/data"
POINTS="$OUT/points.tsv"
printf 'workload\tconns\trequests\tseconds\trps\tp50_us\tp99_us\tmax_us\terrors\tconnect\tread\twrite\tstatus\ttimeout\trss_kb\tuser_us\tsys_us\n' > "$POINTS"
{
  describe_machine
  echo "demo jar: $JAR"
  echo "workloads: $WORKLOADS; conns: $CONNS; duration: ${DURATION}s; warmup: ${WARMUP}s; keys: $KEYS"
  echo "server cpu: $SERVER_CPU; wrk cpu: $CLIENT_CPU; jvm opts: $JVM_OPTS; ulimit -n: $(ulimit -n)"
} | tee "$OUT/env.txt" >&2

trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

prefill "$OUT/data/db.sqlite" "$KEYS"
BASE="http://127.0.0.1:$PORT"
# shellcheck disable=SC2086 # JVM_OPTS is a list of words
start_server "$OUT/server.log" "$JAVA" $JVM_OPTS -jar "$JAR" --port "$PORT" --db "$OUT/data/db.sqlite"
wait_ready "$BASE/" || die "the demo did not answer within 60 s (see $OUT/server.log)"
first="$(curl -s -m 5 "$BASE/stress-test/0")"
[ "$first" = "Found: 0, counter=0" ] || die "prefilled key 0 not found: GET /stress-test/0 answered '$first'"
log "demo pid $SPID on $BASE"
TICK="$(getconf CLK_TCK)"

# point WORKLOAD CONNS SECONDS -> wrk output of one run of that workload
point() {
  case "$1" in
    plain) run_wrk "$2" "$3" "$BASE/plaintext" ;;
    get) run_wrk "$2" "$3" "$BASE" GET /stress-test/ "$KEYS" ;;
    post) run_wrk "$2" "$3" "$BASE" POST /stress-test/ "$KEYS" ;;
  esac
}

for w in $WORKLOADS; do
  point "$w" 64 "$WARMUP" > "$OUT/wrk/$w-warmup.txt"
  for c in $CONNS; do
    kill -0 "$SPID" 2>/dev/null || die "the demo died (see $OUT/server.log)"
    reset_peak_rss
    read -r user0 sys0 <<< "$(cpu_ticks)"
    out="$(point "$w" "$c" "$DURATION")"
    read -r user1 sys1 <<< "$(cpu_ticks)"
    echo "$out" > "$OUT/wrk/$w-c$c.txt"
    rss="$(peak_rss_kb)"
    n="$(result_field requests "$out")"
    if [ -z "$n" ]; then
      log "$w c=$c: no RESULT line from wrk (see $OUT/wrk/$w-c$c.txt)"
      continue
    fi
    us="$(result_field duration_us "$out")"
    row=("$w" "$c" "$n" "$(awk -v d="$us" 'BEGIN { printf "%.2f", d / 1e6 }')"
      "$(awk -v n="$n" -v d="$us" 'BEGIN { printf "%.1f", (d > 0 ? n / (d / 1e6) : 0) }')")
    for f in p50_us p99_us max_us errors connect read write status timeout; do row+=("$(result_field "$f" "$out")"); done
    row+=("$rss")
    for t in "$((user1 - user0))" "$((sys1 - sys0))"; do
      row+=("$(awk -v t="$t" -v k="$TICK" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? t * 1e6 / k / n : 0) }')")
    done
    (IFS=$'\t'; echo "${row[*]}") >> "$POINTS"
    log "$w c=$c: ${row[4]} req/s p50=${row[5]}us p99=${row[6]}us errors=${row[8]} (non-2xx ${row[12]}) peak rss=${rss}kB" \
      "cpu/request user=${row[15]}us sys=${row[16]}us"
  done
done
stop_server

# Socket errors (connect, read, write, timeout) apart from non-2xx answers (both are failures).
awk -F'\t' 'NR == 1 {
    print "| workload | conns | req/s | p50 ms | p99 ms | socket errors | non-2xx | peak RSS MiB | CPU us/request (user + sys) |"
    print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"; next }
  { printf "| %s | %s | %.0f | %.2f | %.2f | %d | %d | %.0f | %.2f + %.2f |\n", $1, $2, $5, $6 / 1000, $7 / 1000, $9 - $13, $13, $15 / 1024, $16, $17 }' \
  "$POINTS" | tee "$OUT/table.md"
echo "results: $OUT (points.tsv, table.md, env.txt, wrk/, server.log)"
