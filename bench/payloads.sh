#!/usr/bin/env bash
# Backup and restore with request logs on, when every request carries a large payload: memory
# must stay bounded by the batch byte limit, not grow with payload size x batch size.
# usage: bench/payloads.sh [N] [KB]   (default 3000 requests with about 200 KB of response chunks each)
# Seeds gateway_backup_bench (destructive), exports it with includeRequestLogs=true through
# GET /api/backups/export and restores that file into an empty database through
# POST /api/backups/import, each with the service at -Xmx256m; baselines: psql \copy of the
# same requests to JSON, and from CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-3000}
kb=$(( ${2:-200} + 0 ))
source_db=${BENCH_DB:-gateway_backup_bench}
target_db=${BENCH_RESTORE_DB:-gateway_backup_restore_bench}
copy_db=${BENCH_COPY_DB:-gateway_backup_copy_bench}
export PGOPTIONS="--client-min-messages=warning"
work=$(mktemp -d)
trap 'bench_stop; rm -rf "$work"' EXIT

bench_build
bench/seed.sh "$n" "$source_db" >/dev/null
# Streamed responses: chunks of about 200 bytes each, distinct per request.
psql_as "$source_db" -c "update requests set response_chunks = (select jsonb_agg(jsonb_build_object(
    'type', 'delta', 'text', md5((id * 100000 + g)::text) || repeat('x', 150))) from generate_series(1, $((kb * 5))) g)"

params="includeChannels=true&includeModels=true&includeAPIKeys=true&includeRequestLogs=true"
bench_start "$source_db"
export_s=$(bench_seconds curl -fsS -H "Authorization: Bearer $(bench_token)" "localhost:$bench_port/api/backups/export?$params" -o "$work/backup.json")
export_rss=$(bench_peak_rss_mb)
bench_stop
size_mb=$(( $(stat -c %s "$work/backup.json") / 1000000 ))
export_base=$(bench_seconds psql_as "$source_db" -c "\\copy (select row_to_json(t) from requests t) to '/dev/null'")

psql_as "$source_db" -c "\\copy requests to '$work/requests.csv' csv"
fresh_db "$copy_db"
import_base=$(bench_seconds psql_as "$copy_db" -c "\\copy requests from '$work/requests.csv' csv")

fresh_db "$target_db"
bench_start "$target_db"
import_s=$(bench_seconds curl -fsS -H "Authorization: Bearer $(bench_token)" -X POST -T "$work/backup.json" \
  "localhost:$bench_port/api/backups/import?$params&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip")
import_rss=$(bench_peak_rss_mb)
bench_stop
restored=$(psql_as "$target_db" -tAc "select count(*) from requests where response_chunks is not null")

awk -v n="$n" -v got="$restored" -v mb="$size_mb" -v es="$export_s" -v eb="$export_base" -v er="$export_rss" \
    -v is="$import_s" -v ib="$import_base" -v ir="$import_rss" 'BEGIN {
  printf "file: %d MB, %d requests with payloads; restored with payloads: %d\n", mb, n, got
  printf "%-8s %8s %8s %10s %8s %8s\n", "", "seconds", "MB/s", "base_s", "ratio", "RSS_MB"
  printf "%-8s %8.1f %8.1f %10.1f %8.2f %8d\n", "export", es, mb / es, eb, eb / es, er
  printf "%-8s %8.1f %8.1f %10.1f %8.2f %8d\n", "import", is, mb / is, ib, ib / is, ir
  printf "peak RSS target: under 400 MB for both\n" }'
