package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service (target/quarkus-app) as a process of its own, with the image's JVM options. */
final class PackagedService implements AutoCloseable {

    final Process process;
    final int port;
    final Path log;
    final Path uploads;

    private PackagedService(Process process, int port, Path log, Path uploads) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.uploads = uploads;
    }

    /** Starts the service against a database (by name and port on 127.0.0.1) with the given JWT secret. */
    static PackagedService start(Path work, String database, int databasePort, String secret) throws IOException {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path log = work.resolve("service-" + System.nanoTime() + ".log");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(DockerfileIT.javaBinary()));
        for (String option : new DockerfileJvm().javaOptions()) {
            command.add(option.startsWith("-Djava.io.tmpdir=") ? "-Djava.io.tmpdir=" + tmp.toAbsolutePath() : option);
        }
        command.addAll(List.of("-XX:MaxRAM=768m", "-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + databasePort + "/" + database);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + databasePort + "/" + database);
        env.put("QUARKUS_DATASOURCE_USERNAME", "gateway");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "gateway");
        env.put("GATEWAY_BACKUP_JWT_SECRET", secret);
        Path uploads = tmp.resolve("uploads").toAbsolutePath();
        env.put("GATEWAY_BACKUP_RESTORE_UPLOAD_DIRECTORY", uploads.toString());
        return new PackagedService(builder.start(), port, log, uploads);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The status of GET path, or -1 when nothing answers. */
    int status(String path) throws InterruptedException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return -1;
        }
    }

    /** Waits until readiness answers the status (200 ready, 503 not). */
    void awaitReadiness(int status, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the service stopped:\n" + tail());
            if (status("/q/health/ready") == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("readiness never answered " + status + " within " + seconds + " s:\n" + tail());
    }

    String tail() throws IOException {
        String output = Files.readString(log);
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }

    /** SIGKILL: no shutdown hook, no rollback by the service; the database sees the connection drop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
