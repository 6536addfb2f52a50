#!/usr/bin/env bash
# Makes a local PostgreSQL ready for the service and its tests (idempotent):
# installs Debian's postgresql if missing, starts the cluster if it is down,
# creates the role and the databases. Needs root (or sudo) on a fresh machine.
set -euo pipefail
role=${GATEWAY_BACKUP_DB_USER:-gateway}
password=${GATEWAY_BACKUP_DB_PASSWORD:-gateway}
databases=(${GATEWAY_BACKUP_DB:-gateway_backup} ${GATEWAY_BACKUP_TEST_DB:-gateway_backup_test} "$@")

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "dev-db: installing Debian's postgresql"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /etc/postgresql | sort -n | tail -1)
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "dev-db: starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# As the postgres superuser: over TCP where trust auth allows it, else via the local socket.
superuser_psql() {
  if psql -h 127.0.0.1 -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"
  else
    as_root su postgres -c "psql -d postgres -v ON_ERROR_STOP=1 -qtA $(printf '%q ' "$@")"
  fi
}

superuser_psql -c "do \$\$ begin
  if not exists (select from pg_roles where rolname = '$role') then
    create role \"$role\" login password '$password' createdb;
  end if; end \$\$;"
for db in "${databases[@]}"; do
  if [ -z "$(superuser_psql -c "select 1 from pg_database where datname = '$db'")" ]; then
    superuser_psql -c "create database \"$db\" owner \"$role\""
    echo "dev-db: created database $db"
  fi
done
echo "dev-db: PostgreSQL on 127.0.0.1:5432, role $role, databases ${databases[*]}"
