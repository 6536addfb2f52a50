#!/usr/bin/env bash
# Mints an HS256 token as the gateway signs them, for local use with curl.
# usage: scripts/token.sh [SUB] [GROUPS] [TTL_SECONDS]    e.g. TOKEN=$(scripts/token.sh 1 owner 3600)
# Signs with GATEWAY_BACKUP_JWT_SECRET (scripts/run.sh's dev secret when unset) and issuer
# GATEWAY_BACKUP_JWT_ISSUER (default gateway). GROUPS is comma-separated (default owner).
set -euo pipefail
sub=${1:-1}
groups=${2:-owner}
ttl=${3:-3600}
secret=${GATEWAY_BACKUP_JWT_SECRET:-dev-only-secret-change-me-0123456789abcdef}
issuer=${GATEWAY_BACKUP_JWT_ISSUER:-gateway}
now=$(date +%s)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
groups_json=$(printf '%s' "$groups" | awk -F, '{for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), $i}')
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","sub":"%s","groups":[%s],"iat":%d,"exp":%d}' \
  "$issuer" "$sub" "$groups_json" "$now" "$((now + ttl))" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$secret" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
