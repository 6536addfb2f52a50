package gateway.backup.api;

import io.vertx.core.MultiMap;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.graphql.DefaultValue;

/**
 * Options given as query parameters, read into the GraphQL input class of the same call: each
 * public field is a parameter of the same name, with the field's {@code @DefaultValue}, or
 * required when it has none. So the HTTP routes and GraphQL share one list of names and defaults.
 */
final class QueryParameters {

    private final MultiMap params;

    QueryParameters(MultiMap params) {
        this.params = params;
    }

    /** A new {@code type} (a GraphQL input class) with every public field read from its parameter. */
    <T> T bind(Class<T> type) {
        try {
            T input = type.getDeclaredConstructor().newInstance();
            for (Field field : publicFields(type)) {
                DefaultValue defaultValue = field.getAnnotation(DefaultValue.class);
                field.set(input, value(field.getName(), field.getType(), defaultValue == null ? null : defaultValue.value()));
            }
            return input;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot bind query parameters to " + type.getSimpleName(), e);
        }
    }

    /** The public instance fields of {@code type} and its superclasses, those of superclasses first, each in declaration order. */
    private static List<Field> publicFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            List<Field> own = Arrays.stream(c.getDeclaredFields())
                    .filter(f -> Modifier.isPublic(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())).toList();
            fields.addAll(0, own);
        }
        return fields;
    }

    /** A true/false parameter; {@code defaultValue} null means the parameter is required. */
    boolean flag(String name, Boolean defaultValue) {
        return (Boolean) value(name, boolean.class, defaultValue == null ? null : defaultValue.toString());
    }

    private Object value(String name, Class<?> type, String defaultValue) {
        String value = params.get(name);
        List<String> allowed = type == boolean.class ? List.of("true", "false")
                : Arrays.stream(type.getEnumConstants()).map(constant -> ((Enum<?>) constant).name()).toList();
        if (value == null || value.isBlank()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("Query parameter " + name + " is required (" + oneOf(allowed) + ")");
            }
            value = defaultValue;
        }
        value = value.trim();
        String match = type == boolean.class ? value.toLowerCase() : value;
        if (!allowed.contains(match)) {
            throw new IllegalArgumentException("Query parameter " + name + " must be " + oneOf(allowed));
        }
        return type == boolean.class ? Boolean.valueOf(match) : enumValue(type, match);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> type, String name) {
        return Enum.valueOf((Class<? extends Enum>) type, name);
    }

    /** "a or b", "a, b or c". */
    private static String oneOf(List<String> values) {
        return String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.get(values.size() - 1);
    }
}
