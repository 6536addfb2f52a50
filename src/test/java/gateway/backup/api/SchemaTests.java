package gateway.backup.api;

import static gateway.backup.TestApi.asOwner;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The GraphQL schema the running service prints is the committed one, so every API change shows
 * in review. The gateway's admin UI relies on these names: change them only on purpose, then
 * update src/test/resources/schema.graphql with the printed schema.
 */
@QuarkusTest
class SchemaTests {

    @Test
    void shouldServeTheCommittedSchema() throws Exception {
        String committed;
        try (InputStream in = SchemaTests.class.getResourceAsStream("/schema.graphql")) {
            committed = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String printed = asOwner()
                .get("/graphql/schema.graphql").then().statusCode(200).extract().asString();
        assertEquals(committed.strip(), printed.strip(),
                "the GraphQL schema changed: if on purpose, copy the printed schema to src/test/resources/schema.graphql");
    }
}
