#!/usr/bin/env bash
# Sizes and times of a full auto-backup and of the incremental one after it, and the cost of age
# encryption on the export, on the same data in one run.
# usage: bench/incremental.sh [N] [NEW]   (default 1000000 requests + logs, then NEW=10000 new ones;
#        BENCH_DB (default gateway_backup_bench_crypto), BENCH_PORT pick others; BENCH_SKIP_SEED=1 reuses the data)
# Seeds BENCH_DB (destructive), starts the service at -Xmx256m with an age recipient (age-keygen),
# then: auto-backup in mode incremental (the first run is full), NEW requests and logs inserted,
# a second run (incremental); then the export plain and with encrypt=true. Prints bytes, seconds
# and the ratios incremental/full and encrypted/plain.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
n=${1:-1000000}
new=${2:-10000}
db=${BENCH_DB:-gateway_backup_bench_crypto}
export PGPASSWORD=gateway
dir=$(mktemp -d /tmp/bench-incremental-XXXXXX)
trap 'bench_stop; rm -rf "$dir"' EXIT
bench_build
[ "${BENCH_SKIP_SEED:-0}" = 1 ] || bench/seed.sh "$n" "$db" >/dev/null
age-keygen -o "$dir/key.txt" 2>/dev/null
export GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS=$(age-keygen -y "$dir/key.txt")
newest() { ls -1 "$dir"/backups/axonhub-backup-* | grep -v manifest | sort | tail -1; }

mkdir -p "$dir/backups"
psql_as "$db" -c "delete from systems where key = 'system_auto_backup_settings'" \
  -c "delete from data_storages where name = 'bench-incremental'"
storage=$(psql_as "$db" -tA -c "insert into data_storages (name, type, settings) values ('bench-incremental', 'fs', '{\"directory\": \"$dir/backups\"}') returning id" | head -1)
bench_start "$db"
token=$(bench_token)
# No recipients in the settings: the auto-backups are encrypted to the environment's (.json.age).
gql "mutation { updateAutoBackupSettings(input: {dataStorageID: $storage, includeChannels: true, includeModels: true, includeAPIKeys: true, includeUsageStats: true, retentionDays: 0, mode: incremental, fullEveryDays: 7, encryptionRecipients: []}) }" >/dev/null
full_s=$(auto_backup)
full_file=$(newest)
psql_as "$db" -v new="$new" <<'SQL'
insert into requests (created_at, updated_at, project_id, source, model_id, format, request_body, channel_id, status, stream, client_ip)
select clock_timestamp(), clock_timestamp(), 1, 'api', 'model-1', 'openai/chat_completions', '{}', 1, 'completed', false, '10.9.9.9'
from generate_series(1, :new);
insert into usage_logs (created_at, updated_at, request_id, project_id, channel_id, model_id, total_tokens, source, format, total_cost)
select clock_timestamp(), clock_timestamp(), id, 1, 1, 'model-1', 10, 'api', 'openai/chat_completions', 0.01
from requests order by id desc limit :new;
SQL
sleep 1   # a new second: a new file name
incr_s=$(auto_backup)
incr_file=$(newest)
error=$(psql_as "$db" -tA -c "select value::jsonb->>'last_backup_error' from systems where key = 'system_auto_backup_settings'")
[ -z "$error" ] || { echo "auto-backup failed: $error" >&2; exit 1; }
case "$incr_file" in *.incremental.json.age) ;; *) echo "the second run was not incremental: $incr_file" >&2; exit 1 ;; esac
url="localhost:$bench_port/api/backups/export?compression=none&includeChannels=true&includeModels=true&includeAPIKeys=true"
plain_s=$(bench_seconds curl -fsS -H "Authorization: Bearer $token" "$url" -o "$dir/plain.json")
age_s=$(bench_seconds curl -fsS -H "Authorization: Bearer $token" "$url&encrypt=true" -o "$dir/export.json.age")
rss=$(bench_peak_rss_mb)
bench_stop
# The age tool opens the encrypted export (head stops reading early: age's broken pipe is expected).
{ age -d -i "$dir/key.txt" "$dir/export.json.age" 2>/dev/null || true; } | head -c 40 | grep -q '"version"' \
  || { echo "age could not decrypt the export" >&2; exit 1; }
size() { stat -c %s "$1"; }
printf '%-28s %12s %9s\n' what bytes seconds
printf '%-28s %12d %9.1f\n' "full auto-backup ($n)" "$(size "$full_file")" "$full_s"
printf '%-28s %12d %9.1f\n' "incremental (+$new)" "$(size "$incr_file")" "$incr_s"
printf '%-28s %12d %9.1f\n' "export" "$(size "$dir/plain.json")" "$plain_s"
printf '%-28s %12d %9.1f\n' "export, encrypt=true" "$(size "$dir/export.json.age")" "$age_s"
awk -v fb="$(size "$full_file")" -v ib="$(size "$incr_file")" -v fs="$full_s" -v is="$incr_s" \
    -v pb="$(size "$dir/plain.json")" -v ab="$(size "$dir/export.json.age")" -v ps="$plain_s" -v as="$age_s" -v m="$rss" 'BEGIN {
  printf "incremental / full: %.4f of the bytes, %.2f of the time\n", ib / fb, is / fs
  printf "encrypted / plain export: %.4f of the bytes, %.2f of the time; service peak RSS %d MB\n", ab / pb, as / ps, m }'
