package gateway.backup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/graphql-api.md is generated from the schema snapshot (which SchemaTests keeps equal to the
 * running service's schema): a schema change without the docs fails here. After changing the
 * schema: {@code mvn test -Dtest=ApiDocsTests -Ddocs.write=true}. No Quarkus start.
 */
class ApiDocsTests {

    static final Path SCHEMA = Path.of("src/test/resources/schema.graphql");
    static final Path DOC = Path.of("docs/graphql-api.md");
    private static final Pattern FIELD = Pattern.compile("^  (\\w+)(?:\\((.*)\\))?: (.+)$");

    @Test
    void shouldDescribeEveryOperationOfTheSchemaSnapshot() throws Exception {
        String generated = generate(Files.readString(SCHEMA));
        if (Boolean.getBoolean("docs.write")) {
            Files.writeString(DOC, generated);
        }
        assertEquals(generated, Files.readString(DOC),
                DOC + " is out of date: mvn test -Dtest=ApiDocsTests -Ddocs.write=true");
    }

    static String generate(String schema) {
        List<String> lines = schema.lines().toList();
        return """
                # GraphQL API

                Generated from the schema snapshot `src/test/resources/schema.graphql` by `ApiDocsTests`
                (`mvn test -Dtest=ApiDocsTests -Ddocs.write=true`); `SchemaTests` keeps the snapshot equal
                to the schema the service serves. Do not edit by hand.

                `POST /graphql` (also `/admin/graphql`, the gateway UI's path), JSON as the gateway's
                admin UI sends it; `restore` and `verifyBackup` take their file as a GraphQL multipart
                request (see [http-api.md](http-api.md)). Every operation needs an owner token;
                `backup`, `restore` and `restoreFromStorage` at most one per request. Failures of the
                backup and restore mutations are answered in their payload (`success: false` and the
                message), other errors as GraphQL errors.

                """
                + operations("Queries", "Query", lines)
                + operations("Mutations", "Mutation", lines)
                + operations("Subscriptions", "Subscription", lines)
                + "## Types\n\n```graphql\n" + schema.strip() + "\n```\n";
    }

    /** A table of the fields of {@code type Name { ... }}: name and arguments, answer, description. */
    private static String operations(String title, String type, List<String> lines) {
        StringBuilder table = new StringBuilder("## " + title + "\n\n| operation | answers | what it does |\n|---|---|---|\n");
        int start = lines.indexOf("type " + type + " {");
        String description = "";
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.equals("}")) {
                break;
            }
            Matcher field = FIELD.matcher(line);
            if (line.startsWith("  \"")) {
                description = line.strip().replaceAll("^\"|\"$", "");
            } else if (field.matches()) {
                String arguments = field.group(2) == null ? "" : "(" + field.group(2) + ")";
                table.append("| `").append(field.group(1)).append(arguments).append("` | `").append(field.group(3))
                        .append("` | ").append(description.replace("|", "\\|")).append(" |\n");
                description = "";
            }
        }
        return table.append('\n').toString();
    }
}
