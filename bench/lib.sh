# shellcheck shell=bash
# Sourced by load.sh, scale.sh and peers.sh: picking a JDK, installing wrk, building the demo jar,
# starting and stopping one server process, and reading wrk's RESULT line. Not run by itself.
# Callers set `set -euo pipefail` and BENCH (this folder) before sourcing; use_jdk sets JAVA and
# the caller sets JAR (from demo_jar). SERVER_CPU and CLIENT_CPU are taskset CPU lists.

ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck disable=SC2034 # used by the scripts that source this file
DEFAULT_JVM_OPTS="-XX:+UseSerialGC -Xms64m -Xmx512m --enable-native-access=ALL-UNNAMED"
LUA="$BENCH/load/wrk.lua"
SERVER_CPU="${SERVER_CPU:-0}"
CLIENT_CPU="${CLIENT_CPU:-1}"
SPID=""

die() { echo "${0##*/}: $*" >&2; exit 1; }
log() { echo "[$(date +%H:%M:%S) +${SECONDS}s] $*" >&2; }
# need_tools TOOL...: dies naming the first tool that is not on PATH.
need_tools() {
  local tool
  for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"; done
}

java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print v[1] }'
}

# Prints the JDK to use: JAVA_HOME when it is 21+, else the newest JDK 21+ found in the usual places.
pick_jdk() {
  local c m best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return
  fi
  for c in /usr/lib/jvm/*/ /opt/java/*/ /opt/jdk*/; do
    c="${c%/}"
    [ -x "$c/bin/javac" ] || continue
    m="$(java_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge 21 ] && [ "$m" -gt "$best_major" ]; then best="$c"; best_major="$m"; fi
  done
  [ -n "$best" ] || die "no JDK 21+ found: set JAVA_HOME (looked at JAVA_HOME, /usr/lib/jvm, /opt)"
  echo "$best"
}

use_jdk() {
  JAVA_HOME="$(pick_jdk)"
  JAVA="$JAVA_HOME/bin/java"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
}

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  log "wrk is missing: installing the Debian package"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y wrk >/dev/null || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y wrk >/dev/null; } \
    || die "could not install wrk (apt-get install -y wrk)"
}

# Builds demo/target/freetser-demo.jar when it is missing or older than the sources; prints its path.
demo_jar() {
  local jar="$ROOT/demo/target/freetser-demo.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$ROOT"/{core,postgres,demo}/src/main "$ROOT"/{,core/,postgres/,demo/}pom.xml -newer "$jar" -print -quit)" ]; then
    log "building the demo jar (./mvnw -q package -DskipTests)"
    (cd "$ROOT" && timeout 900 ./mvnw -B -q package -DskipTests >&2) || die "the demo jar did not build"
  fi
  [ -f "$jar" ] || die "no demo/target/freetser-demo.jar after the build"
  echo "$jar"
}

# Raises this shell's soft open-files limit toward $1, as far as the hard limit allows (call it
# directly, not in $(...), or only the subshell is raised).
raise_nofile() {
  local want="$1" hard
  hard="$(ulimit -Hn)"
  if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want="$hard"; fi
  if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt "$want" ]; then
    ulimit -Sn "$want" || die "cannot raise ulimit -n to $want"
  fi
}

# start_server LOGFILE COMMAND...: runs the command in its own session pinned to SERVER_CPU; sets SPID.
start_server() {
  local logf="$1"; shift
  setsid taskset -c "$SERVER_CPU" "$@" >"$logf" 2>&1 &
  SPID=$!
}

# Stops the server's whole session: TERM, up to 10 s for a graceful stop, then KILL.
stop_server() {
  [ -n "$SPID" ] || return 0
  kill -TERM -- "-$SPID" 2>/dev/null || kill -TERM "$SPID" 2>/dev/null || true
  local _
  for _ in $(seq 1 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null || true
  SPID=""
}

http_code() { curl -s -m 5 -o /dev/null -w '%{http_code}' "$1" 2>/dev/null || true; }

# Waits up to 60 s for the URL to answer 200 while the server lives.
wait_ready() {
  local _
  for _ in $(seq 1 600); do
    kill -0 "$SPID" 2>/dev/null || return 1
    [ "$(http_code "$1")" = 200 ] && return 0
    sleep 0.1
  done
  return 1
}

port_free() { [ "$(http_code "http://127.0.0.1:$1/")" = 000 ]; }

# A fresh database file with keys 0..KEYS-1 in table items (value item-<key>), as the demo creates them.
prefill() {
  local db="$1" keys="$2"
  timeout 300 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$JAR" "$BENCH/dev/freetser/bench/Prefill.java" \
    "$db" "$keys" >&2 || die "prefill of $db failed"
}

# The server's CPU time so far, user and system, in clock ticks (CLK_TCK a second): "USER SYSTEM".
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$SPID/stat" 2>/dev/null || echo "0 0"; }

reset_peak_rss() { { echo 5 > "/proc/$SPID/clear_refs"; } 2>/dev/null || true; }
peak_rss_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$SPID/status" 2>/dev/null || echo 0; }

# run_wrk CONNS SECONDS URL [METHOD PREFIX KEYS]: one wrk thread pinned to CLIENT_CPU; prints its
# output. With a METHOD each request goes to PREFIX<random key below KEYS>.
run_wrk() {
  local conns="$1" secs="$2" url="$3"
  taskset -c "$CLIENT_CPU" env LOAD_METHOD="${4:-}" LOAD_PREFIX="${5:-}" LOAD_KEYS="${6:-}" \
    timeout $((secs + 30)) wrk -t1 -c"$conns" -d"${secs}s" --latency --timeout 10s -s "$LUA" "$url" 2>&1 || true
}

# result_field NAME TEXT: the number after NAME= in the RESULT line of wrk's output (empty if none).
result_field() {
  awk -v k="$1" '/^RESULT / { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' <<< "$2"
}

describe_machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "kernel: $(uname -r); cpus: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java: $("$JAVA" -version 2>&1 | sed -n 2p)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"
}
