package gateway.backup.format;

import java.util.List;

/** The backup file (docs/backup-format.md): version, top-level keys and their order. */
public final class BackupFormat {

    /** The version this service writes. */
    public static final String VERSION = "1.2";
    /** Versions restore accepts. */
    public static final List<String> SUPPORTED_VERSIONS = List.of("1.0", "1.1", "1.2");

    public static final String KEY_VERSION = "version";
    public static final String KEY_TIMESTAMP = "timestamp";
    public static final String PROJECTS = "projects";
    public static final String CHANNELS = "channels";
    public static final String MODELS = "models";
    public static final String CHANNEL_MODEL_PRICES = "channel_model_prices";
    public static final String API_KEYS = "api_keys";
    public static final String USAGE_REQUESTS = "usage_requests";
    public static final String USAGE_LOGS = "usage_logs";

    /** Sections in the order a file is written. */
    public static final List<String> SECTION_ORDER = List.of(PROJECTS, CHANNELS, MODELS, CHANNEL_MODEL_PRICES,
            API_KEYS, USAGE_REQUESTS, USAGE_LOGS);

    /** Reference fields that replace raw ids across instances. */
    public static final String PROJECT_NAME = "project_name";
    public static final String CHANNEL_NAME = "channel_name";
    public static final String API_KEY_KEY = "api_key_key";

    private BackupFormat() {
    }
}
