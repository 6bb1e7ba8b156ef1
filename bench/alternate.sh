#!/usr/bin/env bash
# alternate.sh NAME=SERVER ... -- servers side by side on one CPU, loaded in turn, for A/B
# comparisons that this shared machine's swings would drown in separate runs.
#
# Every server runs at once, pinned to SERVER_CPU, each on its own port and fresh database; wrk
# (one thread, pinned to CLIENT_CPU) loads one server at a time for DURATION seconds, the others
# idle meanwhile. After a WARMUP-second warm-up of each, ROUNDS rounds load every server once, in
# an order that rotates from round to round. Per load: req/s, p50, p99 and the server's CPU time
# per request (user + system, /proc/PID/stat). Printed: each round, then per server the median
# req/s and CPU per request, and the median of the per-round ratios against the first server
# (a ratio of loads seconds apart, which a slow minute on this machine moves for both alike).
#
# SERVER is one of:
#   demo            this repository's demo jar (built if stale)
#   PATH.jar        another build of the demo, e.g. the jar of the commit before a change
#   peer:NAME       a peer from the harness (jdk, jetty, helidon, microhttp, undertow; pool mode);
#                   needs PEERS_JAR, the harness's built target/peers.jar (peers.sh leaves one in
#                   its SCRATCH folder)
#
# Environment (default):
#   WORKLOAD   plain (GET PLAIN_PATH, /plaintext for a peer), get or post (as load.sh)
#   PLAIN_PATH /plaintext (give / for a jar built before the demo had /plaintext)
#   OPTS_<NAME> more JVM options for server NAME alone (a - in NAME is _ here), e.g.
#              OPTS_p1=-Djdk.pollerMode=1 bench/alternate.sh p2=demo p1=demo
#   CONNS      64                 DURATION  3          ROUNDS  10        WARMUP  8
#   KEYS       10000              SERVER_CPU 0         CLIENT_CPU 1      PORT    18090 (and up)
#   JVM_OPTS   -XX:+UseSerialGC -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED
#   JAVA_HOME  a JDK 21+ (else the newest one found)
#   OUT        target/bench/alternate-<timestamp> (rounds.tsv, summary.txt, logs)
#
# Example: PEERS_JAR=/tmp/peersrun/target/peers.jar CONNS=256 bench/alternate.sh new=demo old=/tmp/old.jar mh=peer:microhttp
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

WORKLOAD="${WORKLOAD:-plain}"
PLAIN_PATH="${PLAIN_PATH:-/plaintext}"
CONNS="${CONNS:-64}"
DURATION="${DURATION:-3}"
ROUNDS="${ROUNDS:-10}"
WARMUP="${WARMUP:-8}"
KEYS="${KEYS:-10000}"
PORT="${PORT:-18090}"
JVM_OPTS="${JVM_OPTS:-$DEFAULT_JVM_OPTS}"
OUT="${OUT:-$ROOT/target/bench/alternate-$(date +%Y%m%d-%H%M%S)}"

case "$WORKLOAD" in plain | get | post) ;; *) die "unknown WORKLOAD '$WORKLOAD' (plain, get, post)" ;; esac
[ $# -ge 2 ] || die "give two or more NAME=SERVER arguments (see the header of this script)"

need_tools taskset setsid curl
use_jdk
ensure_wrk
JAR="$(demo_jar)"
raise_nofile 65536
mkdir -p "$OUT"

names=() pids=() ports=() plains=() prefixes=()
stop_all() {
  local p
  for p in "${pids[@]}"; do SPID="$p"; stop_server; done
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT TERM

port="$PORT"
declare -A seen=()
for arg in "$@"; do
  name="${arg%%=*}" server="${arg#*=}"
  [[ "$arg" == *=* && "$name" =~ ^[A-Za-z0-9_-]+$ ]] || die "'$arg' is not NAME=SERVER (NAME of letters, digits, - and _)"
  [ -z "${seen[$name]:-}" ] || die "$name: named twice (each server needs a name, and a folder, of its own)"
  seen[$name]=1
  [ ! -e "$OUT/$name" ] || die "$name: $OUT/$name exists already (give a new OUT: each server starts on a fresh database)"
  port_free "$port" || die "port $port is in use"
  dir="$OUT/$name"; mkdir -p "$dir"
  extra="OPTS_${name//-/_}"
  # shellcheck disable=SC2206 # JVM_OPTS and OPTS_<name> are lists of options
  java_cmd=("$JAVA" $JVM_OPTS ${!extra:-})
  case "$server" in
    peer:*)
      [ -f "${PEERS_JAR:-}" ] || die "$name: set PEERS_JAR to the harness's built target/peers.jar"
      "$JAVA" -jar "$PEERS_JAR" prefill --db "$dir/db.sqlite" --table items --keys "$KEYS" >/dev/null 2>&1 \
        || die "$name: prefill with $PEERS_JAR failed"
      start_server "$dir/server.log" "${java_cmd[@]}" -jar "$PEERS_JAR" serve "${server#peer:}" --port "$port" \
        --db "$dir/db.sqlite" --dbmode pool --pool-size 4
      plains+=(/plaintext) prefixes+=(/kv/) ;;
    demo | *.jar)
      jar="$JAR"; [ "$server" = demo ] || jar="$(realpath "$server")"
      [ -f "$jar" ] || die "$name: no jar at $server"
      prefill "$dir/db.sqlite" "$KEYS"
      start_server "$dir/server.log" "${java_cmd[@]}" -jar "$jar" --port "$port" --db "$dir/db.sqlite"
      plains+=("$PLAIN_PATH") prefixes+=(/stress-test/) ;;
    *) die "$name: unknown server '$server' (demo, PATH.jar or peer:NAME)" ;;
  esac
  names+=("$name") pids+=("$SPID") ports+=("$port")
  wait_ready "http://127.0.0.1:$port${plains[-1]}" || die "$name did not answer on port $port (see $dir/server.log)"
  port=$((port + 1))
done

# load I SECONDS: one wrk run against server I; prints "req/s p50_us p99_us cpu_us_per_request".
load() {
  local i="$1" secs="$2" url="http://127.0.0.1:${ports[$1]}" out before after n dus
  SPID="${pids[$i]}"
  before="$(cpu_ticks)"
  if [ "$WORKLOAD" = plain ]; then
    out="$(run_wrk "$CONNS" "$secs" "$url${plains[$i]}")"
  else
    out="$(run_wrk "$CONNS" "$secs" "$url/" "${WORKLOAD^^}" "${prefixes[$i]}" "$KEYS")"
  fi
  after="$(cpu_ticks)"
  n="$(result_field requests "$out")"; dus="$(result_field duration_us "$out")"
  [ -n "$n" ] && [ "$n" -gt 0 ] || die "${names[$i]}: wrk gave no result: $out"
  [ "$(result_field errors "$out")" = 0 ] || log "${names[$i]}: $(result_field errors "$out") errors in one load"
  awk -v n="$n" -v d="$dus" -v p50="$(result_field p50_us "$out")" -v p99="$(result_field p99_us "$out")" \
      -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(b, x, " "); split(a, y, " ")
    printf "%.0f %d %d %.2f\n", n / (d / 1e6), p50, p99, (y[1] + y[2] - x[1] - x[2]) / hz * 1e6 / n }'
}

{
  describe_machine
  echo "workload: $WORKLOAD; connections: $CONNS; $ROUNDS rounds of ${DURATION}s per server after ${WARMUP}s warm-up"
  for i in "${!names[@]}"; do echo "server $((i + 1)): ${names[$i]} (pid ${pids[$i]}, port ${ports[$i]})"; done
  echo "arguments: $*"
} | tee "$OUT/env.txt" >&2

for i in "${!names[@]}"; do load "$i" "$WARMUP" >/dev/null; done

printf 'round\tserver\trps\tp50_us\tp99_us\tcpu_us_per_req\n' > "$OUT/rounds.tsv"
count="${#names[@]}"
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for k in $(seq 0 $((count - 1))); do
    i=$(( (k + r - 1) % count ))
    res="$(load "$i" "$DURATION")"
    read -r rps p50 p99 cpu <<< "$res"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "${names[$i]}" "$rps" "$p50" "$p99" "$cpu" >> "$OUT/rounds.tsv"
    line="$line ${names[$i]} $rps req/s (p50 $p50 us, $cpu us CPU/req);"
  done
  log "$line"
done

# Medians per server, and of each round's ratio to the first server.
awk -F'\t' -v first="${names[0]}" -v order="${names[*]}" '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR > 1 { rps[$2] = rps[$2] " " $3; cpu[$2] = cpu[$2] " " $6; at[$1, $2] = $3; if ($1 > rounds) rounds = $1 }
  END {
    n = split(order, names, " ")
    printf "%-12s %10s %14s %22s\n", "server", "req/s", "us CPU/req", "ratio to " first
    for (k = 1; k <= n; k++) {
      s = names[k]; ratios = ""
      for (r = 1; r <= rounds; r++) if (at[r, first] > 0) ratios = ratios " " at[r, s] / at[r, first]
      printf "%-12s %10.0f %14.2f %22.3f\n", s, median(rps[s]), median(cpu[s]), median(ratios)
    }
  }' "$OUT/rounds.tsv" | tee "$OUT/summary.txt"
