package gateway.backup.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;

/**
 * A real WebDAV server on loopback for tests: {@code rclone serve webdav} (Debian's rclone,
 * installed by scripts/test-peers.sh) over a temp directory, with basic auth. {@link #stop()} then
 * {@link #restart()} brings it back on the same port with the same files.
 * <pre>
 * WebDavTestServer dav = WebDavTestServer.start();  // files under dav.root()
 * ObjectNode settings = dav.settings("team/backups");  // {"webdav": {...}} as the gateway stores it
 * dav.close();
 * </pre>
 */
public final class WebDavTestServer implements AutoCloseable {

    public static final String USERNAME = "backup";
    public static final String PASSWORD = "dav-password-Zq8x3vLm";

    private final Path directory;
    private final int port;
    private Process process;

    private WebDavTestServer() throws IOException {
        directory = Files.createTempDirectory("webdav-");
        Files.createDirectories(root());
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
    }

    /** Starts rclone on a free loopback port; skips the test when rclone is not installed. */
    public static WebDavTestServer start() {
        Assumptions.assumeTrue(onPath("rclone"),
                "rclone is not installed: run scripts/test-peers.sh (apt-get install rclone) to test the WebDAV storage");
        try {
            WebDavTestServer server = new WebDavTestServer();
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The directory the server serves: what a client wrote is there on disk. */
    public Path root() {
        return directory.resolve("root");
    }

    public void restart() {
        // no directory cache, no VFS cache: every request goes to the disk
        process = LocalServer.start(new ProcessBuilder("rclone", "serve", "webdav", root().toString(),
                "--addr", "127.0.0.1:" + port, "--user", USERNAME, "--pass", PASSWORD,
                "--dir-cache-time", "0s", "--vfs-cache-mode", "off", "--config", "/dev/null"),
                directory.resolve("rclone.log"), port, Duration.ofSeconds(30), "rclone serve webdav");
    }

    public void stop() {
        LocalServer.stop(process);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The storage settings JSON as the gateway stores it, with {@code path} when not null. */
    public ObjectNode settings(String path) {
        ObjectNode settings = new ObjectMapper().createObjectNode();
        ObjectNode webdav = settings.putObject("webdav");
        webdav.put("url", url()).put("username", USERNAME).put("password", PASSWORD).put("insecure_skip_tls", false);
        if (path != null) {
            webdav.put("path", path);
        }
        return settings;
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stop();
        LocalServer.delete(directory);
    }
}
