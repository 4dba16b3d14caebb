#!/usr/bin/env bash
# A throwaway PostgreSQL server for the live tests: `start` prints the
# variables to export, `stop` stops it and removes its files.
#
#   eval "$(.ci/postgres.sh start)"   # KPIC_TEST_PG_URL, KPIC_PG_DIR
#   .ci/postgres.sh stop "$KPIC_PG_DIR"
#
# It listens on 127.0.0.1 only, with password authentication. Debian's
# `postgresql` package is installed when its binaries are missing. The
# server refuses to run as root, so under root (CI) it runs as the
# `postgres` user the package creates.
set -euo pipefail

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

as_server_user() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    bin="$(find_bin || true)"
    if [ -z "$bin" ]; then
      if [ "$(id -u)" != 0 ]; then echo "PostgreSQL is not installed: apt-get install postgresql (as root)" >&2; exit 1; fi
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; } >&2
      bin="$(find_bin)"
    fi
    dir="$(mktemp -d /tmp/kpic-pg.XXXXXX)"
    port="${KPIC_PG_PORT:-$(( 20000 + RANDOM % 20000 ))}"
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
    as_server_user "'$bin/initdb' -D '$dir/data' -U postgres -A scram-sha-256 --pwfile='$dir/pwfile' -E UTF8 --locale=C >'$dir/initdb.log' 2>&1"
    rm -f "$dir/pwfile"
    as_server_user "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c max_connections=40\" start >&2"
    echo "export KPIC_PG_DIR='$dir'"
    echo "export KPIC_TEST_PG_URL='postgres://postgres:$password@127.0.0.1:$port/postgres'"
    ;;
  stop)
    dir="${2:?usage: postgres.sh stop DIR}"
    bin="$(find_bin)"
    as_server_user "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
