#!/usr/bin/env bash
# Several instances, one store, a real load balancer: a throwaway PostgreSQL, INSTANCES freetser
# demo servers sharing it, and HAProxy in front, all on 127.0.0.1. Runs until Ctrl-C (or
# SECONDS_TO_RUN), then stops every process it started, by PID, and deletes its temp folders.
#
# Env: PORT             HAProxy's port (default 8000)
#      INSTANCES        how many demo servers (default 3)
#      SECONDS_TO_RUN   stop by itself after this many seconds (default: run until stopped)
#      DEMO_JAR         the runnable demo jar (default demo/target/freetser-demo.jar, from the repo root)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd -P)
PORT=${PORT:-8000}
INSTANCES=${INSTANCES:-3}
SECONDS_TO_RUN=${SECONDS_TO_RUN:-}
DEMO_JAR=${DEMO_JAR:-demo/target/freetser-demo.jar}
[[ $DEMO_JAR == /* ]] || DEMO_JAR=$root/$DEMO_JAR

die() { echo "scale-out.sh: $*" >&2; exit 1; }

[[ $PORT =~ ^[0-9]+$ ]] && (( PORT >= 1 && PORT <= 65535 )) || die "PORT must be a TCP port, not '$PORT'"
[[ $INSTANCES =~ ^[0-9]+$ ]] && (( INSTANCES >= 1 )) || die "INSTANCES must be 1 or more, not '$INSTANCES'"
[[ -z $SECONDS_TO_RUN || $SECONDS_TO_RUN =~ ^[0-9]+$ ]] || die "SECONDS_TO_RUN must be whole seconds"
[[ -f $DEMO_JAR ]] || die "no demo jar at $DEMO_JAR; build it first: (cd $root && ./mvnw -q -DskipTests package)"
# Said now rather than after everything else has started and HAProxy fails to bind.
! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || die "127.0.0.1:$PORT is taken; choose another with PORT=..."

# The Java major version (8 for "1.8", 21 for "21.0.2"), from the JVM's own property.
java_major() {
    local v
    v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    v=${v#1.}
    echo "${v%%.*}"
}

# JAVA_HOME when it is 21+, else the newest JDK 21+ in /usr/lib/jvm: the demo needs Java 21.
find_java() {
    local java major best="" best_major=0
    if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
        major=$(java_major "$JAVA_HOME/bin/java")
        [[ $major =~ ^[0-9]+$ ]] && (( major >= 21 )) && { echo "$JAVA_HOME/bin/java"; return 0; }
    fi
    for java in /usr/lib/jvm/*/bin/java; do
        [[ -x $java ]] || continue
        major=$(java_major "$java")
        if [[ $major =~ ^[0-9]+$ ]] && (( major >= 21 && major > best_major )); then
            best=$java best_major=$major
        fi
    done
    [[ -n $best ]] && echo "$best"
}

java=$(find_java) || die "no Java 21+ found (JAVA_HOME or /usr/lib/jvm); install a JDK 21 or newer"

# HAProxy, and curl to see when each server is up, are no part of the build: a fresh Debian may
# lack them. Installed from Debian when root, else named. The package lists may be missing on a
# fresh machine: update only when the install fails without.
need() {
    command -v "$1" >/dev/null && return 0
    [[ $EUID -eq 0 ]] || die "$1 is not installed; run: sudo apt-get install -y $1"
    echo "scale-out.sh: installing $1 (apt-get install -y $1)" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y "$1" \
        || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$1"; }; } >&2
}
need haproxy
need curl

work=$(mktemp -d)   # logs, the HAProxy config and its stats socket
pg_dir=$(mktemp -d) # its own folder: postgres.sh hands it to the postgres user and deletes it on stop
pids=()             # every process started here, stopped in reverse order

# True while PID is a running child of this shell: not one that exited (a zombie until waited for),
# nor a stranger that reused the number of one that was already waited for.
is_running() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }   # past "pid (comm) ": the command name may hold spaces
    [[ $stat != Z* ]] || return 1
    stat=${stat#* }     # past the state: the parent's PID is next
    [[ ${stat%% *} == "$$" ]]
}

# SIGTERM lets each finish (the demo closes its database, HAProxy drops its listener); SIGKILL
# only for one still there after about 10 s.
stop_all() {
    trap '' INT TERM   # a second Ctrl-C must not cut the clean-up short
    local i pid
    for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do
        pid=${pids[i]}
        is_running "$pid" && kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        for _ in $(seq 100); do
            is_running "$pid" || break
            sleep 0.1
        done
        if is_running "$pid"; then
            echo "scale-out.sh: $pid did not stop in 10 s, killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    "$root/scripts/postgres.sh" stop "$pg_dir" || true
    rm -rf -- "$work"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$root/scripts/postgres.sh" install >&2   # a no-op where PostgreSQL is installed
db_url=$("$root/scripts/postgres.sh" start "$pg_dir")

# --port 0: each instance takes a port the kernel knows is free and prints it, so none can race.
for (( i = 1; i <= INSTANCES; i++ )); do
    db=$db_url
    # Hidden, for testing this script before the demo takes a PostgreSQL URL: one SQLite file each.
    [[ -z ${DB_FOR_TESTING:-} ]] || db="${DB_FOR_TESTING}-$i.db"
    "$java" -jar "$DEMO_JAR" --port 0 --db "$db" >"$work/instance-$i.log" 2>&1 &
    pids+=($!)
done

# Each instance is up once it has printed its port and answers /plaintext; give up after 30 s.
ports=()
for (( i = 1; i <= INSTANCES; i++ )); do
    pid=${pids[i - 1]} port=""
    for _ in $(seq 300); do
        is_running "$pid" || { tail -n 20 "$work/instance-$i.log" >&2; die "instance $i exited while starting"; }
        [[ -n $port ]] || port=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/instance-$i.log" | head -n 1)
        [[ -n $port ]] && curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/plaintext" 2>/dev/null && break
        sleep 0.1
    done
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${port:-0}/plaintext" 2>/dev/null \
        || { tail -n 20 "$work/instance-$i.log" >&2; die "instance $i did not answer /plaintext in 30 s"; }
    ports+=("$port")
done

# Round robin with a health check; a request whose connection fails is sent to another instance
# (redispatch) rather than answered 503 in the seconds before the check marks an instance down.
{
    cat <<EOF
global
    maxconn 4096
    stats socket $work/haproxy.sock mode 600 level admin

defaults
    mode http
    maxconn 4096
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    retries 2
    option redispatch

frontend freetser
    bind 127.0.0.1:$PORT
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /plaintext
    http-reuse safe
EOF
    for (( i = 1; i <= INSTANCES; i++ )); do
        echo "    server instance-$i 127.0.0.1:${ports[i - 1]} check inter 1s"
    done
} >"$work/haproxy.cfg"
haproxy -q -c -f "$work/haproxy.cfg" || die "HAProxy refused the generated config $work/haproxy.cfg"

# In the foreground of a background job (no daemon mode), so that $! is HAProxy itself.
haproxy -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
pids+=($!)
haproxy_pid=$!
for _ in $(seq 300); do
    is_running "$haproxy_pid" || { cat "$work/haproxy.log" >&2; die "HAProxy exited while starting (is port $PORT taken?)"; }
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/plaintext" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/plaintext" 2>/dev/null \
    || die "HAProxy does not answer on 127.0.0.1:$PORT"

echo "freetser scale-out: http://127.0.0.1:$PORT/ (HAProxy, round robin over $INSTANCES instances)"
for (( i = 1; i <= INSTANCES; i++ )); do
    echo "  instance $i: http://127.0.0.1:${ports[i - 1]}/ (pid ${pids[i - 1]})"
done
echo "  database:   $db_url"
echo "Ctrl-C stops everything."

if [[ -n $SECONDS_TO_RUN ]]; then
    sleep "$SECONDS_TO_RUN" &
    pids+=($!)
    timer_pid=$!
fi
# Until Ctrl-C, the timer, HAProxy ending, or the last instance ending. One instance ending is only
# reported: HAProxy's health check takes it out and the others serve, which is the point.
live=("${pids[@]}")
while :; do
    wait -n "${live[@]}" || true
    still=() instances_left=0
    for pid in "${live[@]}"; do
        if is_running "$pid"; then
            still+=("$pid")
            [[ $pid == "$haproxy_pid" || $pid == "${timer_pid:-}" ]] || instances_left=$((instances_left + 1))
            continue
        fi
        [[ $pid != "$haproxy_pid" ]] || { echo "scale-out.sh: HAProxy ended, stopping everything" >&2; exit 1; }
        [[ $pid != "${timer_pid:-}" ]] || { echo "scale-out.sh: ${SECONDS_TO_RUN}s are up, stopping everything" >&2; exit 0; }
        echo "scale-out.sh: instance $pid ended; HAProxy sends its requests to the others" >&2
    done
    live=("${still[@]}")
    (( instances_left > 0 )) || { echo "scale-out.sh: no instance is left, stopping everything" >&2; exit 1; }
done
