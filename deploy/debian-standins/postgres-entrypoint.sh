#!/bin/bash
# The stand-in postgres image's entrypoint (Containerfile.postgres): like the official one, it
# creates POSTGRES_USER (a superuser with POSTGRES_PASSWORD) and POSTGRES_DB on the first start.
set -euo pipefail
PGDATA=${PGDATA:-/var/lib/postgresql/data}
BIN=/usr/lib/postgresql/15/bin
mkdir -p "$PGDATA" /run/postgresql
chown -R postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  runuser -u postgres -- "$BIN/initdb" -D "$PGDATA" --username=postgres --auth-local=trust --auth-host=scram-sha-256
  echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=" -w start
  runuser -u postgres -- "$BIN/psql" -h /run/postgresql -p 5432 -d postgres -v ON_ERROR_STOP=1 -c "CREATE ROLE \"$POSTGRES_USER\" LOGIN SUPERUSER PASSWORD '$POSTGRES_PASSWORD'" \
    -c "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\""
  runuser -u postgres -- "$BIN/pg_ctl" -D "$PGDATA" -m fast -w stop
fi
exec runuser -u postgres -- "$BIN/postgres" -D "$PGDATA"
