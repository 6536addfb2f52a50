#!/usr/bin/env bash
# Seeds a database with realistic gateway data for demos and benchmarks.
# usage: bench/seed.sh N [DB]   (N requests and N usage logs; DB defaults to gateway_backup_bench)
# DESTRUCTIVE: empties the gateway tables of DB first. Creates DB and its schema if needed.
# Data: 5 projects, 20 channels (2 soft-deleted), 30 models, prices, 200 API keys (5 deleted);
# requests spread over 90 days (about 1 in 10 shares its timestamp with another), some with a
# deleted channel, a channel id that does not exist, or no channel; request bodies of 1-2 KB.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:?usage: bench/seed.sh N [DB]}
db=${2:-gateway_backup_bench}
user=${GATEWAY_BACKUP_DB_USER:-gateway}
export PGOPTIONS="--client-min-messages=warning"
export PGPASSWORD=${GATEWAY_BACKUP_DB_PASSWORD:-gateway}
bash scripts/dev-db.sh "$db" >/dev/null
psql_db() { psql -h 127.0.0.1 -U "$user" -d "$db" -v ON_ERROR_STOP=1 -q "$@"; }

start=$(date +%s)
psql_db -f src/main/resources/db/migration/V1__gateway_schema.sql
psql_db -v n="$n" <<'SQL'
set synchronous_commit = off;
truncate projects, channels, models, channel_model_prices, channel_model_price_versions,
         api_keys, requests, usage_logs restart identity;

insert into projects (name, description, profiles)
select case when i = 1 then 'Default' else 'Project ' || i end, 'seeded project ' || i,
       jsonb_build_object('activeProfile', '', 'profiles', jsonb_build_array(
           jsonb_build_object('name', 'p' || i, 'channelIDs', jsonb_build_array(i, i + 1))))
from generate_series(1, 5) i;

insert into channels (type, base_url, name, status, credentials, supported_models, tags, settings, ordering_weight, deleted_at)
select (array['openai', 'anthropic', 'gemini', 'deepseek'])[1 + i % 4], 'https://upstream-' || i || '.example/v1',
       'Channel ' || i, case when i % 5 = 0 then 'disabled' else 'enabled' end,
       jsonb_build_object('apiKey', 'sk-upstream-' || md5(i::text)),
       jsonb_build_array('model-' || i, 'model-' || (i + 1)), '["seed"]'::jsonb,
       '{"modelMappings": []}'::jsonb, i, case when i in (19, 20) then 1700000000 + i else 0 end
from generate_series(1, 20) i;

insert into models (developer, model_id, name, "group", model_card, settings)
select (array['openai', 'anthropic', 'google'])[1 + i % 3], 'model-' || i, 'Model ' || i, 'g' || i % 3,
       jsonb_build_object('contextLength', 128000),
       jsonb_build_object('associations', jsonb_build_array(jsonb_build_object(
           'type', 'channel_model', 'priority', 0, 'disabled', false,
           'channelModel', jsonb_build_object('channelId', 1 + i % 18, 'modelId', 'model-' || i))))
from generate_series(1, 30) i;

insert into channel_model_prices (channel_id, model_id, price, reference_id)
select c, 'model-' || c, jsonb_build_object('items', jsonb_build_array(jsonb_build_object(
           'itemCode', 'prompt_tokens', 'pricing', jsonb_build_object('mode', 'usage_per_unit', 'usagePerUnit', '0.000002')))),
       'price-' || c
from generate_series(1, 18) c;
insert into channel_model_price_versions (channel_id, model_id, channel_model_price_id, price, reference_id)
select channel_id, model_id, id, price, reference_id from channel_model_prices;

insert into api_keys (user_id, project_id, key, name, deleted_at)
select 1, 1 + i % 5, 'ak-' || md5('key' || i), 'key ' || i, case when i % 40 = 0 then 1700000000 else 0 end
from generate_series(1, 200) i;

-- Requests: a body of 1-2 KB per row, distinct per row.
insert into requests (created_at, updated_at, api_key_id, project_id, source, model_id, format,
                      request_body, channel_id, external_id, status, stream, client_ip,
                      metrics_latency_ms, metrics_first_token_latency_ms)
select ts, ts, case when i % 17 = 0 then null else 1 + i % 200 end, 1 + i % 5,
       case when i % 50 = 0 then 'playground' else 'api' end, 'model-' || (1 + i % 30),
       'openai/chat_completions',
       jsonb_build_object('model', 'model-' || (1 + i % 30), 'stream', i % 3 = 0, 'messages', jsonb_build_array(
           jsonb_build_object('role', 'system', 'content', repeat(md5(i::text), 20 + i % 28)),
           jsonb_build_object('role', 'user', 'content', repeat(md5((i + 1)::text), 8)))),
       case when i % 97 = 0 then null when i % 101 = 0 then 19 when i % 103 = 0 then 999999 else 1 + i % 18 end,
       'ext-' || i, case when i % 41 = 0 then 'failed' else 'completed' end, i % 3 = 0, '10.0.' || i % 256 || '.' || i % 7,
       100 + i % 5000, 20 + i % 900
from generate_series(1, :n) i,
     lateral (select date_trunc('second', now()) - make_interval(secs => (case when i % 10 = 0 then i - 1 else i end)
                     * (90.0 * 86400 / greatest(:n, 1)))) t(ts);

insert into usage_logs (created_at, updated_at, request_id, api_key_id, project_id, channel_id, model_id,
                        prompt_tokens, completion_tokens, total_tokens, prompt_cached_tokens,
                        completion_reasoning_tokens, source, format, total_cost, cost_items, cost_price_reference_id)
select r.created_at, r.created_at, r.id, r.api_key_id, r.project_id, r.channel_id, r.model_id,
       100 + r.id % 3000, 10 + r.id % 800, 110 + r.id % 3000 + r.id % 800, (r.id % 4) * 64,
       case when r.id % 6 = 0 then r.id % 200 else 0 end, r.source, r.format,
       (100 + r.id % 3000) * 0.000002 + (10 + r.id % 800) * 0.000008,
       jsonb_build_array(jsonb_build_object('itemCode', 'prompt_tokens', 'quantity', 100 + r.id % 3000)),
       'price-' || coalesce(r.channel_id, 1)
from requests r;
analyze requests;
analyze usage_logs;
SQL
echo "seed: $n requests and $n usage logs in $db in $(( $(date +%s) - start )) s"
