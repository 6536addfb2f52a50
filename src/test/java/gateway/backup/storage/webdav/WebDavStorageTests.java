package gateway.backup.storage.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageContractTests;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.WebDavTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The storage contract against rclone's WebDAV server on loopback, in a sub-folder made by the storage. */
class WebDavStorageTests extends StorageContractTests {

    private static final String PATH = "/team a//backups/";

    private static WebDavTestServer server;

    @BeforeAll
    static void startServer() {
        server = WebDavTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void emptyRoot() throws IOException {
        try (Stream<Path> files = Files.walk(server.root())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(server.root())).toList()) {
                Files.delete(file);
            }
        }
    }

    private static Path folder() {
        return server.root().resolve("team a").resolve("backups");
    }

    /** The server keeps files on disk as they are: tampering with the disk file is tampering with the stored one. */
    @Override
    protected BackupStorage storage(Tamper tamper) throws IOException {
        Consumer<URI> change = switch (tamper) {
            case NONE -> uri -> {
            };
            case SHORTEN -> uri -> truncate(onDisk(uri), -1);
            case EMPTY -> uri -> truncate(onDisk(uri), 0);
        };
        return new WebDavStorage(WebDavSettings.fromJson(server.settings(PATH)), change);
    }

    private static Path onDisk(URI uri) {
        String path = uri.getPath();
        return folder().resolve(path.substring(path.lastIndexOf('/') + 1));
    }

    private static void truncate(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size < 0 ? channel.size() / 2 : size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(server.root())) {
            return files.filter(Files::isRegularFile).map(p -> server.root().relativize(p).toString()).sorted().toList();
        }
    }

    @Override
    protected void breakStorage() {
        server.stop();
    }

    @Override
    protected void repair() {
        server.restart();
    }

    @Override
    protected String location() {
        return server.url();
    }

    @Override
    protected List<String> secrets() {
        return List.of(WebDavTestServer.PASSWORD);
    }

    @Override
    protected void assertBoundedBuffer(BackupStorage.PendingFile pending) {
        WebDavStorage.Upload upload = assertInstanceOf(WebDavStorage.Upload.class, pending);
        assertEquals(WebDavStorage.PIPE_BUFFER, upload.bufferSize());
    }

    @Test
    void shouldWriteIntoTheConfiguredFolder() throws IOException {
        try (BackupStorage storage = storage()) {
            write(storage, "backup.json", randomBytes(1000, 1));
        }

        assertEquals(List.of("team a/backups/backup.json"), leftovers());
        assertEquals(1000, Files.size(folder().resolve("backup.json")));
    }

    @Test
    void shouldSayWhenThePasswordIsWrong() throws IOException {
        ObjectNode settings = server.settings(PATH);
        ((ObjectNode) settings.get("webdav")).put("password", "wrong-password-123");
        try (BackupStorage storage = WebDavStorage.fromSettings(settings)) {
            StorageException failure = assertThrows(StorageException.class, () -> storage.list(""));

            assertTrue(failure.getMessage().contains("HTTP 401; check the username and password"), failure.getMessage());
            assertFalse(failure.getMessage().contains("wrong-password-123"), failure.getMessage());
        }
    }

    @Test
    void shouldReadTheGatewaySettingsAndHideThePassword() throws StorageException {
        WebDavSettings settings = WebDavSettings.fromJson(server.settings(PATH));

        assertEquals(URI.create(server.url() + "/team%20a/backups/"), settings.folder());
        assertFalse(settings.toString().contains(WebDavTestServer.PASSWORD), settings.toString());
        assertThrows(StorageException.class, () -> WebDavSettings.fromJson(server.settings("a/../b")));
        ObjectNode noUrl = server.settings(null);
        ((ObjectNode) noUrl.get("webdav")).put("url", "dav.example.com");
        assertTrue(assertThrows(StorageException.class, () -> WebDavSettings.fromJson(noUrl)).getMessage()
                .contains("webdav.url"));
    }
}
