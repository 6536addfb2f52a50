#!/usr/bin/env bash
# Export throughput and memory against psql's \copy of the same tables, in one run.
# usage: bench/backup.sh [N ...]   (default: 100000 1000000 requests, each with one usage log)
# Seeds gateway_backup_bench (destructive), then BENCH_RUNS times (default 3) starts the service
# at -Xmx256m and streams GET /api/backups/export (usage stats on, request logs off) to /dev/null,
# once to warm up and once measured. A JVM's peak RSS varies by 10-15% from one start to the
# next, so each figure is the median of the runs, with the RSS range beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
sizes=("${@:-100000}")
[ $# -eq 0 ] && sizes=(100000 1000000)
runs=${BENCH_RUNS:-3}
db=gateway_backup_bench
export PGPASSWORD=gateway
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
bench_build
printf '%-9s %9s %9s %8s %9s %9s %9s %7s %8s %9s\n' rows export_s rows/s MB/s base_s base_r/s ratio MB RSS_MB RSS_range
rss_by_size=()
for n in "${sizes[@]}"; do
  bench/seed.sh "$n" "$db" >/dev/null
  times=() rsses=()
  for _ in $(seq 1 "$runs"); do
    bench_start "$db"
    token=$(bench_token)
    url="localhost:$bench_port/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true"
    curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null   # warm-up (JIT, connections)
    start=$(date +%s.%N)
    bytes=$(curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null -w '%{size_download}')
    times+=("$(echo "$(date +%s.%N) - $start" | bc)")
    rsses+=("$(bench_peak_rss_mb)")
    # Usage rows written, from the service's summary line of the last backup.
    rows=$(grep 'backup: done' "/tmp/bench-service-$db.log" | tail -1 | grep -o 'usage_[a-z]*=[0-9]*' | cut -d= -f2 | paste -sd+ | bc)
    bench_stop
  done
  seconds=$(median "${times[@]}")
  rss=$(median "${rsses[@]}")
  sorted=($(printf '%s\n' "${rsses[@]}" | sort -n))
  range="${sorted[0]}-${sorted[-1]}"
  rss_by_size+=("$rss")
  base=$(bench_seconds bash -c "psql -h 127.0.0.1 -U gateway -d $db -c \"\\copy (select row_to_json(t) from requests t) to '/dev/null'\" && \
                                psql -h 127.0.0.1 -U gateway -d $db -c \"\\copy (select row_to_json(t) from usage_logs t) to '/dev/null'\"")
  awk -v r="$rows" -v s="$seconds" -v b="$bytes" -v bs="$base" -v m="$rss" -v range="$range" 'BEGIN {
    printf "%-9d %9.1f %9d %8.1f %9.1f %9d %9.2f %7d %8d %9s\n", r, s, r / s, b / s / 1e6, bs, r / bs, (r / s) / (r / bs), b / 1e6, m, range }'
done
if [ "${#rss_by_size[@]}" -gt 1 ]; then
  awk -v first="${rss_by_size[0]}" -v last="${rss_by_size[-1]}" 'BEGIN {
    printf "median peak RSS, largest vs smallest run: %+.1f%% (target within 10%%, under 400 MB)\n", (last - first) * 100 / first }'
fi
