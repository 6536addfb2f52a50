#!/usr/bin/env bash
# Restore throughput and memory against psql's \copy ... from CSV of the same rows, in one run.
# usage: bench/restore.sh [N]   (default 1000000 requests, each with one usage log)
# Seeds gateway_backup_bench (destructive), exports it (usage stats and API keys, no request
# logs), then restores that file twice through POST /api/backups/import into an empty
# database with the service at -Xmx256m: the first time inserts, the second finds duplicates.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-1000000}
source_db=gateway_backup_bench
target_db=gateway_backup_restore_bench
copy_db=gateway_backup_copy_bench
export PGPASSWORD=gateway PGOPTIONS="--client-min-messages=warning"
work=$(mktemp -d)
trap 'bench_stop; rm -rf "$work"' EXIT

bench_build
bench/seed.sh "$n" "$source_db" >/dev/null
bench_start "$source_db"
params="includeChannels=true&includeModels=true&includeAPIKeys=true"
curl -fsS -H "Authorization: Bearer $(bench_token)" "localhost:$bench_port/api/backups/export?$params" -o "$work/backup.json"
bench_stop
size_mb=$(( $(stat -c %s "$work/backup.json") / 1000000 ))

# Baseline: the same usage rows loaded by psql from CSV into an empty schema with the same indexes.
psql_as "$source_db" -c "\\copy requests to '$work/requests.csv' csv" -c "\\copy usage_logs to '$work/usage_logs.csv' csv"
fresh_db "$copy_db"
base=$(bench_seconds psql_as "$copy_db" -c "\\copy requests from '$work/requests.csv' csv" \
  -c "\\copy usage_logs from '$work/usage_logs.csv' csv")

fresh_db "$target_db"
bench_start "$target_db"
import="localhost:$bench_port/api/backups/import?$params&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip"
token=$(bench_token)
first=$(bench_seconds curl -fsS -H "Authorization: Bearer $token" --data-binary "@$work/backup.json" "$import")
second=$(bench_seconds curl -fsS -H "Authorization: Bearer $token" --data-binary "@$work/backup.json" "$import")
rss=$(bench_peak_rss_mb)
bench_stop
restored=$(psql_as "$target_db" -tAc "select (select count(*) from requests) + (select count(*) from usage_logs)")

rows=$((2 * n))
awk -v r="$rows" -v got="$restored" -v f="$first" -v s="$second" -v b="$base" -v m="$rss" -v mb="$size_mb" 'BEGIN {
  printf "file: %d MB, %d usage rows; restored rows: %d\n", mb, r, got
  printf "%-22s %8s %10s\n", "", "seconds", "rows/s"
  printf "%-22s %8.1f %10d\n", "psql \\copy from CSV", b, r / b
  printf "%-22s %8.1f %10d\n", "restore (first)", f, r / f
  printf "%-22s %8.1f %10d\n", "restore (duplicates)", s, r / s
  printf "ratio to baseline: %.2f (target >= 0.25); duplicates run %.1fx faster (target >= 2); peak RSS %d MB (target < 400)\n",
    (r / f) / (r / b), f / s, m }'
