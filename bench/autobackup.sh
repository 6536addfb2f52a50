#!/usr/bin/env bash
# Auto-backup throughput and memory against the export endpoint, on the same data, in one run.
# usage: bench/autobackup.sh [N]   (default 1000000 requests, each with one usage log; BENCH_DB, BENCH_PORT pick others)
# BENCH_STORAGE=s3 backs up to S3 instead of fs: S3Proxy (target/test-peers/s3proxy.jar, which
# `mvn test-compile` copies there) runs as a separate process on loopback over a filesystem store,
# path-style, with a prefix, as the tests run it.
# Seeds gateway_backup_bench (destructive; BENCH_SKIP_SEED=1 reuses it), starts the service at
# -Xmx256m, warms up with one of each, then BENCH_RUNS times (default 3) alternates
#  - export: GET /api/backups/export to /dev/null, and
#  - auto-backup to fs (or S3): triggerAutoBackup into a temp directory, timed from the trigger to the
#    run's "done" line in the service log (once the file is written, synced and verified),
# so both see the same machine load (it is shared and noisy); prints the medians and the service's
# peak RSS over all runs. Both write the same options (channels, models, API keys, usage stats).
# Targets: auto-backup peak RSS under 400 MB, throughput within 10% of the export's.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-1000000}
db=${BENCH_DB:-gateway_backup_bench}
export PGPASSWORD=gateway
dir=$(mktemp -d /tmp/bench-autobackup-XXXXXX)
trap 'bench_stop; rm -rf "$dir"' EXIT
runs=${BENCH_RUNS:-3}
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
bench_build
[ "${BENCH_SKIP_SEED:-0}" = 1 ] || bench/seed.sh "$n" "$db" >/dev/null

psql_as "$db" -c "delete from systems where key = 'system_auto_backup_settings'" \
  -c "delete from data_storages where name = 'bench-autobackup'"
kind=${BENCH_STORAGE:-fs}
if [ "$kind" = s3 ]; then
  s3port=$((bench_port + 100))
  mkdir -p "$dir/s3/bench"   # a folder is a bucket to jclouds' filesystem store
  printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$s3port" s3proxy.authorization=aws-v2-or-v4 \
    s3proxy.identity=bench-access s3proxy.credential=bench-secret-key jclouds.provider=filesystem-nio2 \
    jclouds.identity=local jclouds.credential=local "jclouds.filesystem.basedir=$dir/s3" > "$dir/s3proxy.conf"
  java -Xmx256m -jar target/test-peers/s3proxy.jar --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
  s3pid=$!
  trap 'bench_stop; kill $s3pid 2>/dev/null; rm -rf "$dir"' EXIT
  for _ in $(seq 1 60); do curl -s -o /dev/null "127.0.0.1:$s3port" && break; sleep 0.5; done
  settings="{\"s3\": {\"bucketName\": \"bench\", \"endpoint\": \"http://127.0.0.1:$s3port\", \"region\": \"us-east-1\", \"accessKey\": \"bench-access\", \"secretKey\": \"bench-secret-key\", \"pathStyle\": true, \"prefix\": \"nightly\"}}"
  files="$dir/s3/bench/nightly"
else
  settings="{\"directory\": \"$dir\"}"
  files="$dir"
fi
storage=$(psql_as "$db" -tA -c "insert into data_storages (name, type, settings) values ('bench-autobackup', '$kind', '$settings') returning id" | head -1)
bench_start "$db"
token=$(bench_token)
gql "mutation { updateAutoBackupSettings(input: {dataStorageID: $storage, includeChannels: true, includeModels: true, includeAPIKeys: true, includeModelPrices: true, includeUsageStats: true, includeRequestLogs: false, retentionDays: 0}) }" >/dev/null
url="localhost:$bench_port/api/backups/export?includeChannels=true&includeModels=true&includeAPIKeys=true"
export_once() {
  local start
  start=$(date +%s.%N)
  curl -fsS -H "Authorization: Bearer $token" "$url" -o /dev/null -w '%{size_download}' > "$dir/export-bytes"
  echo "$(date +%s.%N) - $start" | bc
}
# With S3 and rclone on the machine, a third timing: the export piped into the same S3 server by a
# standard S3 client (rclone rcat: multipart, 4 parts at a time), what an operator could run instead;
# it pays the same S3 server's CPU and complete on the same cores as the auto-backup does.
piped=false
if [ "$kind" = s3 ] && command -v rclone >/dev/null; then
  piped=true
  export RCLONE_CONFIG_BENCHS3_TYPE=s3 RCLONE_CONFIG_BENCHS3_PROVIDER=Other RCLONE_CONFIG_BENCHS3_REGION=us-east-1 \
    RCLONE_CONFIG_BENCHS3_ENDPOINT="http://127.0.0.1:$s3port" RCLONE_CONFIG_BENCHS3_ACCESS_KEY_ID=bench-access \
    RCLONE_CONFIG_BENCHS3_SECRET_ACCESS_KEY=bench-secret-key RCLONE_CONFIG_BENCHS3_FORCE_PATH_STYLE=true
fi
export_piped_once() {
  local start
  start=$(date +%s.%N)
  curl -fsS -H "Authorization: Bearer $token" "$url" | env -u AWS_CA_BUNDLE rclone -q rcat benchs3:bench/piped/export.json
  echo "$(date +%s.%N) - $start" | bc
}
export_once >/dev/null   # warm-up (JIT, connections)
auto_backup >/dev/null   # warm-up
export_times=() auto_times=() piped_times=()
for _ in $(seq 1 "$runs"); do
  export_times+=("$(export_once)")
  auto_times+=("$(auto_backup)")
  rm -rf "$files"/axonhub-backup-*   # keep the disk use at one file
  if $piped; then
    piped_times+=("$(export_piped_once)")
    env -u AWS_CA_BUNDLE rclone -q deletefile benchs3:bench/piped/export.json
  fi
done
rss=$(bench_peak_rss_mb)
error=$(psql_as "$db" -tA -c "select value::jsonb->>'last_backup_error' from systems where key = 'system_auto_backup_settings'")
auto_bytes=$(grep 'auto-backup: verified' "/tmp/bench-service-$db.log" | tail -1 | grep -o '[0-9]* bytes' | cut -d' ' -f1)
bench_stop
[ -z "$error" ] || { echo "auto-backup failed: $error" >&2; exit 1; }
export_bytes=$(cat "$dir/export-bytes")
export_s=$(median "${export_times[@]}")
auto_s=$(median "${auto_times[@]}")
echo "export runs: ${export_times[*]}"
echo "auto-backup runs: ${auto_times[*]}"
printf '%-22s %9s %9s %8s %7s\n' what seconds MB MB/s RSS_MB
awk -v s="$export_s" -v b="$export_bytes" -v m="$rss" 'BEGIN { printf "%-22s %9.1f %9.1f %8.1f %7d\n", "export (GET)", s, b / 1e6, b / s / 1e6, m }'
awk -v s="$auto_s" -v b="$auto_bytes" -v m="$rss" -v kind="$kind" 'BEGIN { printf "%-22s %9.1f %9.1f %8.1f %7d\n", "auto-backup to " kind, s, b / 1e6, b / s / 1e6, m }'
awk -v es="$export_s" -v eb="$export_bytes" -v as="$auto_s" -v ab="$auto_bytes" -v m="$rss" 'BEGIN {
  printf "auto-backup / export throughput: %.2f (target >= 0.90); service peak RSS over all runs %d MB (target < 400)\n", (ab / as) / (eb / es), m }'
if $piped; then
  piped_s=$(median "${piped_times[@]}")
  echo "export | rclone rcat runs: ${piped_times[*]}"
  awk -v ps="$piped_s" -v as="$auto_s" 'BEGIN { printf "auto-backup / (export | rclone rcat to the same S3) throughput: %.2f\n", ps / as }'
fi
