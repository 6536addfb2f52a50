package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes YAML parsed into fabric8's typed model objects. fabric8 keeps fields it does not know
 * in {@code additionalProperties} instead of failing, so {@link #parse} walks every parsed object
 * and fails on any such field: a misspelt or misplaced field fails the test.
 */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The kinds the manifests may contain, each with its typed class. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "Deployment", Deployment.class,
            "Service", Service.class,
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    private Manifests() {
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every non-empty YAML document of a (possibly multi-document) text, typed by its kind. */
    static List<HasMetadata> parse(String yaml, String source) {
        List<HasMetadata> objects = new ArrayList<>();
        try {
            for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                objects.add(typed(document, source));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + source, e);
        }
        return objects;
    }

    private static HasMetadata typed(JsonNode document, String source) throws IOException {
        String kind = document.path("kind").asText();
        String where = source + " (" + kind + " " + document.path("metadata").path("name").asText() + ")";
        if (kind.equals("ServiceMonitor")) {
            // A CRD of the Prometheus Operator: no typed model here, checked by its fields.
            assertEquals("monitoring.coreos.com/v1", document.path("apiVersion").asText(), where);
            return YAML.treeToValue(document, GenericKubernetesResource.class);
        }
        Class<? extends HasMetadata> type = KINDS.get(kind);
        assertNotNull(type, where + ": unexpected kind");
        HasMetadata object = YAML.treeToValue(document, type);
        assertEquals(HasMetadata.getApiVersion(type), object.getApiVersion(), where + ": apiVersion");
        assertNoUnknownFields(object, where);
        return object;
    }

    /** Fails if any object in the tree kept a field its class does not declare. */
    static void assertNoUnknownFields(Object object, String path) {
        if (object == null) {
            return;
        }
        if (object instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                assertNoUnknownFields(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            map.forEach((key, value) -> assertNoUnknownFields(value, path + "." + key));
            return;
        }
        if (!object.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : object.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = invoke(getter, object);
            if (getter.getName().equals("getAdditionalProperties")) {
                Map<?, ?> unknown = (Map<?, ?>) value;
                if (unknown != null && !unknown.isEmpty()) {
                    fail(path + ": unknown field(s) " + unknown.keySet() + " in " + object.getClass().getSimpleName());
                }
            } else {
                assertNoUnknownFields(value, path + "." + getter.getName().substring(3));
            }
        }
    }

    private static Object invoke(Method getter, Object object) {
        try {
            return getter.invoke(object);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(getter.toString(), e);
        }
    }

    static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T single(List<HasMetadata> objects, Class<T> type) {
        List<T> found = ofKind(objects, type);
        assertTrue(found.size() == 1, "expected one " + type.getSimpleName() + ", found " + found.size());
        return found.get(0);
    }
}
