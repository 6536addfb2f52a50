package gateway.backup.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A storage's settings JSON with every secret masked, for showing: an S3 access key keeps at most
 * its last 4 characters; secret keys, passwords, credentials, tokens and any other key whose name
 * looks secret are replaced whole (objects too); user info in URLs is dropped.
 */
final class StorageSettingsMask {

    static final String MASK = "********";
    private static final List<String> SECRET_WORDS = List.of("key", "secret", "password", "passwd", "token", "credential", "auth");

    private StorageSettingsMask() {
    }

    static JsonNode mask(JsonNode settings) {
        if (settings == null) {
            return null;
        }
        JsonNode copy = settings.deepCopy();
        walk(copy, null);
        return copy;
    }

    /** The secret values in the settings (texts only), to scrub from messages. */
    static List<String> secrets(JsonNode settings) {
        List<String> found = new ArrayList<>();
        collect(settings, null, found);
        return found;
    }

    /** The message with every secret of the settings replaced by the mask. */
    static String scrub(String message, JsonNode settings) {
        if (message == null) {
            return null;
        }
        for (String secret : secrets(settings)) {
            if (secret.length() >= 4) {
                message = message.replace(secret, MASK);
            }
        }
        return message;
    }

    private static void walk(JsonNode node, String field) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            List<String> names = new ArrayList<>();
            fields.forEachRemaining(entry -> names.add(entry.getKey()));
            for (String name : names) {
                JsonNode value = object.get(name);
                if (isAccessKey(name) && value.isTextual()) {
                    object.put(name, lastFour(value.asText()));
                } else if (isSecret(name)) {
                    object.put(name, MASK);
                } else if (value.isTextual() && value.asText().contains("@")) {
                    object.set(name, TextNode.valueOf(withoutUserInfo(value.asText())));
                } else {
                    walk(value, name);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(element -> walk(element, field));
        }
    }

    private static void collect(JsonNode node, String field, List<String> found) {
        if (node == null) {
            return;
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(entry -> {
                if (isSecret(entry.getKey()) || isAccessKey(entry.getKey())) {
                    addTexts(entry.getValue(), found);
                } else {
                    collect(entry.getValue(), entry.getKey(), found);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, field, found));
        } else if (node.isTextual() && node.asText().contains("@")) {
            String userInfo = userInfo(node.asText());
            if (userInfo != null) {
                found.add(userInfo);
            }
        }
    }

    private static void addTexts(JsonNode node, List<String> found) {
        if (node.isTextual()) {
            found.add(node.asText());
        } else if (node.isContainerNode()) {
            node.forEach(child -> addTexts(child, found));
        }
    }

    private static boolean isAccessKey(String name) {
        String n = normalise(name);
        return n.equals("accesskey") || n.equals("accesskeyid");
    }

    private static boolean isSecret(String name) {
        String n = normalise(name);
        return SECRET_WORDS.stream().anyMatch(n::contains);
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** At most the last 4 characters, and none of a key too short to hide anything. */
    private static String lastFour(String key) {
        return key.length() < 12 ? MASK : MASK + key.substring(key.length() - 4);
    }

    private static String withoutUserInfo(String text) {
        String userInfo = userInfo(text);
        return userInfo == null ? text : text.replace(userInfo + "@", "");
    }

    private static String userInfo(String text) {
        try {
            return URI.create(text).getRawUserInfo();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
