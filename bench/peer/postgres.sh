#!/usr/bin/env bash
# Peer comparison: the conventional design of a wallet ledger, PostgreSQL with one transaction per transfer,
# measured by io.walletledger.bench.peer.PostgresBench, which ends with the same RESULT line as the ledger's own
# load generator.
#
# Starts a throw-away PostgreSQL server (installed from Debian's packages if absent) in a temporary directory on
# 127.0.0.1, runs the load generator against it over TCP loopback, then stops the server and deletes the directory.
#
# Usage: bench/peer/postgres.sh [--sync on|off] [--clients N[,N...]] [PostgresBench options...]
#   --sync on       (default) synchronous_commit=on: a transfer is answered once its WAL record is fsync'ed,
#                   the counterpart of the ledger's journal in its durable mode.
#   --sync off      synchronous_commit=off: answered before the WAL reaches the disk (still crash-consistent, may
#                   lose the last transfers), the counterpart of the ledger's journal 'none' mode.
#   --clients LIST  one run per client count, e.g. --clients 1,4,16,64 (each run sets the schema up afresh).
#   Everything else goes to PostgresBench, e.g. --accounts 10000 --duration 30 --warmup 5 --zipf 1.1
#   --fail-share 0.05 --mode statements|function (run it with --help for the list).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_JAR="$ROOT/bench/target/benchmarks.jar"
MAIN_CLASS=io.walletledger.bench.peer.PostgresBench

sync_commit=on
client_counts=4
bench_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --sync) sync_commit="${2:?--sync needs on or off}"; shift 2 ;;
        --sync=*) sync_commit="${1#--sync=}"; shift ;;
        --clients) client_counts="${2:?--clients needs a number or a list}"; shift 2 ;;
        --clients=*) client_counts="${1#--clients=}"; shift ;;
        *) bench_args+=("$1"); shift ;;
    esac
done
case "$sync_commit" in
    on|off) ;;
    *) echo "postgres.sh: --sync must be on or off, not '$sync_commit'" >&2; exit 2 ;;
esac

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The server binaries, installing Debian's package when there are none.
find_pg_bin() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$dir" ] && [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        echo "$dir"
    fi
}
PG_BIN="$(find_pg_bin)"
if [ -z "$PG_BIN" ]; then
    echo "postgres.sh: no PostgreSQL server found, installing Debian's postgresql package" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql \
        || { as_root apt-get update && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; }
    PG_BIN="$(find_pg_bin)"
    [ -n "$PG_BIN" ] || { echo "postgres.sh: still no server binaries under /usr/lib/postgresql" >&2; exit 1; }
fi

# The load generator: build the bench module if its jar is missing or older than a source or pom it comes from.
# The lock keeps concurrent Maven builds in one working tree from racing on target/.
if [ ! -f "$BENCH_JAR" ] || [ -n "$(find "$ROOT/bench/src" "$ROOT/bench/pom.xml" "$ROOT/pom.xml" -newer "$BENCH_JAR" \
        -print -quit)" ]; then
    echo "postgres.sh: building $BENCH_JAR" >&2
    if command -v flock >/dev/null; then
        (cd "$ROOT" && flock /tmp/wallet-mvn.lock ./mvnw -q -Dmaven.test.skip=true -pl bench -am package)
    else
        (cd "$ROOT" && ./mvnw -q -Dmaven.test.skip=true -pl bench -am package)
    fi
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# PostgreSQL refuses to run as root: then the server runs as the postgres system user the package creates.
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    PG_USER=postgres
    as_pg() { runuser -u postgres -- "$@"; }
else
    PG_USER="$(id -un)"
    as_pg() { "$@"; }
fi

WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wallet-peer-postgres.XXXXXX")"
DATA_DIR="$WORK_DIR/data"
LOG_FILE="$WORK_DIR/postgres.log"
[ "$PG_USER" = "$(id -un)" ] || chown "$PG_USER" "$WORK_DIR"
chmod 700 "$WORK_DIR"

server_started=0
cleanup() {
    local status=$?
    if [ "$server_started" -eq 1 ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free port on loopback: the first one nobody answers on.
PORT=""
for candidate in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        PORT="$candidate"
        break
    fi
done
[ -n "$PORT" ] || { echo "postgres.sh: no free port in 55432..55532" >&2; exit 1; }

# trust on loopback and the private socket only: the server lives for one run and listens nowhere else.
as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U "$PG_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
    || as_pg "$PG_BIN/initdb" -D "$DATA_DIR" -U "$PG_USER" --auth=trust --encoding=UTF8 --locale=C >/dev/null

# Tuning, chosen to give PostgreSQL a fair run of the same job the ledger does on one node:
#   shared_buffers=256MB      the whole working set (accounts, the transfers of a run, their indexes) stays cached.
#   synchronous_commit        on (default) or off, from --sync: the durability the ledger's journal is compared at.
#   fsync=on, full_page_writes=on   real durability and torn-page safety; no shortcut the ledger does not take.
#   wal_level=minimal, max_wal_senders=0   no replication, like the single ledger node; less WAL per transfer.
#   wal_buffers=16MB          room for the WAL of many concurrent commits between flushes.
#   max_wal_size=4GB, checkpoint_timeout=30min   no checkpoint in a run of minutes (setup ends with one).
#   max_connections=200       enough for 64+ clients plus the setup and check connections.
#   autovacuum on (default)   as in production; it is part of the cost of the design.
as_pg "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 start -o "\
 -c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$WORK_DIR\
 -c shared_buffers=256MB -c synchronous_commit=$sync_commit -c fsync=on -c full_page_writes=on\
 -c wal_level=minimal -c max_wal_senders=0 -c wal_buffers=16MB\
 -c max_wal_size=4GB -c checkpoint_timeout=30min -c max_connections=200" >/dev/null \
    || { echo "postgres.sh: the server did not start; its log:" >&2; cat "$LOG_FILE" >&2; exit 1; }
server_started=1
echo "postgres.sh: $("$PG_BIN/postgres" --version) on 127.0.0.1:$PORT, synchronous_commit=$sync_commit," \
    "data in $DATA_DIR"

status=0
IFS=',' read -r -a counts <<< "$client_counts"
for clients in "${counts[@]}"; do
    echo "postgres.sh: --clients $clients"
    "$JAVA" -cp "$BENCH_JAR" "$MAIN_CLASS" \
        --jdbc-url "jdbc:postgresql://127.0.0.1:$PORT/postgres" --user "$PG_USER" --clients "$clients" \
        "${bench_args[@]}" || status=$?
done
exit "$status"
