#!/bin/bash
# The official image's health check, for the options docker-compose.yml uses:
#   --connect             a TCP connection to the server succeeds (the set-up server has none)
#   --innodb_initialized  InnoDB is ready to serve
# Exits 0 when every given check passes.
set -uo pipefail
client=(mariadb --defaults-extra-file=/var/lib/mysql/.my-healthcheck.cnf --skip-ssl)
[ $# -gt 0 ] || { echo "healthcheck.sh: give at least one of --connect, --innodb_initialized" >&2; exit 1; }
for check in "$@"; do
    case $check in
        --connect)
            # Any answer from the server (even access denied) proves it listens on TCP.
            if "${client[@]}" -h 127.0.0.1 --protocol=tcp -e 'SELECT 1' 2>&1 | grep -qF "Can't connect"; then
                echo "healthcheck: cannot connect over TCP" >&2
                exit 1
            fi
            ;;
        --innodb_initialized)
            engines=$("${client[@]}" --protocol=socket -N -B -e \
                "SELECT 1 FROM information_schema.ENGINES WHERE engine='innodb' AND support IN ('YES','DEFAULT','ENABLED')" 2>/dev/null)
            if [ "$engines" != 1 ]; then
                echo "healthcheck: InnoDB is not initialized" >&2
                exit 1
            fi
            ;;
        *)
            echo "healthcheck.sh: this stand-in does not implement $check" >&2
            exit 1
            ;;
    esac
done
