#!/usr/bin/env bash
# Export throughput and memory against psql's \copy of the same rows, in one run, cold and warm.
# usage: bench/backup.sh [N ...]   (default: 1000000 requests, each with one usage log)
# Seeds BENCH_DB (default gateway_backup_bench; destructive) unless it already holds N requests
# and N logs, then BENCH_RUNS times (default 2) starts the service at -Xmx256m and streams
# GET /api/backups/export (usage stats and API keys on, request logs off) to /dev/null: first
# call after the start (cold), a second one (warm), a third with compression=gzip (warm).
# Baseline, after each run: psql \copy (select row_to_json(t) ...) of the same columns the
# export writes (no request bodies; project, channel and key names joined in), both tables.
# Figures are medians of the runs; the peak RSS (all three calls) with its range.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
sizes=("${@:-1000000}")
runs=${BENCH_RUNS:-2}
db=${BENCH_DB:-gateway_backup_bench}
export PGPASSWORD=gateway
trap bench_stop EXIT
bench_build
for n in "${sizes[@]}"; do
  have=$(psql_as "$db" -tAc "select (select count(*) from requests) || ' ' || (select count(*) from usage_logs)" 2>/dev/null || true)
  [ "$have" = "$n $n" ] || bench/seed.sh "$n" "$db" >/dev/null
  load_before=$(bench_load)
  cold=() warm=() gzip=() base=() rsses=()
  for _ in $(seq 1 "$runs"); do
    bench_start "$db"
    token=$(bench_token)
    url="localhost:$bench_port/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true"
    get() { curl -fsS -H "Authorization: Bearer $token" "$1" -o /dev/null -w '%{size_download}'; }
    start=$(date +%s.%N); bytes=$(get "$url"); cold+=("$(echo "$(date +%s.%N) - $start" | bc)")
    start=$(date +%s.%N); get "$url" >/dev/null; warm+=("$(echo "$(date +%s.%N) - $start" | bc)")
    start=$(date +%s.%N); gzip_bytes=$(get "$url&compression=gzip"); gzip+=("$(echo "$(date +%s.%N) - $start" | bc)")
    rsses+=("$(bench_peak_rss_mb)")
    # Usage rows written, from the service's summary line of the last backup.
    rows=$(grep 'backup: done' "/tmp/bench-service-$db.log" | tail -1 | grep -o 'usage_[a-z]*=[0-9]*' | cut -d= -f2 | paste -sd+ | bc)
    bench_stop
    base+=("$(bench_seconds psql_as "$db" \
      -c "\\copy (select row_to_json(t) from (select $(echo $bench_request_columns) from $(echo $bench_request_from)) t) to '/dev/null'" \
      -c "\\copy (select row_to_json(t) from (select $(echo $bench_log_columns) from $(echo $bench_log_from)) t) to '/dev/null'")")
  done
  awk -v r="$rows" -v b="$(median "${base[@]}")" -v c="$(median "${cold[@]}")" -v w="$(median "${warm[@]}")" \
      -v g="$(median "${gzip[@]}")" -v mb="$bytes" -v gmb="$gzip_bytes" -v m="$(median "${rsses[@]}")" \
      -v range="$(range "${rsses[@]}")" -v runs="$runs" -v l1="$load_before" -v l2="$(bench_load)" 'BEGIN {
    printf "export: %d usage rows, %.0f MB plain, %.0f MB gzip; median of %d runs; load average %s at start, %s at end\n",
      r, mb / 1e6, gmb / 1e6, runs, l1, l2
    printf "%-36s %8s %9s %8s %s\n", "", "seconds", "rows/s", "ratio", "target"
    printf "%-36s %8.1f %9d\n", "psql \\copy row_to_json, same columns", b, r / b
    printf "%-36s %8.1f %9d %8.2f %s\n", "export, cold (first after start)", c, r / c, b / c, ">= 0.8 of psql"
    printf "%-36s %8.1f %9d %8.2f %s\n", "export, warm", w, r / w, b / w, ">= 1.0 of psql"
    printf "%-36s %8.1f %9d %8.2f %s\n", "export, gzip (warm)", g, r / g, w / g, ">= 0.7 of warm plain"
    printf "peak RSS: %d MB (range %s; target < 400)\n", m, range }'
done
