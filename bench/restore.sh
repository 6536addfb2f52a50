#!/usr/bin/env bash
# Restore throughput and memory against psql's \copy ... from CSV of the same rows, in one run.
# usage: bench/restore.sh [N]   (default 1000000 requests, each with one usage log)
# Seeds BENCH_DB (default gateway_backup_bench; destructive) unless it already holds N
# requests and N logs, exports it (usage stats and API keys, no request logs), then BENCH_RUNS
# times (default 2) starts the service at -Xmx256m against BENCH_RESTORE_DB and restores that
# file through POST /api/backups/import, streamed (curl -T, as psql streams its CSV): into empty
# usage tables right after the start (cold), into emptied tables again (warm), and a third time
# onto the same rows (all duplicates).
# Baseline, after each run: psql \copy ... from CSV of the same columns the restore writes
# (no request bodies: the restore writes {} as the file has none) into an empty schema with
# the same indexes (BENCH_COPY_DB). Figures are medians of the runs; the service's and PostgreSQL's
# CPU seconds of each restore are printed too.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-1000000}
runs=${BENCH_RUNS:-2}
source_db=${BENCH_DB:-gateway_backup_bench}
target_db=${BENCH_RESTORE_DB:-gateway_backup_restore_bench}
copy_db=${BENCH_COPY_DB:-gateway_backup_copy_bench}
export PGPASSWORD=gateway PGOPTIONS="--client-min-messages=warning"
work=$(mktemp -d)
trap 'bench_stop; rm -rf "$work"' EXIT
# A spool directory of this run's own: services of other checkouts may clean the shared default.
export GATEWAY_BACKUP_RESTORE_UPLOAD_DIRECTORY=$work/uploads

bench_build
have=$(psql_as "$source_db" -tAc "select (select count(*) from requests) || ' ' || (select count(*) from usage_logs)" 2>/dev/null || true)
[ "$have" = "$n $n" ] || bench/seed.sh "$n" "$source_db" >/dev/null
bench_start "$source_db"
params="includeChannels=true&includeModels=true&includeAPIKeys=true"
curl -fsS -H "Authorization: Bearer $(bench_token)" "localhost:$bench_port/api/backups/export?$params" -o "$work/backup.json"
bench_stop
size_mb=$(( $(stat -c %s "$work/backup.json") / 1000000 ))

request_columns="id, created_at, updated_at, api_key_id, project_id, trace_id, data_storage_id, source, model_id,
  reasoning_effort, format, request_body, channel_id, external_id, status, stream, client_ip, metrics_latency_ms,
  metrics_first_token_latency_ms, metrics_reasoning_duration_ms, content_saved, content_storage_id,
  content_storage_key, content_saved_at"
csv_select=$(echo $request_columns | sed "s/request_body/'{}'::jsonb/")
psql_as "$source_db" -c "\\copy (select $csv_select from requests) to '$work/requests.csv' csv" \
  -c "\\copy usage_logs to '$work/usage_logs.csv' csv"
import="localhost:$bench_port/api/backups/import?$params&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip"
# CPU seconds of the service and of PostgreSQL's backends on the target database (for "where the time goes").
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local t=0 p
  for p in $(psql_as "$target_db" -tAc "select pid from pg_stat_activity where datname = '$target_db' and pid <> pg_backend_pid()"); do
    t=$((t + $(ticks "$p")))
  done
  echo "$t"
}
# timed_restore VAR: seconds of one restore; appends "jvm/pg" CPU seconds to VAR_cpu.
timed_restore() {
  local j0 p0 s
  j0=$(ticks "$bench_pid") p0=$(pg_ticks)
  s=$(bench_seconds curl -fsS -H "Authorization: Bearer $token" -X POST -T "$work/backup.json" "$import")
  eval "$1_cpu+=(\"$(echo "($(ticks "$bench_pid") - $j0) / 100" | bc -l | xargs printf '%.1f')/$(echo "($(pg_ticks) - $p0) / 100" | bc -l | xargs printf '%.1f')\")"
  eval "$1+=($s)"
}
load_before=$(bench_load)
cold=() warm=() dup=() base=() rsses=() restored=() cold_cpu=() warm_cpu=() dup_cpu=()
for _ in $(seq 1 "$runs"); do
  fresh_db "$target_db"
  bench_start "$target_db"
  token=$(bench_token)
  timed_restore cold
  restored+=("$(psql_as "$target_db" -tAc "select (select count(*) from requests) + (select count(*) from usage_logs)")")
  psql_as "$target_db" -c "truncate requests, usage_logs restart identity"
  timed_restore warm
  timed_restore dup
  restored+=("$(psql_as "$target_db" -tAc "select (select count(*) from requests) + (select count(*) from usage_logs)")")
  rsses+=("$(bench_peak_rss_mb)")
  bench_stop
  fresh_db "$copy_db"
  base+=("$(bench_seconds psql_as "$copy_db" -c "\\copy requests ($(echo $request_columns)) from '$work/requests.csv' csv" \
    -c "\\copy usage_logs from '$work/usage_logs.csv' csv")")
done

rows=$((2 * n))
awk -v r="$rows" -v got="$(range "${restored[@]}")" -v c="$(median "${cold[@]}")" -v w="$(median "${warm[@]}")" \
    -v d="$(median "${dup[@]}")" -v b="$(median "${base[@]}")" -v m="$(median "${rsses[@]}")" -v range="$(range "${rsses[@]}")" \
    -v mb="$size_mb" -v runs="$runs" -v l1="$load_before" -v l2="$(bench_load)" 'BEGIN {
  printf "restore: file of %d MB, %d usage rows; rows after each restore: %s; median of %d runs; load average %s at start, %s at end\n",
    mb, r, got, runs, l1, l2
  printf "%-36s %8s %9s %8s %s\n", "", "seconds", "rows/s", "ratio", "target"
  printf "%-36s %8.1f %9d\n", "psql \\copy from CSV, same columns", b, r / b
  printf "%-36s %8.1f %9d %8.2f %s\n", "restore, cold (first after start)", c, r / c, b / c, ">= 0.5 of psql"
  printf "%-36s %8.1f %9d %8.2f %s\n", "restore, warm", w, r / w, b / w, ">= 0.5 of psql"
  printf "%-36s %8.1f %9d %8.1fx %s\n", "restore onto the same rows (dups)", d, r / d, c / d, ">= 3x faster than cold"
  printf "peak RSS: %d MB (range %s; target < 400)\n", m, range }'
echo "CPU seconds, service/PostgreSQL, per run: cold ${cold_cpu[*]}; warm ${warm_cpu[*]}; onto the same rows ${dup_cpu[*]}"
