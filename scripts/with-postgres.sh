#!/usr/bin/env bash
# Run a command against a throw-away local PostgreSQL server: install the server from
# Debian when it is missing, start a private cluster on a spare port, export DATABASE_URL,
# run the command, stop the cluster. Exit status is the command's.
# `--install-only` installs the server when it is missing and does nothing else (make test
# calls it before running its legs side by side, so that two apt-get never race).
set -euo pipefail

PG_PORT=${PG_PORT:-55432}

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! PG_BIN=$(find_bin); then
  echo "PostgreSQL not found: installing it (apt-get)…" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
  PG_BIN=$(find_bin)
fi
if [ "${1:-}" = "--install-only" ]; then exit 0; fi

# PostgreSQL refuses to run as root: run the cluster as the 'postgres' system user
# (created by the Debian package), or as ourselves when we are not root.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  AS_PG=(runuser -u postgres --)
else
  AS_PG=()
fi

DATA_DIR=$(mktemp -d /tmp/lindung-pg.XXXXXX)
chmod 0755 "$DATA_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DATA_DIR"
cleanup() {
  "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/db" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

"${AS_PG[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/db" -U postgres -A trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/db" -l "$DATA_DIR/server.log" -w \
  -o "-p $PG_PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
  start >/dev/null

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/lindung"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PG_PORT" >&2
"$@"
