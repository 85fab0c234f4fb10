#!/bin/sh
# A streaming replica's entry point, in the postgres image, as the postgres user: on its first
# start (an empty data directory), a base backup of the primary with the recovery settings
# written (-R: standby.signal and primary_conninfo), then the image's own entry point, which
# finds the data there and starts the server as a hot standby of the primary.
set -eu
: "${PRIMARY_HOST:?}" "${REPLICATION_PASSWORD:?}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    until pg_isready --quiet --host="$PRIMARY_HOST" --username=replicator; do
        echo "waiting for the primary at $PRIMARY_HOST"
        sleep 1
    done
    PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --host="$PRIMARY_HOST" \
        --username=replicator --pgdata="$PGDATA" --write-recovery-conf \
        --wal-method=stream --checkpoint=fast --progress
    chmod 0700 "$PGDATA"
fi
# hot_standby_feedback: the primary keeps the rows a replica's query still reads (an export's),
# rather than the replica cancelling that query when their removal is replayed.
exec docker-entrypoint.sh postgres -c hot_standby_feedback=on "$@"
