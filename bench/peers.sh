#!/usr/bin/env bash
# peers.sh [PEERS_DIR] -- run the peer harness (run-all.sh) with the freetser demo as one more
# server, then print freetser's standing against the peers measured in the same run.
#
# The harness folder (argument, else PEERS_DIR, else ../shared/peers beside the repository) is
# copied to a scratch folder, because run-all.sh builds and writes under its own folder. The demo
# jar is built if stale and added as EXTERNAL='freetser|exec java JVM_OPTS -jar JAR --port $PORT
# --db db.sqlite|/|/stress-test/|items' (entries already in EXTERNAL are kept after it).
# Every other knob of run-all.sh passes through the environment unchanged: PEERS, WORKLOADS,
# CONNS, DURATION, WARMUP, ROUNDS, KEYS, SERVER_CPU, CLIENT_CPU, RAW, MAX_SECONDS, PORT, ...
#
# Environment of this script (default):
#   PEERS_DIR  ../shared/peers (relative to the repository root)
#   SCRATCH    a new mktemp -d folder; reusing one keeps the harness's built peers.jar
#   OUT        SCRATCH/target/results/<timestamp> (run-all.sh's result folder)
#   JVM_OPTS   as run-all.sh: -XX:+UseSerialGC -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED
#   JAVA_HOME  a JDK 21+ (else the newest one found)
#
# Tiny check run: PEERS="microhttp:pool" WORKLOADS=plain CONNS=64 DURATION=3 WARMUP=1 ROUNDS=1 RAW=0 bench/peers.sh
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

PEERS_DIR="${1:-${PEERS_DIR:-$ROOT/../shared/peers}}"
[ -x "$PEERS_DIR/run-all.sh" ] || die "no run-all.sh in '$PEERS_DIR' (give the harness folder as argument or PEERS_DIR)"
PEERS_DIR="$(cd "$PEERS_DIR" && pwd)"
SCRATCH="${SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/freetser-peers.XXXXXX")}"
mkdir -p "$SCRATCH"
SCRATCH="$(cd "$SCRATCH" && pwd)"
if [ -n "${OUT:-}" ]; then OUT="$(realpath -m "$OUT")"; else OUT="$SCRATCH/target/results/$(date +%Y%m%d-%H%M%S)"; fi
JVM_OPTS="${JVM_OPTS:-$DEFAULT_JVM_OPTS}"
export OUT JVM_OPTS

use_jdk
ensure_wrk
JAR="$(demo_jar)"

# -p keeps the sources' times, so a reused SCRATCH with a newer target/peers.jar skips the build.
cp -R -p "$PEERS_DIR"/. "$SCRATCH"/
chmod -R u+w "$SCRATCH"
mkdir -p "$SCRATCH/target" # run-all.sh writes target/build.err before it creates any folder
log "harness copied to $SCRATCH"

# shellcheck disable=SC2016 # $PORT is for run-all.sh to expand when it starts the server
printf -v server_cmd 'exec %q %s -jar %q --port $PORT --db db.sqlite' "$JAVA" "$JVM_OPTS" "$JAR"
export EXTERNAL="freetser|$server_cmd|/plaintext|/stress-test/|items${EXTERNAL:+;$EXTERNAL}"
log "EXTERNAL=$EXTERNAL"

status=0
(cd "$SCRATCH" && ./run-all.sh) || status=$?
POINTS="$OUT/points.tsv"
[ -f "$POINTS" ] || die "run-all.sh exited with $status and wrote no $POINTS"
[ "$status" = 0 ] || log "run-all.sh exited with $status: the table below covers the points it wrote"

echo
echo "## freetser against the best peer of this run (mean of rounds)"
echo
# points.tsv: round server workload conns requests seconds rps p50_us p99_us errors rss_kb note
awk -F'\t' -v me=freetser '
  NR == 1 || $12 != "" { next }
  {
    k = $2 SUBSEP $3 SUBSEP $4
    n[k]++; rps[k] += $7; p50[k] += $8; p99[k] += $9; rss[k] += $11; server[$2] = 1
    byround[$1 SUBSEP k] = $7; if ($1 + 0 > rounds) rounds = $1 + 0
    if (!(($3 SUBSEP $4) in seen)) { seen[$3 SUBSEP $4] = 1; order[++points] = $3 SUBSEP $4 }
  }
  function mean(a, key) { return a[key] / n[key] }
  END {
    print "| workload | conns | freetser req/s | best peer | its req/s | freetser / best | by round | freetser p99/p50 | freetser RSS MiB | microhttp RSS MiB | RSS freetser / microhttp |"
    print "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (i = 1; i <= points; i++) {
      split(order[i], wc, SUBSEP)
      f = me SUBSEP order[i]
      if (!(f in n)) continue
      best = "-"; top = 0; micro = ""
      for (s in server) {
        k = s SUBSEP order[i]
        if (s == me || !(k in n)) continue
        if (mean(rps, k) > top) { top = mean(rps, k); best = s }
        if (s ~ /^microhttp/) micro = k
      }
      mine = mean(rps, f)
      # Each round against the best peer in that same round: a round the machine ran slow for
      # one server shows here, where the mean hides it.
      each = ""
      for (r = 1; r <= rounds; r++) {
        mk = r SUBSEP f; pk = r SUBSEP best SUBSEP order[i]
        each = each (r > 1 ? " / " : "") ((mk in byround) && byround[pk] > 0 ? sprintf("%.2f", byround[mk] / byround[pk]) : "-")
      }
      printf "| %s | %s | %.0f | %s | %.0f | %s | %s | %s | %.0f | %s | %s |\n", wc[1], wc[2], mine, best, top,
        (top > 0 ? sprintf("%.2f", mine / top) : "-"), each,
        (mean(p50, f) > 0 ? sprintf("%.1f", mean(p99, f) / mean(p50, f)) : "-"),
        mean(rss, f) / 1024,
        (micro != "" ? sprintf("%.0f", mean(rss, micro) / 1024) : "-"),
        (micro != "" && mean(rss, micro) > 0 ? sprintf("%.2f", mean(rss, f) / mean(rss, micro)) : "-")
    }
  }' "$POINTS" | tee "$OUT/freetser-ratios.md"
echo
echo "Note: for plain, every server answers /plaintext (\"Hello, World!\")."
echo "results: $OUT (points.tsv, table.md, freetser-ratios.md, env.txt, wrk/, logs/); harness copy: $SCRATCH"
exit "$status"
