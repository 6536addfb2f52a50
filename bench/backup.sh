#!/usr/bin/env bash
# Export throughput and memory against psql's \copy of the same tables, in one run.
# usage: bench/backup.sh [N ...]   (default: 100000 1000000 requests, each with one usage log)
# Seeds gateway_backup_bench (destructive), runs the service at -Xmx256m, streams
# GET /api/backups/export (usage stats on, request logs off) to /dev/null.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
sizes=("${@:-100000}")
[ $# -eq 0 ] && sizes=(100000 1000000)
db=gateway_backup_bench
export PGPASSWORD=gateway
bench_build
printf '%-9s %9s %9s %8s %9s %9s %9s %7s %8s\n' rows export_s rows/s MB/s base_s base_r/s ratio MB RSS_MB
for n in "${sizes[@]}"; do
  bench/seed.sh "$n" "$db" >/dev/null
  bench_start "$db"
  token=$(bench_token)
  url="localhost:$bench_port/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true"
  curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null   # warm-up (JIT, connections)
  start=$(date +%s.%N)
  bytes=$(curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null -w '%{size_download}')
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  # Usage rows written, from the service's summary line of the last backup.
  rows=$(grep 'backup: done' "/tmp/bench-service-$db.log" | tail -1 | grep -o 'usage_[a-z]*=[0-9]*' | cut -d= -f2 | paste -sd+ | bc)
  rss=$(bench_peak_rss_mb)
  bench_stop
  base=$(bench_seconds bash -c "psql -h 127.0.0.1 -U gateway -d $db -c \"\\copy (select row_to_json(t) from requests t) to '/dev/null'\" && \
                                psql -h 127.0.0.1 -U gateway -d $db -c \"\\copy (select row_to_json(t) from usage_logs t) to '/dev/null'\"")
  awk -v r="$rows" -v s="$seconds" -v b="$bytes" -v bs="$base" -v m="$rss" 'BEGIN {
    printf "%-9d %9.1f %9d %8.1f %9.1f %9d %9.2f %7d %8d\n", r, s, r / s, b / s / 1e6, bs, r / bs, (r / s) / (r / bs), b / 1e6, m }'
done
