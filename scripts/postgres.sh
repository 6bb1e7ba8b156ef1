#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and the scale-out demo: its own data directory, its own
# loopback port, trust auth, stopped and deleted again by `stop`. It never uses or touches the
# machine's own cluster (/var/lib/postgresql) or its service, and never signals a process it did
# not start.
#
#   scripts/postgres.sh install     install Debian's postgresql package when no initdb is found
#   scripts/postgres.sh start DIR   create a cluster in DIR, start it, print its JDBC URL (one line)
#   scripts/postgres.sh stop DIR    stop the server started in DIR and remove DIR (idempotent)
#
# Env: FSYNC=off starts the server with fsync=off (faster, for data nobody needs after a crash).
# DIR should be short (the socket path DIR/.s.PGSQL.PORT must fit in 107 bytes) and, when run as
# root, reachable by the postgres user: a `mktemp -d` folder is both.
set -euo pipefail

# Marks a folder as made by this script, so that `stop` never deletes a folder it did not create.
readonly MARKER=.throwaway-postgres

die() { echo "postgres.sh: $*" >&2; exit 1; }

# The newest installed server binaries: Debian keeps each major version apart, PATH may hold one.
find_bindir() {
    local newest
    newest=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
    if [[ -x $newest ]]; then
        dirname "$newest"
    elif command -v initdb >/dev/null; then
        dirname "$(command -v initdb)"
    else
        return 1
    fi
}

# initdb and postgres refuse to run as root: as root they run as the postgres OS user.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# A port nothing on 127.0.0.1 accepts on, below Linux's ephemeral range (32768+) so that outgoing
# connections do not take it meanwhile. Only a guess: start retries when the bind still fails.
guess_free_port() {
    local port
    for _ in $(seq 50); do
        port=$((10000 + RANDOM % 22000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    die "no free loopback port found"
}

# The postmaster's PID, printed only while that process is still the postmaster of DIR/data: after
# a reboot or a crash the number may belong to another process, which must not be signalled.
# DIR/pid first; else the server's own postmaster.pid, for a start that was interrupted before
# it wrote DIR/pid.
our_postmaster() {
    local dir=$1 file pid
    for file in "$dir/pid" "$dir/data/postmaster.pid"; do
        pid=$(head -n 1 "$file" 2>/dev/null) || continue
        [[ $pid =~ ^[0-9]+$ ]] || continue
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-D $dir/data "; then
            echo "$pid"
            return 0
        fi
    done
    return 1
}

# SIGINT is PostgreSQL's fast shutdown (abort transactions, checkpoint, exit); SIGKILL only when
# that takes more than about 10 s, and only to the postmaster (its children exit when it dies).
kill_server() {
    local dir=$1 pid
    pid=$(our_postmaster "$dir") || return 0
    kill -INT "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    echo "postgres.sh: server $pid did not stop in 10 s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
}

cmd_install() {
    find_bindir >/dev/null && return 0
    [[ $EUID -eq 0 ]] || die "PostgreSQL is not installed; run: sudo apt-get install -y postgresql"
    export DEBIAN_FRONTEND=noninteractive
    # The package lists may be missing or stale on a fresh machine: update only when needed.
    apt-get install -y postgresql || { apt-get update && apt-get install -y postgresql; }
    find_bindir >/dev/null || die "apt-get installed postgresql, but no initdb was found"
}

cmd_start() {
    local bindir dir port url pid attempt
    case ${FSYNC:-on} in on | off) ;; *) die "FSYNC must be on or off, not '$FSYNC'" ;; esac
    bindir=$(find_bindir) || die "no initdb found; run: $0 install"
    mkdir -p "$1"
    dir=$(cd "$1" && pwd -P)
    case $dir/ in
        /var/lib/postgresql/*) die "refusing to use $dir: it belongs to the machine's own PostgreSQL" ;;
    esac
    # The server's socket DIR/.s.PGSQL.PORT must fit in sun_path (107 bytes) or it refuses to start.
    (( ${#dir} + 15 <= 107 )) || die "$dir is too long for a Unix socket path; use a shorter folder (mktemp -d)"
    [[ ! -e $dir/data ]] || die "$dir/data exists already; run: $0 stop $dir"
    touch "$dir/$MARKER" "$dir/log"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "no postgres OS user to run the server as (install: $0 install)"
        chown -R postgres: "$dir"
        runuser -u postgres -- test -w "$dir" \
            || die "the postgres user cannot write $dir (a parent is closed to it); use a folder from mktemp -d"
    fi
    # The postgres user may not enter the caller's working directory (e.g. /root).
    cd "$dir"

    # --no-sync: nothing in a throwaway cluster needs to survive a crash, and it saves seconds.
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C \
        --no-sync >>"$dir/log" 2>&1 || { tail -n 20 "$dir/log" >&2; die "initdb failed (log: $dir/log)"; }
    cat >>"$dir/data/postgresql.conf" <<EOF

# scripts/postgres.sh: loopback only, socket next to the data, room for a pool per instance.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 400
fsync = ${FSYNC:-on}
EOF

    # The port is a guess that another process may take first: on a failed bind, try another.
    for attempt in 1 2 3 4 5; do
        port=$(guess_free_port)
        : >"$dir/server.log"
        chown --reference="$dir/log" "$dir/server.log"
        if as_owner "$bindir/pg_ctl" start -w -t 30 -s -D "$dir/data" -l "$dir/server.log" -o "-p $port" \
            >/dev/null 2>&1; then
            cat "$dir/server.log" >>"$dir/log"
            break
        fi
        cat "$dir/server.log" >>"$dir/log"
        kill_server "$dir"   # in case it did start, too slowly for pg_ctl's 30 s
        if ! grep -q 'could not bind\|Address already in use' "$dir/server.log" || [[ $attempt -eq 5 ]]; then
            tail -n 20 "$dir/server.log" >&2
            die "the server did not start (log: $dir/log)"
        fi
    done
    rm -f "$dir/server.log"
    # pg_ctl -w waited for "ready"; the postmaster's PID is the first line of postmaster.pid.
    pid=$(head -n 1 "$dir/data/postmaster.pid")
    echo "$pid" >"$dir/pid"

    # Ready means accepting TCP connections on 127.0.0.1, which is what every client uses.
    for _ in $(seq 300); do
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && break
        sleep 0.1
    done
    if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; then
        kill_server "$dir"
        die "the server does not accept connections on 127.0.0.1:$port (log: $dir/log)"
    fi

    url="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
    echo "$url" >"$dir/url"
    echo "$url"
}

cmd_stop() {
    local dir
    [[ -d $1 ]] || return 0
    dir=$(cd "$1" && pwd -P)
    # An empty folder is what a caller's mktemp -d leaves when start failed before writing anything.
    if [[ ! -e $dir/$MARKER ]]; then
        rmdir -- "$dir" 2>/dev/null || die "$dir was not made by $0 start; not touching it"
        return 0
    fi
    kill_server "$dir"
    rm -rf -- "$dir"
}

case ${1:-} in
    install) [[ $# -eq 1 ]] || die "usage: $0 install"; cmd_install ;;
    start)   [[ $# -eq 2 ]] || die "usage: $0 start DIR"; cmd_start "$2" ;;
    stop)    [[ $# -eq 2 ]] || die "usage: $0 stop DIR"; cmd_stop "$2" ;;
    *)       die "usage: $0 install | start DIR | stop DIR" ;;
esac
