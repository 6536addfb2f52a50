#!/usr/bin/env bash
# Hostile-input probes against the packaged service at -Xmx256m (issue 15): what each request
# gets, how long it takes, and the service's peak RSS and health afterwards. Not a test: figures.
# usage: bench/hostile.sh     (about 1 minute; writes about 20 MB of probe files to a temp dir)
# The baseline is the service surviving: after every probe the owner's whoami and liveness must answer.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
db=gateway_backup_hostile_bench
work=$(mktemp -d)
trap 'bench_stop; rm -rf "$work"' EXIT
export PGOPTIONS="--client-min-messages=warning"

bench_build
fresh_db "$db" >/dev/null
bench_start "$db"
owner=$(bench_token)
member=$(GATEWAY_BACKUP_JWT_SECRET=$bench_secret scripts/token.sh 2 member 7200)
url=localhost:$bench_port
import="$url/api/backups/import?includeChannels=true&includeModels=true&includeAPIKeys=true&channelConflictStrategy=skip&modelConflictStrategy=skip&modelPriceConflictStrategy=skip&apiKeyConflictStrategy=skip"

python3 - "$work" <<'EOF'
import json, sys
work = sys.argv[1]
json.dump({"query": "{" + " ".join(f"a{i}:whoami" for i in range(4000)) + "}"}, open(f"{work}/whoami.json", "w"))
opts = "{includeChannels: true, includeModels: true, includeAPIKeys: false}"
json.dump({"query": "mutation {" + " ".join(f"b{i}: backup(input: {opts}) {{ success data }}" for i in range(60)) + "}"},
          open(f"{work}/backups.json", "w"))
with open(f"{work}/empties.json", "w") as f:
    f.write('{"version":"1.2","usage_requests":[{"id":1,"created_at":"2026-05-01T10:00:00Z","request_body":['
            + ",".join(["{}"] * 4000000) + "]}]}")
EOF
head -c 1G /dev/zero | gzip -1 > "$work/bomb.gz"

alive() {
  local who live
  who=$(curl -s --max-time 10 "$url/graphql" -H "Authorization: Bearer $owner" -H 'Content-Type: application/json' \
    -d '{"query":"{ whoami }"}' -o /dev/null -w '%{http_code}')
  live=$(curl -s --max-time 10 "$url/q/health/live" -o /dev/null -w '%{http_code}')
  echo "owner whoami $who, liveness $live, peak RSS $(bench_peak_rss_mb) MB"
}
codes() { sort | uniq -c | awk '{printf "%s x%s ", $2, $1}'; }

echo "1. aliased whoami x4000 (51 KB), non-owner token, 16 at once, 4 rounds:"
start=$(date +%s.%N)
for _ in 1 2 3 4; do
  for _ in $(seq 16); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$url/graphql" -H "Authorization: Bearer $member" \
      -H 'Content-Type: application/json' --data-binary "@$work/whoami.json" &
  done
  wait
done | codes
echo "in $(echo "$(date +%s.%N) - $start" | bc) s; $(alive)"

echo "2. the same as owner, 16 at once:"
{
  for _ in $(seq 16); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 "$url/graphql" -H "Authorization: Bearer $owner" \
      -H 'Content-Type: application/json' --data-binary "@$work/whoami.json" &
  done
  wait
} | codes
echo "(each: maximum query complexity exceeded); $(alive)"

echo "3. 60 aliased backup fields, owner:"
curl -s --max-time 60 "$url/graphql" -H "Authorization: Bearer $owner" -H 'Content-Type: application/json' \
  --data-binary "@$work/backups.json" -w ' %{http_code}\n'
echo "$(alive)"

echo "4. gzip of 1 GB of zeros ($(( $(stat -c %s "$work/bomb.gz") / 1000 )) KB), import, client gives up after 1 s:"
curl -s -o /dev/null --max-time 1 "$import" -H "Authorization: Bearer $owner" --data-binary "@$work/bomb.gz" || true
sleep 2
echo "spool files left: $(find "${TMPDIR:-/tmp}/gateway-backup-uploads" -type f 2>/dev/null | wc -l); $(alive)"

echo "5. one usage request whose request_body holds 4M empty objects (12 MB), import:"
curl -s --max-time 120 "$import" -H "Authorization: Bearer $owner" --data-binary "@$work/empties.json" -w ' %{http_code}\n'
echo "$(alive)"
