#!/usr/bin/env bash
# probe.sh [JAR]: how long a new connection waits for its first response while CONNS kept-alive
# connections load the server with plain requests.
#
# The demo (this repository's jar, or JAR) runs pinned to SERVER_CPU; wrk (one thread, CLIENT_CPU)
# holds CONNS connections busy with GET PLAIN_PATH for the whole run; after a WARMUP-second start,
# PROBES probes, one every GAP seconds, each open a new connection with curl
# and time its whole exchange (curl is not pinned: both CPUs are busy). Printed: each probe's time, then p50, p99 and max, and wrk's req/s.
#
# Environment (default): CONNS 1024, PROBES 30, GAP 0.3, WARMUP 5, PLAIN_PATH /plaintext,
# SERVER_CPU 0, CLIENT_CPU 1, PORT 18190, JVM_OPTS as load.sh, OUT target/bench/probe-<timestamp>.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

CONNS="${CONNS:-1024}"
PROBES="${PROBES:-30}"
GAP="${GAP:-0.3}"
WARMUP="${WARMUP:-5}"
PLAIN_PATH="${PLAIN_PATH:-/plaintext}"
PORT="${PORT:-18190}"
JVM_OPTS="${JVM_OPTS:-$DEFAULT_JVM_OPTS}"
OUT="${OUT:-$ROOT/target/bench/probe-$(date +%Y%m%d-%H%M%S)}"

need_tools taskset setsid curl
use_jdk
ensure_wrk
JAR="${1:-$(demo_jar)}"
raise_nofile 65536
mkdir -p "$OUT"
trap stop_server EXIT

BASE="http://127.0.0.1:$PORT"
# shellcheck disable=SC2086 # JVM_OPTS is a list of words
start_server "$OUT/server.log" "$JAVA" $JVM_OPTS -jar "$JAR" --port "$PORT" --db :memory:
wait_ready "$BASE$PLAIN_PATH" || die "the demo did not answer on $BASE$PLAIN_PATH (see $OUT/server.log)"
secs="$(awk -v w="$WARMUP" -v n="$PROBES" -v g="$GAP" 'BEGIN { printf "%d", w + n * (g + 0.1) + 5 }')"
run_wrk "$CONNS" "$secs" "$BASE$PLAIN_PATH" > "$OUT/wrk.txt" &
WRK=$!
sleep "$WARMUP"
for i in $(seq 1 "$PROBES"); do
  t="$(curl -s -o /dev/null -m 10 -H 'Connection: close' -w '%{http_code} %{time_total}' \
    "$BASE$PLAIN_PATH" || echo "000 10")"
  echo "probe $i: $t" | tee -a "$OUT/probes.txt"
  sleep "$GAP"
done
wait "$WRK" || true
echo "$(describe_machine)" > "$OUT/env.txt"
bad="$(awk '$3 != 200' "$OUT/probes.txt" | wc -l)"
awk '{ print $4 * 1000 }' "$OUT/probes.txt" | sort -n | awk -v bad="$bad" '{ v[NR] = $1 } END {
    p99 = int(NR * 0.99); if (p99 < NR * 0.99) p99++
    printf "probes: %d, not 200: %d; first response on a new connection: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      NR, bad, v[int((NR + 1) / 2)], v[p99], v[NR] }' | tee "$OUT/summary.txt"
echo "load: $(result_field requests "$(cat "$OUT/wrk.txt")") requests, errors $(result_field errors "$(cat "$OUT/wrk.txt")")" | tee -a "$OUT/summary.txt"
