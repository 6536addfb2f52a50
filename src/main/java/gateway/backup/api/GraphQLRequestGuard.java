package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks every plain GraphQL request before the GraphQL handler sees it: JSON (or
 * {@code application/graphql}) with a Content-Length within the request limit, a {@code query}
 * that is a string, and at most one {@code backup} or {@code restore} per request (aliases
 * included; also verifyBackup, verifyBackupFile and the storage restores), since each holds a whole file. Depth and field counts are limited by graphql-java's
 * instrumentation (application.properties). Also makes answers {@code application/json} unless the
 * client asks for {@code application/graphql-response+json}: the gateway UI accepts nothing else.
 */
@ApplicationScoped
public class GraphQLRequestGuard {

    // Each reads or holds a whole file: restoreFromStorage and the verifies spool one, backup holds one.
    static final Set<String> FILE_OPERATIONS = Set.of("backup", "restore", "verifyBackup", "verifyBackupFile",
            "restoreFromStorage", "restoreChainFromStorage");

    private final long maxRequestSize;

    GraphQLRequestGuard(GatewayBackupConfig config) {
        this.maxRequestSize = config.graphql().maxRequestSize().asLongValue();
    }

    void register(@Observes Router router) {
        // Runs again after /admin/graphql's reroute, before the GraphQL handler picks the answer's type.
        router.route("/graphql").order(-1000).handler(this::preferJson);
        // After the multipart route, which hands on a JSON body of its own.
        router.post("/graphql").order(MultipartGraphQLRoute.ORDER + 1).handler(this::checkHeaders);
        router.post("/graphql").order(MultipartGraphQLRoute.ORDER + 2)
                .handler(BodyHandler.create(false).setBodyLimit(maxRequestSize))
                .handler(this::checkDocument);
    }

    private void preferJson(RoutingContext ctx) {
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank() || accept.trim().equals("*/*")) {
            ctx.request().headers().set(HttpHeaders.ACCEPT, "application/json");
        }
        ctx.next();
    }

    private void checkHeaders(RoutingContext ctx) {
        if (ctx.body().available()) {
            ctx.next(); // a multipart request, already turned into JSON
            return;
        }
        String type = Requests.mediaType(ctx.request());
        Long length = Requests.contentLength(ctx.request());
        if (!type.equals("application/json") && !type.equals("application/graphql")) {
            HttpErrors.answerGraphQL(ctx, 415, "GraphQL requests must be application/json (or a multipart/form-data "
                    + "upload); this one is \"" + type + "\"");
        } else if (length == null || length > maxRequestSize) {
            HttpErrors.answerGraphQL(ctx, 413, "GraphQL requests need a Content-Length of at most " + maxRequestSize
                    + " bytes (gateway-backup.graphql.max-request-size); send files as a multipart request");
        } else {
            ctx.next();
        }
    }

    private void checkDocument(RoutingContext ctx) {
        String query;
        if (Requests.mediaType(ctx.request()).equals("application/graphql")) {
            query = ctx.body().asString();
        } else {
            Object value;
            try {
                value = ctx.body().asJsonObject().getValue("query");
            } catch (DecodeException | ClassCastException e) {
                HttpErrors.answerGraphQL(ctx, 400, "Invalid GraphQL request: the body must be a JSON object "
                        + "with a \"query\" string");
                return;
            }
            if (!(value instanceof String text)) {
                HttpErrors.answerGraphQL(ctx, 400, "Invalid GraphQL request: \"query\" must be a string");
                return;
            }
            query = text;
        }
        int fileOperations;
        try {
            fileOperations = countFileOperations(Parser.parse(query));
        } catch (InvalidSyntaxException e) {
            ctx.next(); // the GraphQL handler reports syntax errors in its own words
            return;
        }
        if (fileOperations > 1) {
            HttpErrors.answerGraphQL(ctx, 400, "A GraphQL request may run at most one backup or restore "
                    + "(this one has " + fileOperations + "); send one request per file");
            return;
        }
        if (fileOperations == 1) {
            Connections.keepOpenWhileWorking(ctx);
        }
        ctx.next();
    }

    /** The most backup, restore and verify fields (aliases included) any one operation of the document selects. */
    static int countFileOperations(Document document) {
        Map<String, FragmentDefinition> fragments = document.getDefinitionsOfType(FragmentDefinition.class).stream()
                .collect(Collectors.toMap(FragmentDefinition::getName, Function.identity(), (a, b) -> a));
        Counter counter = new Counter(fragments);
        int most = 0;
        for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
            // verifyBackupFile is a query that reads a whole file: queries count too.
            if (operation.getOperation() != OperationDefinition.Operation.SUBSCRIPTION) {
                most = Math.max(most, counter.count(operation.getSelectionSet()));
            }
        }
        return most;
    }

    /** Counts top-level backup/restore fields through fragments, each fragment once (no blow-up, no cycles). */
    private record Counter(Map<String, FragmentDefinition> fragments, Map<String, Integer> known) {
        Counter(Map<String, FragmentDefinition> fragments) {
            this(fragments, new HashMap<>());
        }

        int count(SelectionSet set) {
            if (set == null) {
                return 0;
            }
            int count = 0;
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field && FILE_OPERATIONS.contains(field.getName())) {
                    count++;
                } else if (selection instanceof InlineFragment inline) {
                    count += count(inline.getSelectionSet());
                } else if (selection instanceof FragmentSpread spread) {
                    count += fragment(spread.getName());
                }
            }
            return Math.min(count, 1000);
        }

        private int fragment(String name) {
            Integer done = known.get(name);
            if (done != null) {
                return done;
            }
            known.put(name, 0); // a cycle counts nothing here; GraphQL validation refuses it
            int count = fragments.containsKey(name) ? count(fragments.get(name).getSelectionSet()) : 0;
            known.put(name, count);
            return count;
        }
    }
}
