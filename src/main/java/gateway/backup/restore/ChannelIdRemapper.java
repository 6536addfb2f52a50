package gateway.backup.restore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Channel ids of the backed-up instance → ids of the channels with the same names here, and
 * their re-mapping inside the JSON that embeds channel ids. Ids of channels that the file does
 * not describe stay as they are.
 */
final class ChannelIdRemapper {

    private final Map<Long, Long> newIds = new HashMap<>();

    void map(long oldId, long newId) {
        newIds.put(oldId, newId);
    }

    Long newId(Long oldId) {
        return oldId == null ? null : newIds.get(oldId);
    }

    /** Model settings: associations[].channelModel.channelId, .channelRegex.channelId, .regex/.modelId.exclude[].channelIds. */
    JsonNode remapModelSettings(JsonNode settings) {
        if (settings == null || !settings.path("associations").isArray()) {
            return settings;
        }
        ObjectNode copy = settings.deepCopy();
        for (JsonNode association : copy.get("associations")) {
            remapField(association.path("channelModel"), "channelId");
            remapField(association.path("channelRegex"), "channelId");
            for (String kind : new String[] {"regex", "modelId"}) {
                for (JsonNode exclude : association.path(kind).path("exclude")) {
                    remapArray(exclude.path("channelIDs").isArray() ? exclude.get("channelIDs") : exclude.path("channelIds"));
                }
            }
        }
        return copy;
    }

    /** API key and project profiles: profiles[].channelIDs. */
    JsonNode remapProfiles(JsonNode profiles) {
        if (profiles == null || !profiles.path("profiles").isArray()) {
            return profiles;
        }
        ObjectNode copy = profiles.deepCopy();
        for (JsonNode profile : copy.get("profiles")) {
            remapArray(profile.path("channelIDs"));
        }
        return copy;
    }

    private void remapField(JsonNode parent, String field) {
        if (parent instanceof ObjectNode object && object.path(field).canConvertToLong()) {
            Long mapped = newIds.get(object.get(field).asLong());
            if (mapped != null) {
                object.set(field, LongNode.valueOf(mapped));
            }
        }
    }

    private void remapArray(JsonNode ids) {
        if (ids instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                Long mapped = array.get(i).canConvertToLong() ? newIds.get(array.get(i).asLong()) : null;
                if (mapped != null) {
                    array.set(i, LongNode.valueOf(mapped));
                }
            }
        }
    }
}
