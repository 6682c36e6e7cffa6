#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for tests (see ../shared/toolchain.md "Services").
#
#   scripts/pg-test-cluster.sh start [--owner-pid PID]   # prints DATABASE_URL on stdout
#   scripts/pg-test-cluster.sh stop DIR                  # DIR = the cluster folder (printed on stderr)
#
# `start` makes a temp folder owned by `postgres`, runs initdb (trust auth) and pg_ctl on a
# random free port on 127.0.0.1, and prints postgres://postgres@127.0.0.1:PORT/postgres.
# With --owner-pid, a watchdog stops and deletes the cluster when that process exits (tests
# pass their own pid so nothing is left running). Usage:
#   export HUELLA_TEST_DATABASE_URL=$(scripts/pg-test-cluster.sh start)
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

cmd=${1:-}
case "$cmd" in
  start)
    owner=""
    if [ "${2:-}" = "--owner-pid" ]; then owner=${3:?pid}; fi
    dir=$(mktemp -d /tmp/huella-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(free_port)
    as_postgres "$PGBIN/initdb" -D "$dir/db" -A trust -U postgres >"$dir/initdb.log" 2>&1
    as_postgres "$PGBIN/pg_ctl" -D "$dir/db" -w -l "$dir/log" \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
    echo "cluster: $dir (stop with: $0 stop $dir)" >&2
    if [ -n "$owner" ]; then
      nohup bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; \
        '$0' stop '$dir' >/dev/null 2>&1" >/dev/null 2>&1 &
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?cluster folder}
    as_postgres "$PGBIN/pg_ctl" -D "$dir/db" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start [--owner-pid PID] | stop DIR" >&2
    exit 2
    ;;
esac
