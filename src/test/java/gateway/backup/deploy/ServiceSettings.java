package gateway.backup.deploy;

import gateway.backup.config.GatewayBackupConfig;
import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the service really reads, from its own sources: the environment names of every
 * {@code @ConfigMapping} method (by reflection), the {@code ${NAME}} references in
 * application.properties, and the few Quarkus settings a deployment sets.
 */
final class ServiceSettings {

    static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");

    /** Quarkus' own settings a deployment sets (the database and the HTTP port). */
    static final Set<String> QUARKUS_NAMES = Set.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
            "QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_HTTP_PORT");

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    private ServiceSettings() {
    }

    /** Every environment variable name the service reads. */
    static Set<String> environmentNames() {
        Set<String> names = new TreeSet<>(QUARKUS_NAMES);
        names.addAll(mappingNames(GatewayBackupConfig.class));
        Matcher references = REFERENCE.matcher(read(APPLICATION_PROPERTIES));
        while (references.find()) {
            names.add(references.group(1));
        }
        names.remove("GATEWAY_BACKUP_TEST_DB"); // tests only
        return names;
    }

    /** Environment names of a @ConfigMapping interface's leaves, nested groups included. */
    static Set<String> mappingNames(Class<?> mapping) {
        Set<String> names = new TreeSet<>();
        collect(mapping, mapping.getAnnotation(ConfigMapping.class).prefix(), names);
        return names;
    }

    private static void collect(Class<?> group, String prefix, Set<String> names) {
        for (Method method : group.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() != 0) {
                continue;
            }
            String property = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getPackageName().equals(GatewayBackupConfig.class.getPackageName())) {
                collect(type, property, names);
            } else {
                names.add(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A property of application.properties for the default (prod) profile. */
    static String property(String key) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(APPLICATION_PROPERTIES)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(key);
    }

    /** quarkus.shutdown.delay + quarkus.shutdown.timeout: the longest a SIGTERM'd pod takes to exit. */
    static Duration shutdownTime() {
        return duration(property("quarkus.shutdown.delay")).plus(duration(property("quarkus.shutdown.timeout")));
    }

    private static Duration duration(String value) {
        return Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
