package gateway.backup.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Channel id remapping on its own: no database, no Quarkus. */
class ChannelIdRemapperTests {

    static final ObjectMapper JSON = new ObjectMapper();

    static ChannelIdRemapper remapper() {
        ChannelIdRemapper remapper = new ChannelIdRemapper();
        remapper.map(11, 101);
        remapper.map(12, 102);
        return remapper;
    }

    @Test
    void shouldRemapChannelIdsInModelAssociations() throws Exception {
        JsonNode settings = JSON.readTree("""
                {"associations": [
                  {"channelModel": {"channelId": 11, "modelId": "gpt-4o"}},
                  {"channelRegex": {"channelId": 12, "pattern": ".*"}},
                  {"regex": {"exclude": [{"channelIds": [11, 99]}]}},
                  {"modelId": {"exclude": [{"channelIDs": [12]}]}}]}""");

        JsonNode remapped = remapper().remapModelSettings(settings);

        assertEquals(101, remapped.at("/associations/0/channelModel/channelId").asLong());
        assertEquals(102, remapped.at("/associations/1/channelRegex/channelId").asLong());
        assertEquals("[101,99]", remapped.at("/associations/2/regex/exclude/0/channelIds").toString(),
                "an id the file does not describe stays");
        assertEquals("[102]", remapped.at("/associations/3/modelId/exclude/0/channelIDs").toString());
        assertEquals(11, settings.at("/associations/0/channelModel/channelId").asLong(), "the input is not changed");
    }

    @Test
    void shouldRemapChannelIdsInProfiles() throws Exception {
        JsonNode profiles = JSON.readTree("{\"profiles\": [{\"name\": \"p\", \"channelIDs\": [12, 11]}]}");

        assertEquals("[102,101]", remapper().remapProfiles(profiles).at("/profiles/0/channelIDs").toString());
    }

    @Test
    void shouldLeaveJsonWithoutChannelIdsAsItIs() throws Exception {
        JsonNode other = JSON.readTree("{\"temperature\": 0.2}");
        assertEquals(other, remapper().remapModelSettings(other));
        assertEquals(other, remapper().remapProfiles(other));
        assertNull(remapper().remapModelSettings(null));
        assertEquals(101L, remapper().newId(11L));
        assertNull(remapper().newId(13L));
    }
}
