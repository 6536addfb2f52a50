# Shared by the bench scripts: build the service, start it as the image runs it (-Xmx256m,
# serial GC) against a database, mint a token, read its peak RSS. Source it; needs bash.
bench_secret=bench-only-secret-0123456789abcdef0123
bench_port=${BENCH_PORT:-18080}
# As the container image runs it (src/main/docker/Dockerfile.jvm).
bench_java_opts="-Xmx256m -XX:+UseSerialGC"

bench_build() {
  (cd "$(dirname "${BASH_SOURCE[0]}")/.." && mvn -B -q package -DskipTests)
}

# bench_start DB: starts the packaged service in the background, sets bench_pid, waits for readiness.
bench_start() {
  local db=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  GATEWAY_BACKUP_JWT_SECRET=$bench_secret QUARKUS_HTTP_PORT=$bench_port \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$db \
  QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://127.0.0.1:5432/$db \
    java $bench_java_opts -jar "$root/target/quarkus-app/quarkus-run.jar" > "/tmp/bench-service-$db.log" 2>&1 &
  bench_pid=$!
  for _ in $(seq 1 60); do
    curl -fs "localhost:$bench_port/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 1
  done
  echo "service did not start; see /tmp/bench-service-$db.log" >&2
  return 1
}

bench_stop() {
  kill "$bench_pid" 2>/dev/null || true
  wait "$bench_pid" 2>/dev/null || true
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

# psql_as DB [ARGS]: psql as the service's role, stopping at the first error.
psql_as() { PGPASSWORD=gateway psql -h 127.0.0.1 -U gateway -v ON_ERROR_STOP=1 -q -d "$@"; }

# fresh_db DB: an empty database with the service's schema.
fresh_db() {
  psql_as postgres -c "drop database if exists $1 with (force)" -c "create database $1"
  psql_as "$1" -f "$(dirname "${BASH_SOURCE[0]}")/../src/main/resources/db/migration/V1__gateway_schema.sql"
}
