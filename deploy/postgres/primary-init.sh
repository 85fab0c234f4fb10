#!/bin/sh
# The primary's first start (the postgres image runs /docker-entrypoint-initdb.d/ once, when it
# makes the data directory): a role for the streaming replicas, and pg_hba.conf letting it in
# for replication (the image's own line, `host all all all`, does not cover replication).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
