#!/bin/bash
# First start: create the system tables, the root password (MARIADB_ROOT_PASSWORD,
# MARIADB_RANDOM_ROOT_PASSWORD or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD), MARIADB_DATABASE, and
# MARIADB_USER with MARIADB_PASSWORD, as the official image does. Later starts keep what is there.
# The set-up runs on a server with networking off, so the health check's TCP connection fails
# until the real server listens.
set -euo pipefail
log() { printf '%s [stand-in entrypoint] %s\n' "$(date -u +%FT%TZ)" "$*"; }

if [ "${1:-mariadbd}" = mariadbd ] && [ ! -d /var/lib/mysql/mysql ]; then
    if [ -z "${MARIADB_ROOT_PASSWORD:-}" ] && [ -z "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ] \
        && [ -z "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:-}" ]; then
        log "error: database is uninitialized and no root password option is given" >&2
        log "  set one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD" >&2
        exit 1
    fi
    if [ -n "${MARIADB_USER:-}" ] && [ -z "${MARIADB_PASSWORD:-}" ]; then
        log "error: MARIADB_USER is set but MARIADB_PASSWORD is empty" >&2
        exit 1
    fi
    log "initializing the database directory"
    mariadb-install-db --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal \
        --skip-name-resolve >/dev/null
    mariadbd --skip-networking --socket=/run/mysqld/init.sock &
    pid=$!
    for _ in $(seq 1 60); do
        mariadb --socket=/run/mysqld/init.sock -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
        sleep 0.5
    done
    # Values go through SQL string literals: escape backslashes and quotes.
    q() { local v=${1//\\/\\\\}; printf "'%s'" "${v//\'/\\\'}"; }
    root_password=${MARIADB_ROOT_PASSWORD:-}
    if [ -n "${MARIADB_RANDOM_ROOT_PASSWORD:-}" ]; then
        root_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
        log "GENERATED ROOT PASSWORD: $root_password"
    fi
    health_password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    {
        echo "SET @@SESSION.SQL_LOG_BIN=0;"
        # mariadb-install-db also makes root@<container id>, which only warns at every start.
        echo "DROP USER IF EXISTS root@'127.0.0.1', root@'::1';"
        echo "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\\'', @@hostname, '\\'');"
        echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $(q "$root_password");"
        echo "CREATE USER 'root'@'%' IDENTIFIED BY $(q "$root_password");"
        echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
        for host in 127.0.0.1 ::1 localhost; do
            echo "CREATE USER 'healthcheck'@'$host' IDENTIFIED BY $(q "$health_password");"
            echo "GRANT USAGE ON *.* TO 'healthcheck'@'$host';"
        done
        if [ -n "${MARIADB_DATABASE:-}" ]; then
            echo "CREATE DATABASE IF NOT EXISTS \`${MARIADB_DATABASE}\`;"
        fi
        if [ -n "${MARIADB_USER:-}" ]; then
            echo "CREATE USER $(q "$MARIADB_USER")@'%' IDENTIFIED BY $(q "$MARIADB_PASSWORD");"
            if [ -n "${MARIADB_DATABASE:-}" ]; then
                echo "GRANT ALL ON \`${MARIADB_DATABASE}\`.* TO $(q "$MARIADB_USER")@'%';"
            fi
        fi
        echo "FLUSH PRIVILEGES;"
    } | mariadb --socket=/run/mysqld/init.sock -uroot
    printf '[mariadb-client]\nport=3306\nsocket=/run/mysqld/mysqld.sock\nuser=healthcheck\npassword=%s\n' \
        "$health_password" >/var/lib/mysql/.my-healthcheck.cnf
    chmod 600 /var/lib/mysql/.my-healthcheck.cnf
    mariadb-admin --socket=/run/mysqld/init.sock -uroot --password="$root_password" shutdown
    wait "$pid" || true
    log "initialized; starting the server"
fi
exec "$@"
