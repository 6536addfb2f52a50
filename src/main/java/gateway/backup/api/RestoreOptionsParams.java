package gateway.backup.api;

import gateway.backup.restore.ConflictStrategy;
import gateway.backup.restore.RestoreOptions;

/** RestoreOptions from query parameters named and defaulted like RestoreOptionsInput. */
final class RestoreOptionsParams {

    private RestoreOptionsParams() {
    }

    static RestoreOptions from(QueryParameters params) {
        return new RestoreOptions(params.flag("includeProjects", true), params.flag("includeChannels", null),
                params.flag("includeModelPrices", true), params.flag("includeModels", null),
                params.flag("includeAPIKeys", null), params.flag("includeUsageStats", true),
                strategy(params, "channelConflictStrategy", null), strategy(params, "modelConflictStrategy", null),
                strategy(params, "modelPriceConflictStrategy", null), strategy(params, "apiKeyConflictStrategy", null),
                strategy(params, "projectConflictStrategy", ConflictStrategy.skip), params.flag("dryRun", false));
    }

    private static ConflictStrategy strategy(QueryParameters params, String name, ConflictStrategy defaultValue) {
        String value = params.text(name);
        if (value == null || value.isBlank()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("Query parameter " + name + " is required (skip, overwrite or error)");
            }
            return defaultValue;
        }
        try {
            return ConflictStrategy.valueOf(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Query parameter " + name + " must be skip, overwrite or error");
        }
    }
}
