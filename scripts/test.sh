#!/usr/bin/env bash
# Runs the whole test suite against a local PostgreSQL and the storage test servers (set up first if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/dev-db.sh
bash scripts/test-peers.sh
exec mvn -B verify "$@"
