#!/usr/bin/env bash
# scale.sh -- hold CONNS concurrent keep-alive connections against the demo (GET /) for DURATION
# seconds and print socket errors, latency, req/s, the server's peak RSS and how many connections
# it really held: sampled each second, the most established TCP sockets on its port (the kernel's
# view, counting connections still in the accept queue) and the most socket descriptors the
# server process had open (accepted connections plus its listening socket).
#
# Limits on one machine, checked and printed before the run:
# - open files: the server needs a descriptor per connection and wrk one per connection; the
#   script raises `ulimit -n` up to the hard limit and, if one wrk cannot hold CONNS sockets,
#   splits them over several wrk processes (latencies are then the worst of the processes);
# - ephemeral ports: all connections come from 127.0.0.1 to one port, so at most
#   /proc/sys/net/ipv4/ip_local_port_range of them can exist at once;
# - the server's own connection cap: passed as --max-connections when the demo has that flag.
#
# Environment (default):
#   CONNS      20000          DURATION  30        PORT  18090
#   SERVER_CPU 0              CLIENT_CPU 1
#   JVM_OPTS   -XX:+UseSerialGC -Xms64m -Xmx256m --enable-native-access=ALL-UNNAMED
#   JAVA_HOME  a JDK 21+ (else the newest one found)
#   OUT        target/bench/scale-<timestamp>  (env.txt, scale.tsv, wrk-<n>.txt, server.log)
# Quick check: CONNS=2000 DURATION=5 bench/scale.sh
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

CONNS="${CONNS:-20000}"
DURATION="${DURATION:-30}"
PORT="${PORT:-18090}"
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xms64m -Xmx256m --enable-native-access=ALL-UNNAMED}"
OUT="${OUT:-$ROOT/target/bench/scale-$(date +%Y%m%d-%H%M%S)}"

need_tools taskset setsid curl ss
use_jdk
ensure_wrk
JAR="$(demo_jar)"
mkdir -p "$OUT/data"

# ---- limits --------------------------------------------------------------------------------
raise_nofile $((CONNS + 1024))
NOFILE="$(ulimit -n)"
read -r PORT_LO PORT_HI < /proc/sys/net/ipv4/ip_local_port_range
PORTS=$((PORT_HI - PORT_LO + 1))
PER_WRK=$((NOFILE - 32))  # wrk's own descriptors: stdio, epoll, the script
PROCS=$(((CONNS + PER_WRK - 1) / PER_WRK))
SERVER_ARGS=(--port "$PORT" --db "$OUT/data/db.sqlite")
WARNINGS=()
if "$JAVA" -jar "$JAR" --help 2>/dev/null | grep -q -- '--max-connections'; then
  SERVER_ARGS+=(--max-connections "$CONNS")
else
  WARNINGS+=("the demo has no --max-connections flag: the server's default connection cap applies")
fi
(( PORTS >= CONNS )) || WARNINGS+=("ephemeral ports $PORT_LO-$PORT_HI: at most $PORTS connections from 127.0.0.1 to one port")
(( NOFILE >= CONNS + 128 )) || WARNINGS+=("ulimit -n is $NOFILE (hard limit $(ulimit -Hn)): the server can hold about $((NOFILE - 128)) sockets, fewer than $CONNS")
(( PROCS == 1 )) || WARNINGS+=("one wrk holds at most $PER_WRK sockets: $PROCS wrk processes share the $CONNS connections")

{
  describe_machine
  echo "demo jar: $JAR; args: ${SERVER_ARGS[*]}"
  echo "conns: $CONNS in $PROCS wrk process(es); duration: ${DURATION}s; server cpu: $SERVER_CPU; wrk cpu: $CLIENT_CPU"
  echo "jvm opts: $JVM_OPTS; ulimit -n: $NOFILE (hard $(ulimit -Hn)); ephemeral ports: $PORT_LO-$PORT_HI ($PORTS)"
  echo "somaxconn: $(cat /proc/sys/net/core/somaxconn); tcp_max_syn_backlog: $(cat /proc/sys/net/ipv4/tcp_max_syn_backlog)"
  for w in "${WARNINGS[@]}"; do echo "WARNING: $w"; done
} | tee "$OUT/env.txt" >&2

# ---- run -----------------------------------------------------------------------------------
WRK_PIDS=()
cleanup() {
  local p
  for p in "${WRK_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  stop_server
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

port_free "$PORT" || die "port $PORT is in use (set PORT)"
# shellcheck disable=SC2086 # JVM_OPTS is a list of words
start_server "$OUT/server.log" "$JAVA" $JVM_OPTS -jar "$JAR" "${SERVER_ARGS[@]}"
wait_ready "http://127.0.0.1:$PORT/plaintext" || die "the demo did not answer within 60 s (see $OUT/server.log)"
log "demo pid $SPID; $CONNS connections for ${DURATION}s"

reset_peak_rss
for i in $(seq 1 "$PROCS"); do
  share=$((CONNS / PROCS + (i <= CONNS % PROCS ? 1 : 0)))
  run_wrk "$share" "$DURATION" "http://127.0.0.1:$PORT/plaintext" > "$OUT/wrk-$i.txt" &
  WRK_PIDS+=($!)
done
peak_open=0
peak_sockets=0
for _ in $(seq 1 $((DURATION + 40))); do
  # Descriptors come and go while we look: a failing find or ss must not end the run (pipefail).
  open="$(ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l || true)"
  sockets="$(find "/proc/$SPID/fd" -lname 'socket:*' 2>/dev/null | wc -l || true)"
  (( open > peak_open )) && peak_open=$open
  (( sockets > peak_sockets )) && peak_sockets=$sockets
  running=0
  for p in "${WRK_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && running=1; done
  (( running )) || break
  sleep 1
done
for p in "${WRK_PIDS[@]}"; do wait "$p" || true; done
WRK_PIDS=()
rss="$(peak_rss_kb)"
kill -0 "$SPID" 2>/dev/null || log "the demo died during the run (see $OUT/server.log)"
stop_server

# ---- report: sums over the wrk processes, worst latency of them ----------------------------
printf 'conns\twrk_procs\tpeak_established\tpeak_server_sockets\trps\tp50_us\tp99_us\tconnect\tread\twrite\ttimeout\tnon_2xx\trss_kb\n' > "$OUT/scale.tsv"
for i in $(seq 1 "$PROCS"); do
  out="$(cat "$OUT/wrk-$i.txt")"
  [ -n "$(result_field requests "$out")" ] || die "wrk $i printed no RESULT line (see $OUT/wrk-$i.txt)"
  line=""
  for f in requests duration_us p50_us p99_us connect read write timeout status; do line+="$(result_field "$f" "$out") "; done
  echo "$line"
done | awk -v conns="$CONNS" -v procs="$PROCS" -v open="$peak_open" -v sockets="$peak_sockets" -v rss="$rss" '
  { n += $1; if ($2 > us) us = $2; if ($3 > p50) p50 = $3; if ($4 > p99) p99 = $4
    connect += $5; read += $6; write += $7; timeout += $8; status += $9 }
  END {
    printf "%d\t%d\t%d\t%d\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", conns, procs, open, sockets, (us > 0 ? n / (us / 1e6) : 0),
      p50, p99, connect, read, write, timeout, status, rss
  }' >> "$OUT/scale.tsv"

awk -F'\t' 'NR == 2 {
  print "| conns | wrk procs | established | server sockets | req/s | p50 ms | p99 ms | connect err | read err | write err | timeouts | non-2xx | peak RSS MiB |"
  print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf "| %s | %s | %s | %s | %.0f | %.2f | %.2f | %s | %s | %s | %s | %s | %.0f |\n", $1, $2, $3, $4, $5, $6 / 1000, $7 / 1000, $8, $9, $10, $11, $12, $13 / 1024
}' "$OUT/scale.tsv"
for w in "${WARNINGS[@]}"; do echo "WARNING: $w"; done
failures="$(grep -c 'accept failed' "$OUT/server.log" || true)"
(( failures == 0 )) || echo "WARNING: the server log has $failures 'accept failed' lines (see $OUT/server.log)"
echo "results: $OUT (scale.tsv, env.txt, wrk-*.txt, server.log)"
