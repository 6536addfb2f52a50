package gateway.backup.api;

import io.vertx.core.MultiMap;

/** Options given as query parameters, named like the GraphQL input fields, with their defaults. */
final class QueryParameters {

    private final MultiMap params;

    QueryParameters(MultiMap params) {
        this.params = params;
    }

    /** A true/false parameter; {@code defaultValue} null means the parameter is required. */
    boolean flag(String name, Boolean defaultValue) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("Query parameter " + name + " is required (true or false)");
            }
            return defaultValue;
        }
        return switch (value.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Query parameter " + name + " must be true or false");
        };
    }

    String text(String name) {
        return params.get(name);
    }
}
