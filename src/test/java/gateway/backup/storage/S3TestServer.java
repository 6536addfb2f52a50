package gateway.backup.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server on loopback for tests: S3Proxy as a child process (the self-contained jar
 * Maven copies to {@code target/test-peers/s3proxy.jar}; in this JVM its jclouds would clash with
 * the Guice of Quarkus' test bootstrap) over jclouds' filesystem-nio2 store in a temp directory, with
 * V2/V4 signatures checked against its own keys. {@link #stop()} then {@link #restart()} brings it
 * back on the same port with the same objects, to test a store that goes away mid-write.
 * <pre>
 * S3TestServer s3 = S3TestServer.start();      // one empty bucket, s3.bucket()
 * ObjectNode settings = s3.settings("team/");  // {"s3": {...}} as the gateway stores it
 * s3.close();
 * </pre>
 */
public final class S3TestServer implements AutoCloseable {

    public static final String ACCESS_KEY = "test-access-AKIA4EXAMPLE";
    public static final String SECRET_KEY = "test-secret-wJalrXUtnFEMI-K7MDENG";

    private final Path directory;
    private final String bucket = "backups-" + UUID.randomUUID().toString().substring(0, 8);
    private final int port;
    private Process process;

    private S3TestServer() throws IOException {
        directory = Files.createTempDirectory("s3proxy-");
        Files.createDirectories(directory.resolve("data").resolve(bucket)); // a folder is a bucket to jclouds
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Files.writeString(directory.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=local",
                "jclouds.credential=local",
                "jclouds.filesystem.basedir=" + directory.resolve("data"), ""));
    }

    /** Starts a server with one empty bucket on a free loopback port. */
    public static S3TestServer start() {
        try {
            S3TestServer server = new S3TestServer();
            server.restart();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again (after {@link #stop()}) on the port it had, with the objects it had. */
    public void restart() {
        String jar = System.getProperty("gateway.backup.test.s3proxy-jar", "target/test-peers/s3proxy.jar");
        if (!Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(jar + " is missing: run the tests through Maven (it copies S3Proxy there)");
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar, "--properties", directory.resolve("s3proxy.conf").toString());
        builder.environment().put("LOG_LEVEL", "info");
        process = LocalServer.start(builder, directory.resolve("s3proxy.log"), port, Duration.ofSeconds(60), "S3Proxy");
    }

    /** Stops the server (connections are refused) until {@link #restart()}. */
    public void stop() {
        LocalServer.stop(process);
    }

    public String bucket() {
        return bucket;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The storage settings JSON as the gateway stores it (path-style, this server's keys), with
     * {@code prefix} when not null.
     */
    public ObjectNode settings(String prefix) {
        ObjectNode settings = new ObjectMapper().createObjectNode();
        ObjectNode s3 = settings.putObject("s3");
        s3.put("bucketName", bucket).put("endpoint", endpoint()).put("region", "us-east-1")
                .put("accessKey", ACCESS_KEY).put("secretKey", SECRET_KEY).put("pathStyle", true);
        if (prefix != null) {
            s3.put("prefix", prefix);
        }
        return settings;
    }

    /** A plain SDK client on this server, to look at (or tamper with) what a storage wrote. */
    public S3Client client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        stop();
        LocalServer.delete(directory);
    }
}
