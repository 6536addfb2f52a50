package gateway.backup;

import gateway.backup.storage.S3TestServer;
import gateway.backup.storage.WebDavTestServer;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;

/**
 * Part of every {@code @QuarkusTest} application (a bean of the test sources): a handler on the
 * root logger reads every log record, and exceptions attached to it, for the secrets of the test
 * data. A line that holds one goes to {@link #LEAKS}, which {@link SecretWatchExtension} checks
 * after each test class, so the class whose run leaked fails.
 */
@Singleton
public class SecretWatch {

    public static final Path LEAKS = Path.of("target/secret-watch/leaks.txt");
    public static final Path SCANNED = Path.of("target/secret-watch/scanned.txt");

    /** Values of the test data that must never be logged or answered in an error. */
    public static List<String> secrets() {
        return List.of("ah-research-key-0001", "ah-default-key-0002", "sk-upstream-openai-AAAA", "sk-ant-upstream-BBBB",
                "sk-ant-deleted-BBBB", "sk-existing", S3TestServer.SECRET_KEY, WebDavTestServer.PASSWORD,
                // The tests' JWT secret (application.properties: %test falls back to this value).
                System.getenv().getOrDefault("GATEWAY_BACKUP_JWT_SECRET", "dev-only-secret-change-me-0123456789abcdef"));
    }

    /** A JWT: base64url header and claims, both JSON objects. */
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.");

    /** The secret the text holds (or "a JWT"), null when none. */
    public static String secretIn(String text, List<String> secrets) {
        for (String secret : secrets) {
            if (text.contains(secret)) {
                return secret;
            }
        }
        return JWT.matcher(text).find() ? "a JWT" : null;
    }

    static void record(Path file, String line) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line.replace('\n', ' ') + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void watch(@Observes StartupEvent started) {
        List<String> secrets = secrets();
        LogContext.getLogContext().getLogger("").addHandler(new Handler() {
            private long scanned;

            @Override
            public void publish(LogRecord entry) {
                StringBuilder text = new StringBuilder(entry instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                        : String.valueOf(entry.getMessage()));
                for (Throwable e = entry.getThrown(); e != null && e != e.getCause(); e = e.getCause()) {
                    text.append(" | ").append(e);
                }
                String found = secretIn(text.toString(), secrets);
                if (found != null) {
                    record(LEAKS, "log " + entry.getLoggerName() + " holds " + found + ": " + text);
                }
                if (++scanned % 1000 == 1) {
                    record(SCANNED, "scanned " + scanned);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }
}
