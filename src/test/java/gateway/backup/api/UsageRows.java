package gateway.backup.api;

import gateway.backup.TestDatabase;

/** Usage rows for job and storage tests: the backup dataset plus N requests with one log each, all distinct. */
final class UsageRows {

    private UsageRows() {
    }

    static void seed(TestDatabase db, int requests) {
        db.runScript("/backup-dataset.sql");
        db.execute("insert into requests (created_at, updated_at, project_id, channel_id, api_key_id, model_id, source, format, "
                + "status, stream, request_body) select timestamp with time zone '2026-06-01T00:00:00Z' + i * interval '1 second', "
                + "now(), 2, 11, 21, 'gpt-4o', 'api', 'openai/chat_completions', 'completed', false, '{}' "
                + "from generate_series(1, " + requests + ") i");
        db.execute("insert into usage_logs (created_at, updated_at, request_id, project_id, channel_id, api_key_id, model_id, "
                + "prompt_tokens, completion_tokens, total_tokens, total_cost, source, format) select r.created_at, now(), r.id, "
                + "2, 11, 21, 'gpt-4o', 10, 5, 15, 0.001, 'api', 'openai/chat_completions' from requests r where r.id > 100000");
    }
}
