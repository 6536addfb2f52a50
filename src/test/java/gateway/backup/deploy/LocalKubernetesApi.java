package gateway.backup.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two answers helm's {@code lookup} needs, from a local HTTP server: the v1 resource list and
 * named Secrets (404 for the others). Surefire points KUBECONFIG at the file {@link #start} writes,
 * so chart rendering never reaches whatever listens on localhost:8080 and needs no cluster.
 */
final class LocalKubernetesApi implements AutoCloseable {

    static final Path KUBECONFIG = Path.of("target/helm-tests/kubeconfig");

    private static final String RESOURCES = """
            {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[
             {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""";

    private final HttpServer server;
    /** Secret JSON by "namespace/name". */
    final Map<String, String> secrets = new ConcurrentHashMap<>();

    private LocalKubernetesApi(HttpServer server) {
        this.server = server;
    }

    static LocalKubernetesApi start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            LocalKubernetesApi api = new LocalKubernetesApi(server);
            server.createContext("/", api::answer);
            server.start();
            Files.createDirectories(KUBECONFIG.getParent());
            Files.writeString(KUBECONFIG, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: local
                        cluster:
                          server: http://127.0.0.1:%d
                    contexts:
                      - name: local
                        context:
                          cluster: local
                          user: local
                    current-context: local
                    users:
                      - name: local
                        user: {}
                    """.formatted(server.getAddress().getPort()));
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.split("/");
        String body = null;
        if (path.equals("/api/v1")) {
            body = RESOURCES;
        } else if (parts.length == 7 && parts[3].equals("namespaces") && parts[5].equals("secrets")) {
            body = secrets.get(parts[4] + "/" + parts[6]);
        }
        byte[] bytes = (body != null ? body
                : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
