-- A small gateway state for backup tests: live and soft-deleted rows of every kind.
insert into projects (id, created_at, updated_at, name, description, status, profiles, deleted_at) values
  (1, '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', 'Default', 'Default project', 'active', '{"activeProfile": "", "profiles": []}', 0),
  (2, '2026-02-03T08:30:00Z', '2026-03-01T09:00:00Z', 'Research', 'Research team', 'active', '{"activeProfile": "fast", "profiles": [{"name": "fast", "channelIDs": [11], "note": null}]}', 0),
  (3, '2026-02-04T08:30:00Z', '2026-02-04T08:30:00Z', 'Old', '', 'archived', null, 1700000000);
insert into channels (id, created_at, updated_at, type, base_url, name, status, credentials, supported_models, manual_models, tags, default_test_model, policies, settings, ordering_weight, endpoints, deleted_at) values
  (11, '2026-01-05T12:00:00Z', '2026-04-01T12:00:00Z', 'openai', 'https://api.openai.com/v1', 'OpenAI Main', 'enabled', '{"apiKeys": ["sk-upstream-openai-AAAA"]}', '["gpt-4o", "gpt-4o-mini"]', '[]', '["prod"]', 'gpt-4o-mini', '{"stream": "unlimited"}', '{"modelMappings": []}', 10, '[]', 0),
  (12, '2026-01-06T12:00:00Z', '2026-04-02T12:00:00Z', 'anthropic', 'https://api.anthropic.com', 'Gone', 'disabled', '{"apiKey": "sk-ant-deleted-BBBB"}', '[]', null, null, null, null, null, 0, null, 1700000000);
insert into models (id, created_at, updated_at, developer, model_id, type, name, icon, "group", model_card, settings, status, remark, deleted_at) values
  (3, '2026-01-07T00:00:00Z', '2026-01-07T00:00:00Z', 'openai', 'gpt-4o', 'chat', 'GPT-4o', 'OpenAI', 'openai', '{"contextLength": 128000}', '{"associations": [{"type": "channel_model", "channelModel": {"channelId": 11, "modelId": "gpt-4o"}}]}', 'enabled', null, 0),
  (4, '2026-01-08T00:00:00Z', '2026-01-08T00:00:00Z', 'openai', 'gpt-3', 'chat', 'GPT-3', '', '', null, null, 'disabled', 'retired', 1700000000);
insert into channel_model_prices (id, channel_id, model_id, price, reference_id, deleted_at) values
  (31, 11, 'gpt-4o', '{"items": [{"itemCode": "prompt_tokens", "pricing": {"mode": "usage_per_unit", "usagePerUnit": "0.0000025"}}]}', 'price-ref-1', 0),
  (32, 12, 'claude', '{"items": []}', 'price-ref-deleted-channel', 0),
  (33, 11, 'gpt-3', '{"items": []}', 'price-ref-deleted', 1700000000);
insert into api_keys (id, created_at, updated_at, user_id, project_id, key, name, type, status, scopes, profiles, deleted_at) values
  (21, '2026-02-10T00:00:00Z', '2026-02-10T00:00:00Z', 1, 2, 'ak-live-secret-21', 'research-bot', 'user', 'enabled', '["read_channels"]', '{"activeProfile": "p1", "profiles": [{"name": "p1", "channelIDs": [11]}]}', 0),
  (22, '2026-02-11T00:00:00Z', '2026-02-11T00:00:00Z', 1, 1, 'ak-deleted-secret-22', 'old', 'user', 'disabled', null, null, 1700000000);
insert into requests (id, created_at, updated_at, api_key_id, project_id, source, model_id, reasoning_effort, format, request_headers, request_body, response_body, response_chunks, channel_id, external_id, status, stream, client_ip, metrics_latency_ms, metrics_first_token_latency_ms) values
  (1001, '2026-05-01T10:00:00.123456Z', '2026-05-01T10:00:02Z', 21, 2, 'api', 'gpt-4o', 'high', 'openai/chat_completions', '{"User-Agent": ["curl"]}', '{"model": "gpt-4o", "messages": [{"role": "user", "content": "hi", "name": null}]}', '{"id": "chatcmpl-1"}', '[{"delta": "he"}]', 11, 'ext-1', 'completed', true, '10.1.2.3', 812, 120),
  (1002, '2026-05-01T10:00:05Z', '2026-05-01T10:00:05Z', null, 1, 'api', 'claude', null, 'anthropic/messages', null, '{}', null, null, 12, null, 'failed', false, '', 0, null);
insert into usage_logs (id, created_at, updated_at, request_id, api_key_id, project_id, channel_id, model_id, prompt_tokens, completion_tokens, total_tokens, prompt_cached_tokens, prompt_write_cached_tokens_5m, source, format, total_cost, cost_items, cost_price_reference_id) values
  (5001, '2026-05-01T10:00:02Z', '2026-05-01T10:00:02Z', 1001, 21, 2, 11, 'gpt-4o', 100, 50, 150, 20, 7, 'api', 'openai/chat_completions', 0.00075, '[{"itemCode": "prompt_tokens", "quantity": 100, "tier": null}]', 'price-ref-1'),
  (5002, '2026-05-01T10:00:05Z', '2026-05-01T10:00:05Z', 1002, null, 1, 12, 'claude', 0, 0, 0, 0, 0, 'api', 'anthropic/messages', 0, null, '');
select setval(pg_get_serial_sequence(t, 'id'), 100000) from unnest(array['projects', 'channels', 'models',
  'channel_model_prices', 'api_keys', 'requests', 'usage_logs']) t;
