# Functions to run a throw-away PostgreSQL cluster for tests (sourced, not executed).
# The server refuses to run as root, so as root it runs as the 'postgres' user.

pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
    done
    return 1
}

postgres_install() {
    if ! pg_bindir >/dev/null; then
        echo "installing PostgreSQL from Debian" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
}

postgres_start() {
    postgres_install
    local bindir run_as=()
    bindir=$(pg_bindir)
    PGDATA_DIR=$(mktemp -d /tmp/songgate-pg.XXXXXX)
    PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PGDATA_DIR"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bindir/initdb" -D "$PGDATA_DIR/data" -U songgate --auth=trust \
        --no-sync -E UTF8 >/dev/null
    "${run_as[@]}" "$bindir/pg_ctl" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/log" -w \
        -o "-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null
    POSTGRES_STOP_CMD=("${run_as[@]}" "$bindir/pg_ctl" -D "$PGDATA_DIR/data" -m fast stop)
    # For the tests that take the server down and bring it back (an outage on purpose).
    export SONGGATE_TEST_PG_STOP="${run_as[*]} $bindir/pg_ctl -D $PGDATA_DIR/data -m fast -w stop"
    export SONGGATE_TEST_PG_START="${run_as[*]} $bindir/pg_ctl -D $PGDATA_DIR/data -l $PGDATA_DIR/log -w -o '-p $PGPORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start"
    export PGPORT
}

postgres_stop() {
    if [ -n "${PGDATA_DIR:-}" ]; then
        "${POSTGRES_STOP_CMD[@]}" >/dev/null 2>&1 || true
        rm -rf "$PGDATA_DIR"
    fi
}
