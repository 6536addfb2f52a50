#!/usr/bin/env bash
# Runs the service on http://localhost:8080 against a local PostgreSQL (set up first if needed:
# installed, started, role and database created). Builds the jar, then starts it in the foreground.
# Outside a demo, set GATEWAY_BACKUP_JWT_SECRET to the gateway's token secret (32+ bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/dev-db.sh
if [ -z "${GATEWAY_BACKUP_JWT_SECRET:-}" ]; then
  export GATEWAY_BACKUP_JWT_SECRET=dev-only-secret-change-me-0123456789abcdef
  echo "run: GATEWAY_BACKUP_JWT_SECRET not set; using the dev secret (scripts/token.sh signs with it)"
fi
mvn -B -q package -DskipTests
# Exit on OutOfMemoryError rather than limp on with dead threads: a supervisor (Kubernetes) restarts it.
exec java -XX:+ExitOnOutOfMemoryError ${JAVA_OPTS:-} -jar target/quarkus-app/quarkus-run.jar
