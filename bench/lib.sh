# Shared by the bench scripts: build the service, start it as the image runs it (-Xmx256m,
# serial GC) against a database, mint a token, read its peak RSS. Source it; needs bash.
# BENCH_PORT (default 18080) picks the service's port; BENCH_APP an already built
# quarkus-app directory to run instead of building this checkout (to measure an older build);
# BENCH_JAVA_EXTRA more JVM options (e.g. a JFR recording while profiling).
bench_secret=bench-only-secret-0123456789abcdef0123
bench_port=${BENCH_PORT:-18080}
# As the container image runs it (src/main/docker/Dockerfile.jvm).
bench_java_opts="-Xmx256m -XX:+UseSerialGC -XX:SurvivorRatio=2 ${BENCH_JAVA_EXTRA:-}"
bench_app=${BENCH_APP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/target/quarkus-app}

bench_build() {
  [ -n "${BENCH_APP:-}" ] || (cd "$(dirname "${BASH_SOURCE[0]}")/.." && mvn -B -q package -DskipTests)
}

# bench_start DB: starts the packaged service in the background, sets bench_pid, waits for readiness.
bench_start() {
  local db=$1
  GATEWAY_BACKUP_JWT_SECRET=$bench_secret QUARKUS_HTTP_PORT=$bench_port \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db \
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/$db \
    java $bench_java_opts -jar "$bench_app/quarkus-run.jar" > "/tmp/bench-service-$db.log" 2>&1 &
  bench_pid=$!
  for _ in $(seq 1 60); do
    curl -fs "localhost:$bench_port/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "service did not start; see /tmp/bench-service-$db.log" >&2
  return 1
}

bench_stop() {
  [ -n "${bench_pid:-}" ] || return 0
  kill "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
  bench_pid=
}

bench_token() {
  GATEWAY_BACKUP_JWT_SECRET=$bench_secret "$(dirname "${BASH_SOURCE[0]}")/../scripts/token.sh" 1 owner 7200
}

# Peak resident set size of the service so far, in MB.
bench_peak_rss_mb() {
  awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$bench_pid/status"
}

# Seconds (with decimals) a command takes.
bench_seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

# range V...: "min-max" of integers.
range() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {print lo "-" hi}'; }

# The 1-minute load average, to print beside figures taken on a shared machine.
bench_load() { cut -d' ' -f1 /proc/loadavg; }

# psql_as DB [ARGS]: psql as the service's role, stopping at the first error.
psql_as() { PGPASSWORD=gateway psql -h 127.0.0.1 -U gateway -v ON_ERROR_STOP=1 -q -d "$@"; }

# fresh_db DB: an empty database with the service's schema.
fresh_db() {
  psql_as postgres -c "drop database if exists $1 with (force)" -c "create database $1"
  psql_as "$1" -f "$(dirname "${BASH_SOURCE[0]}")/../src/main/resources/db/migration/V1__gateway_schema.sql"
}

# The columns a backup file's usage sections hold without request logs (BackupFormat; the
# repositories' streamBackupJson), joined with the names the file carries: what the export
# writes, so that psql's baseline copies the same data. Bodies and payloads are left out,
# as the export leaves them out.
bench_request_columns="r.id, r.created_at, r.updated_at, r.api_key_id, r.project_id, r.trace_id, r.data_storage_id,
  r.source, r.model_id, r.reasoning_effort, r.format, r.channel_id, r.external_id, r.status, r.stream, r.client_ip,
  r.metrics_latency_ms, r.metrics_first_token_latency_ms, r.metrics_reasoning_duration_ms, r.content_saved,
  r.content_storage_id, r.content_storage_key, r.content_saved_at,
  p.name as project_name, c.name as channel_name, k.key as api_key_key"
bench_request_from="requests r left join projects p on p.id = r.project_id left join channels c on c.id = r.channel_id
  left join api_keys k on k.id = r.api_key_id"
bench_log_columns="l.id, l.created_at, l.updated_at, l.request_id, l.api_key_id, l.project_id, l.channel_id, l.model_id,
  l.prompt_tokens, l.completion_tokens, l.total_tokens, l.prompt_audio_tokens, l.prompt_cached_tokens,
  l.prompt_write_cached_tokens, l.prompt_write_cached_tokens_5m, l.prompt_write_cached_tokens_1h,
  l.completion_audio_tokens, l.completion_reasoning_tokens, l.completion_accepted_prediction_tokens,
  l.completion_rejected_prediction_tokens, l.source, l.format, l.total_cost, l.cost_items, l.cost_price_reference_id,
  p.name as project_name, c.name as channel_name, k.key as api_key_key"
bench_log_from="usage_logs l left join projects p on p.id = l.project_id left join channels c on c.id = l.channel_id
  left join api_keys k on k.id = l.api_key_id"

# The auto-backup benchmarks' calls; they use the caller's $db and $token.
# gql QUERY: a GraphQL call as the owner.
gql() {
  curl -fsS "localhost:$bench_port/graphql" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"query\": \"$1\"}"
}
# auto_backup: one triggered run, timed until the service logs its end; prints seconds. It watches
# the service's log (a grep of a small file every 0.1 s) rather than asking PostgreSQL: a psql per
# poll took about 25 ms of CPU plus a backend's start, some 4 s of a 2-core machine's CPU per run.
auto_backup() {
  local log=/tmp/bench-service-$db.log ended='auto-backup: \(done\|failed\) ' before start
  before=$(grep -c "$ended" "$log" || true)
  start=$(date +%s.%N)
  gql 'mutation { triggerAutoBackup { success message } }' | grep -q '"success":true'
  while [ "$(grep -c "$ended" "$log" || true)" = "$before" ]; do sleep 0.1; done
  echo "$(date +%s.%N) - $start" | bc
}
