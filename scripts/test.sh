#!/usr/bin/env bash
# Runs the whole test suite against a local PostgreSQL (set up first if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/dev-db.sh
exec mvn -B verify "$@"
