#!/usr/bin/env bash
# pg.sh -- the demo on PostgreSQL against a baseline written the usual way (BaselineServer: the
# same routes, one transaction per request over a HikariCP pool), side by side on one throwaway
# PostgreSQL, per durability, workload, connection count and number of instances.
#
# Method: scripts/postgres.sh starts a cluster (fsync on, so that FULL means a flush to disk) and
# the script fills "items" with keys 0..KEYS-1 (value item-<key>, counter 0) in the engine's table
# layout. Per durability (normal, full) two demo instances (java -jar freetser-demo.jar --db URL
# --durability D) and two baseline instances (--durability D --pool POOL) start, each on its own
# port, all on the one database; after a WARMUP-second load of each kind (both instances, 64
# connections, each workload), ROUNDS rounds load every cell once per server kind, the kind that
# goes first alternating from cell to cell and round to round. A cell is workload (get: GET
# /stress-test/<key>, get-or-create; post: POST, read then update) x connections x instances: with
# 1 instance one wrk (one thread) loads the first instance; with 2, two wrk processes run at once,
# each with half the connections against its own instance, and their requests are summed.
#
# Nothing is pinned: PostgreSQL's backends, the servers and wrk share this machine's CPUs as the
# kernel sees fit (pinning the server and wrk apart would leave PostgreSQL to fight one of them).
# SERVER_CPU and CLIENT_CPU (taskset lists) still pin when set.
#
# Per load: req/s; p50 and p99 (with two wrk processes, the larger of the two); non-2xx answers and
# socket errors; CPU per request of the loaded server processes and of PostgreSQL (the postmaster
# and its children, /proc/PID/stat user + system, exited children included); and how busy the
# machine's CPUs were (/proc/stat), by every process and by those servers and PostgreSQL alone (the
# rest is wrk and whatever else runs on this shared machine); PostgreSQL's commits, rollbacks and
# WAL flushes per request (pg_stat_database, pg_stat_wal: what group commit saves, and how often
# SERIALIZABLE batches of two demo instances conflicted); and how busy the demo's
# storage threads were (% of one CPU). The table shows per cell the medians over the rounds and the
# median of the per-round ratios freetser / baseline (min and max beside it).
#
# Environment (default):
#   DURABILITIES normal full     WORKLOADS get post     CONNS 64 256     INSTANCES 1 2
#   DURATION   10                WARMUP    5             ROUNDS 3         KEYS  10000
#   POOL       10 (the baseline's HikariCP pool per instance)              PORT  18300 (to +3)
#   MAX_SECONDS 1800 (no load starts after this; the table shows what ran)
#   DEMO_DB    pg (the demo on the PostgreSQL cluster); sqlite runs it on SQLite files instead,
#              to check this script's plumbing without the PostgreSQL engine
#   JVM_OPTS   -XX:+UseSerialGC -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED (both kinds)
#   JAVA_HOME  a JDK 21+ (else the newest one found)
#   OUT        target/bench/pg-<timestamp> (env.txt, loads.tsv, table.md, wrk/, logs/)
#
# A default run takes about 20 minutes. Quick check:
#   DURABILITIES=normal WORKLOADS=post CONNS=64 DURATION=2 WARMUP=1 ROUNDS=1 bench/pg.sh
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ALL_CPUS="0-$(($(nproc) - 1))"
SERVER_CPU="${SERVER_CPU:-$ALL_CPUS}"
CLIENT_CPU="${CLIENT_CPU:-$ALL_CPUS}"
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$BENCH/lib.sh"

DURABILITIES="${DURABILITIES:-normal full}"
WORKLOADS="${WORKLOADS:-get post}"
CONNS="${CONNS:-64 256}"
INSTANCES="${INSTANCES:-1 2}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
ROUNDS="${ROUNDS:-3}"
KEYS="${KEYS:-10000}"
POOL="${POOL:-10}"
PORT="${PORT:-18300}"
MAX_SECONDS="${MAX_SECONDS:-1800}"
DEMO_DB="${DEMO_DB:-pg}"
JVM_OPTS="${JVM_OPTS:-$DEFAULT_JVM_OPTS}"
OUT="${OUT:-$ROOT/target/bench/pg-$(date +%Y%m%d-%H%M%S)}"

for d in $DURABILITIES; do case "$d" in normal | full) ;; *) die "unknown durability '$d' (normal, full)" ;; esac; done
for w in $WORKLOADS; do case "$w" in get | post) ;; *) die "unknown workload '$w' (get, post)" ;; esac; done
for n in $INSTANCES; do case "$n" in 1 | 2) ;; *) die "INSTANCES takes 1 and 2, not '$n'" ;; esac; done
for c in $CONNS; do [[ "$c" =~ ^[0-9]+$ && "$c" -ge 2 ]] || die "CONNS: '$c' is not a number of 2 or more"; done
case "$DEMO_DB" in pg | sqlite) ;; *) die "DEMO_DB is pg or sqlite, not '$DEMO_DB'" ;; esac

need_tools taskset setsid curl psql mktemp
use_jdk
ensure_wrk
JAR="$(demo_jar)"
raise_nofile 65536
[ ! -e "$OUT" ] || die "$OUT exists already"
mkdir -p "$OUT/wrk" "$OUT/logs"
for p in 0 1 2 3; do port_free $((PORT + p)) || die "port $((PORT + p)) is in use (set PORT)"; done

# The baseline is a test source of the demo module: compile it and write the test classpath.
log "compiling the baseline and writing the demo module's test classpath"
(cd "$ROOT" && timeout 900 ./mvnw -B -q -pl demo -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt" -Dmdep.includeScope=test >&2) || die "the baseline did not build"
BASELINE_CP="$ROOT/demo/target/test-classes:$ROOT/demo/target/classes:$(cat "$OUT/classpath.txt")"

# Every process started here is stopped by its PID on exit: the servers, then the cluster.
pids=() ports=() storage=()
PGDIR=""
stop_all() {
  local p
  for p in "${pids[@]}"; do SPID="$p"; stop_server; done
  pids=() ports=() storage=()
}
cleanup() {
  stop_all
  [ -z "$PGDIR" ] || "$ROOT/scripts/postgres.sh" stop "$PGDIR" || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

PGDIR="$(mktemp -d /tmp/pgbench.XXXXXX)"
URL="$(FSYNC=on "$ROOT/scripts/postgres.sh" start "$PGDIR")" || die "PostgreSQL did not start"
PGPORT="$(sed -E 's|^jdbc:postgresql://127\.0\.0\.1:([0-9]+)/.*|\1|' <<< "$URL")"
PGPID="$(cat "$PGDIR/pid")"
sql() { timeout 300 psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres "$@"; }
log "PostgreSQL $PGPID on $URL ($PGDIR)"
# The engine's layout for table items; the demo adds its partial index on expiration when it starts.
sql -c 'CREATE TABLE "items" (key text COLLATE "C" PRIMARY KEY, counter bigint NOT NULL,
          expiration bigint NOT NULL, value bytea NOT NULL)' \
    -c "INSERT INTO \"items\" SELECT i::text, 0, 0, convert_to('item-' || i, 'UTF8') FROM generate_series(0, $KEYS - 1) i" \
    -c 'VACUUM ANALYZE "items"' || die "prefill failed"

{
  describe_machine
  echo "postgresql: $(sql -At -c 'SHOW server_version') fsync=$(sql -At -c 'SHOW fsync') pid=$PGPID"
  echo "demo jar: $JAR (demo database: $DEMO_DB); baseline pool: $POOL per instance"
  echo "durabilities: $DURABILITIES; workloads: $WORKLOADS; conns: $CONNS; instances: $INSTANCES"
  echo "$ROUNDS rounds of ${DURATION}s per cell and server after ${WARMUP}s warm-ups; keys: $KEYS"
  echo "server cpu: $SERVER_CPU; wrk cpu: $CLIENT_CPU; jvm opts: $JVM_OPTS; max seconds: $MAX_SECONDS"
} | tee "$OUT/env.txt" >&2

# slot KIND I: the position of instance I (0, 1) of KIND in pids and ports, and its port's offset.
slot() { if [ "$1" = freetser ]; then echo "$2"; else echo $((2 + $2)); fi; }

# start KIND DURABILITY I: instance I of freetser or baseline, on port PORT + slot.
start() {
  local kind="$1" dur="$2" i="$3" port logf db
  port=$((PORT + $(slot "$kind" "$i")))
  logf="$OUT/logs/$kind-$dur-$i.log"
  # shellcheck disable=SC2086 # JVM_OPTS is a list of words
  if [ "$kind" = freetser ]; then
    db="$URL"
    if [ "$DEMO_DB" = sqlite ]; then db="$OUT/logs/demo-$dur-$i.sqlite"; prefill "$db" "$KEYS"; fi
    start_server "$logf" "$JAVA" $JVM_OPTS -jar "$JAR" --port "$port" --db "$db" --durability "$dur"
  else
    start_server "$logf" "$JAVA" $JVM_OPTS -cp "$BASELINE_CP" dev.freetser.bench.BaselineServer \
      --port "$port" --db "$URL" --durability "$dur" --pool "$POOL"
  fi
  pids+=("$SPID") ports+=("$port") storage+=("")
  wait_ready "http://127.0.0.1:$port/plaintext" || die "$kind $i did not answer on port $port (see $logf)"
  local t
  for t in /proc/"$SPID"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" != freetser-storag ] || storage[-1]="$t"
  done
}

# ticks DIR: the CPU time so far, user + system in clock ticks, of /proc/PID or /proc/PID/task/TID.
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL's CPU so far: every child of the postmaster, and the postmaster with its reaped children.
pg_ticks() {
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v pm="$PGPID" '
    { pid = $1; sub(/^.*\) /, ""); if ($2 == pm) s += $12 + $13; if (pid == pm) s += $12 + $13 + $14 + $15 }
    END { print s + 0 }'
}
# The machine's CPU time so far: "BUSY TOTAL" (busy = all but idle and iowait).
machine_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t; exit }' /proc/stat; }
# PostgreSQL's transactions committed, WAL flushes (fsync) and transactions rolled back (a conflict
# of SERIALIZABLE batches among them) so far: "COMMITS SYNCS ROLLBACKS". Backends
# report them within about a second of going idle, so load reads them a second after wrk ends.
pg_counts() {
  sql -At -F ' ' -c "SELECT d.xact_commit, w.wal_sync, d.xact_rollback FROM pg_stat_database d, pg_stat_wal w
    WHERE d.datname = current_database()" || echo "0 0 0"
}

# load KIND WORKLOAD CONNS N SECONDS TAG: N wrk processes at once, CONNS/N connections each, one per
# instance of KIND; prints "rps p50_us p99_us non2xx socket_errors server_us pg_us busy_pct ours_pct
# commits_per_req syncs_per_req storage_pct rollbacks_per_req" (busy: the machine's CPUs, all processes; ours: the
# loaded servers and PostgreSQL alone; storage: the demo's storage threads, % of one CPU, summed).
load() {
  local kind="$1" w="$2" conns="$3" n="$4" secs="$5" tag="$6" i k wpids=() srv0=0 srv1=0 st0=0 st1=0 pg0 pg1 m0 m1 c0 c1
  c0="$(pg_counts)"
  for i in $(seq 0 $((n - 1))); do
    k="$(slot "$kind" "$i")"
    srv0=$((srv0 + $(ticks "/proc/${pids[$k]}"))); [ -z "${storage[$k]}" ] || st0=$((st0 + $(ticks "${storage[$k]}")))
  done
  pg0="$(pg_ticks)"; m0="$(machine_ticks)"
  for i in $(seq 0 $((n - 1))); do
    k="$(slot "$kind" "$i")"
    run_wrk $((conns / n)) "$secs" "http://127.0.0.1:${ports[$k]}/" "${w^^}" /stress-test/ "$KEYS" > "$OUT/wrk/$tag.$i.txt" &
    wpids+=($!)
  done
  for i in "${wpids[@]}"; do wait "$i" || true; done
  m1="$(machine_ticks)"; pg1="$(pg_ticks)"
  for i in $(seq 0 $((n - 1))); do
    k="$(slot "$kind" "$i")"
    srv1=$((srv1 + $(ticks "/proc/${pids[$k]}"))); [ -z "${storage[$k]}" ] || st1=$((st1 + $(ticks "${storage[$k]}")))
  done
  sleep 1.5
  c1="$(pg_counts)"
  grep -h '^RESULT ' "$OUT/wrk/$tag".*.txt | awk -v n="$n" -v s="$((srv1 - srv0))" -v p="$((pg1 - pg0))" \
      -v m0="$m0" -v m1="$m1" -v c0="$c0" -v c1="$c1" -v st="$((st1 - st0))" -v hz="$(getconf CLK_TCK)" '
    { for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      req += f["requests"]; rps += f["requests"] / (f["duration_us"] / 1e6); lines++
      if (f["p50_us"] > p50) p50 = f["p50_us"]; if (f["p99_us"] > p99) p99 = f["p99_us"]
      non2xx += f["status"]; sock += f["connect"] + f["read"] + f["write"] + f["timeout"] }
    END {
      if (lines != n || req == 0) exit 1
      split(m0, a, " "); split(m1, b, " "); split(c0, x, " "); split(c1, y, " ")
      printf "%.0f %d %d %d %d %.1f %.1f %.0f %.0f %.3f %.3f %.0f %.4f\n", rps, p50, p99, non2xx, sock, s / hz * 1e6 / req,
        p / hz * 1e6 / req, 100 * (b[1] - a[1]) / (b[2] - a[2]), 100 * (s + p) / (b[2] - a[2]), (y[1] - x[1]) / req,
        (y[2] - x[2]) / req, 100 * st / hz / (req / rps), (y[3] - x[3]) / req }' || die "$tag: wrk gave no result (see $OUT/wrk/$tag.*.txt)"
}

cells=()
for w in $WORKLOADS; do for c in $CONNS; do for n in $INSTANCES; do cells+=("$w $c $n"); done; done; done
LOADS="$OUT/loads.tsv"
printf 'durability\tworkload\tconns\tinstances\tround\tserver\trps\tp50_us\tp99_us\tnon2xx\tsocket_errors\tserver_us_per_req\tpg_us_per_req\tbusy_pct\tours_pct\tcommits_per_req\twal_syncs_per_req\tstorage_thread_pct\trollbacks_per_req\n' > "$LOADS"
stopped=""
for dur in $DURABILITIES; do
  for kind in freetser baseline; do for i in 0 1; do start "$kind" "$dur" "$i"; done; done
  log "$dur: freetser on ports $PORT-$((PORT + 1)), baseline on $((PORT + 2))-$((PORT + 3)) (pids ${pids[*]})"
  # The same answers, headers and body (the Date header aside), from both kinds on one row.
  for method in GET POST; do
    f="$(curl -si -m 5 -X "$method" "http://127.0.0.1:$PORT/stress-test/0" | grep -v '^Date:')"
    b="$(curl -si -m 5 -X "$method" "http://127.0.0.1:$((PORT + 2))/stress-test/0" | grep -v '^Date:')"
    [ "$DEMO_DB" = sqlite ] || [ "$f" = "$b" ] || die "freetser and baseline answer $method /stress-test/0 differently: '$f' vs '$b'"
  done
  for kind in freetser baseline; do
    for w in $WORKLOADS; do load "$kind" "$w" 64 2 "$WARMUP" "$dur-$kind-$w-warmup" >/dev/null; done
  done
  for r in $(seq 1 "$ROUNDS"); do
    for ci in "${!cells[@]}"; do
      read -r w c n <<< "${cells[$ci]}"
      order="freetser baseline"; [ $(((r + ci) % 2)) = 0 ] || order="baseline freetser"
      for kind in $order; do
        if [ "$SECONDS" -ge "$MAX_SECONDS" ]; then stopped=1; break 3; fi
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || die "a server died (see $OUT/logs)"; done
        res="$(load "$kind" "$w" "$c" "$n" "$DURATION" "$dur-$w-c$c-n$n-r$r-$kind")" || exit 1
        read -r rps p50 p99 non2xx sock srv pg busy ours commits syncs st rollbacks <<< "$res"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$dur" "$w" "$c" "$n" "$r" \
          "$kind" "$rps" "$p50" "$p99" "$non2xx" "$sock" "$srv" "$pg" "$busy" "$ours" "$commits" "$syncs" "$st" "$rollbacks" >> "$LOADS"
        log "$dur $w c=$c x$n round $r $kind: $rps req/s p50=${p50}us p99=${p99}us non-2xx=$non2xx socket errors=$sock" \
          "server ${srv}us/req postgres ${pg}us/req cpus ${busy}% busy (${ours}% server and postgres)" \
          "commits/req $commits rollbacks/req $rollbacks wal syncs/req $syncs storage thread ${st}%"
      done
    done
  done
  stop_all
  [ -z "$stopped" ] || { log "MAX_SECONDS ($MAX_SECONDS) reached: no more loads"; break; }
done

# Per cell: medians over the rounds, and the median (min, max) of each round's freetser / baseline.
awk -F'\t' '
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n == 0 ? 0 : n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  NR == 1 { next }
  { cell = $1 " | " $2 " | " $3 " | " $4; if (!(cell in seen)) { seen[cell] = 1; order[++cells] = cell }
    k = cell SUBSEP $6
    rps[k] = rps[k] " " $7; p50[k] = p50[k] " " $8; p99[k] = p99[k] " " $9; srv[k] = srv[k] " " $12
    pg[k] = pg[k] " " $13; busy[k] = busy[k] " " $14; ours[k] = ours[k] " " $15; com[k] = com[k] " " $16; syn[k] = syn[k] " " $17; st[k] = st[k] " " $18; rb[k] = rb[k] " " $19; err[k] += $10 + $11; at[cell, $5, $6] = $7; rounds[cell, $5] = 1 }
  END {
    print "| durability | workload | conns | instances | freetser req/s | baseline req/s | ratio (min-max) | p50 / p99 ms freetser | p50 / p99 ms baseline | server us/req f / b | PostgreSQL us/req f / b | CPUs busy % (server + PostgreSQL) f / b | commits/req f / b | rollbacks/req f / b | WAL syncs/req f / b | storage thread % f | errors f / b |"
    print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for (x = 1; x <= cells; x++) {
      cell = order[x]; f = cell SUBSEP "freetser"; b = cell SUBSEP "baseline"; ratios = ""; lo = ""; hi = ""
      for (r = 1; r <= 1000; r++) if (at[cell, r, "freetser"] > 0 && at[cell, r, "baseline"] > 0) {
        q = at[cell, r, "freetser"] / at[cell, r, "baseline"]; ratios = ratios " " q
        if (lo == "" || q < lo) lo = q; if (hi == "" || q > hi) hi = q }
      printf "| %s | %.0f | %.0f | %s | %.1f / %.1f | %.1f / %.1f | %.0f / %.0f | %.0f / %.0f | %.0f (%.0f) / %.0f (%.0f) | %.3f / %.3f | %.4f / %.4f | %.3f / %.3f | %.0f | %d / %d |\n", cell,
        median(rps[f]), median(rps[b]), ratios == "" ? "-" : sprintf("%.2f (%.2f-%.2f)", median(ratios), lo, hi),
        median(p50[f]) / 1000, median(p99[f]) / 1000, median(p50[b]) / 1000, median(p99[b]) / 1000,
        median(srv[f]), median(srv[b]), median(pg[f]), median(pg[b]), median(busy[f]), median(ours[f]), median(busy[b]), median(ours[b]),
        median(com[f]), median(com[b]), median(rb[f]), median(rb[b]), median(syn[f]), median(syn[b]), median(st[f]), err[f], err[b]
    }
  }' "$LOADS" | tee "$OUT/table.md"
echo "results: $OUT (table.md, loads.tsv, env.txt, wrk/, logs/)"
