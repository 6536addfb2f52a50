package gateway.backup.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.S3TestServer;
import gateway.backup.storage.StorageContractTests;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StoredFile;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The storage contract against S3Proxy on loopback, path-style, with a prefix that needs normalising. */
class S3StorageTests extends StorageContractTests {

    private static final String PREFIX = "/team-a//backups/";
    private static final String NORMAL_PREFIX = "team-a/backups/";

    private static S3TestServer server;
    private static S3Client client;

    @BeforeAll
    static void startServer() {
        server = S3TestServer.start();
        client = server.client();
    }

    @AfterAll
    static void stopServer() {
        client.close();
        server.close();
    }

    @BeforeEach
    void emptyBucket() throws IOException {
        for (MultipartUpload upload : client.listMultipartUploads(r -> r.bucket(server.bucket())).uploads()) {
            client.abortMultipartUpload(r -> r.bucket(server.bucket()).key(upload.key()).uploadId(upload.uploadId()));
        }
        for (S3Object object : client.listObjectsV2(r -> r.bucket(server.bucket())).contents()) {
            client.deleteObject(r -> r.bucket(server.bucket()).key(object.key()));
        }
    }

    @Override
    protected BackupStorage storage(Tamper tamper) throws IOException {
        Consumer<String> change = switch (tamper) {
            case NONE -> key -> {
            };
            case SHORTEN -> key -> {
                byte[] stored = client.getObjectAsBytes(r -> r.bucket(server.bucket()).key(key)).asByteArray();
                put(key, Arrays.copyOf(stored, stored.length / 2));
            };
            case EMPTY -> key -> put(key, new byte[0]);
        };
        return storage(change);
    }

    private BackupStorage storage(Consumer<String> afterUpload) throws StorageException {
        return new S3Storage(S3Settings.fromJson(server.settings(PREFIX)), S3Storage.MIN_PART_SIZE, afterUpload);
    }

    private static void put(String key, byte[] content) {
        client.putObject(r -> r.bucket(server.bucket()).key(key), RequestBody.fromBytes(content));
    }

    /** Replaces the object with a multipart upload of {@code content} in parts of {@code partSize}. */
    private static void putInParts(String key, byte[] content, int partSize) {
        String uploadId = client.createMultipartUpload(r -> r.bucket(server.bucket()).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        for (int offset = 0, number = 1; offset < content.length; offset += partSize, number++) {
            int part = number;
            byte[] bytes = Arrays.copyOfRange(content, offset, Math.min(content.length, offset + partSize));
            String etag = client.uploadPart(r -> r.bucket(server.bucket()).key(key).uploadId(uploadId).partNumber(part),
                    RequestBody.fromBytes(bytes)).eTag();
            parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
        }
        client.completeMultipartUpload(r -> r.bucket(server.bucket()).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts)));
    }

    private static BackupStorage.Completed complete(BackupStorage storage, String name, byte[] content) throws IOException {
        BackupStorage.PendingFile pending = storage.create(name);
        pending.out().write(content);
        return pending.complete();
    }

    @Override
    protected List<String> leftovers() {
        List<String> found = new ArrayList<>();
        client.listObjectsV2(r -> r.bucket(server.bucket())).contents().forEach(o -> found.add(o.key()));
        client.listMultipartUploads(r -> r.bucket(server.bucket())).uploads()
                .forEach(u -> found.add("pending upload of " + u.key()));
        return found;
    }

    /**
     * Stops the server between parts: S3Proxy killed while it writes a part leaves a file its
     * filesystem store then fails every multipart listing on (HTTP 500), which real stores do not.
     */
    @Override
    protected void breakStorage() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("s3-upload-") && t.getState() == Thread.State.RUNNABLE)) {
            Thread.sleep(20);
        }
        server.stop();
    }

    @Override
    protected void repair() {
        server.restart();
    }

    @Override
    protected String location() {
        return server.bucket();
    }

    @Override
    protected List<String> secrets() {
        return List.of(S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY);
    }

    @Override
    protected void assertBoundedBuffer(BackupStorage.PendingFile pending) {
        S3Storage.Upload upload = assertInstanceOf(S3Storage.Upload.class, pending);
        // one part filling and at most two being sent
        assertTrue(upload.bufferSize() <= 3L * S3Storage.MIN_PART_SIZE, String.valueOf(upload.bufferSize()));
        assertEquals(8, upload.partsSent()); // 40 MiB in 5 MiB parts
    }

    @Test
    void shouldKeepFilesUnderTheNormalisedPrefix() throws IOException {
        put("elsewhere.json", new byte[] {1});
        put(NORMAL_PREFIX + "nested/inner.json", new byte[] {1});
        try (BackupStorage storage = storage()) {
            write(storage, "backup.json", randomBytes(10, 1));

            assertTrue(leftovers().contains(NORMAL_PREFIX + "backup.json"), leftovers().toString());
            assertEquals(List.of("backup.json"), names(storage.list("")));
            assertTrue(storage.stat("elsewhere.json").isEmpty());
        }
    }

    @Test
    void shouldRemoveAStoredFileWhoseMd5DiffersFromWhatWasSent() throws IOException {
        byte[] content = randomBytes(50_000, 2);
        byte[] other = randomBytes(50_000, 3);
        try (BackupStorage storage = storage(key -> put(key, other))) {
            StorageException failure = assertThrows(StorageException.class, () -> write(storage, "backup.json", content));

            assertTrue(failure.getMessage().contains("has ETag"), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    /** S3Proxy's filesystem store, like some other stores, gives a multipart object its plain MD5 as ETag. */
    @Test
    void shouldRemoveAMultipartFileWhoseContentChangedAfterUpload() throws IOException {
        byte[] content = randomBytes(11 * 1024 * 1024, 4);
        byte[] other = randomBytes(11 * 1024 * 1024, 5);
        try (BackupStorage storage = storage(key -> put(key, other))) {
            StorageException failure = assertThrows(StorageException.class, () -> write(storage, "backup.json", content));

            assertTrue(failure.getMessage().contains("has ETag"), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    /** Replaced by a multipart object of the same size and part count: its "md5(part md5s)-N" ETag form differs too. */
    @Test
    void shouldRemoveAMultipartFileReplacedByAnotherMultipartObject() throws IOException {
        byte[] content = randomBytes(11 * 1024 * 1024, 4);
        byte[] other = randomBytes(11 * 1024 * 1024, 5);
        try (BackupStorage storage = storage(key -> putInParts(key, other, S3Storage.MIN_PART_SIZE))) {
            StorageException failure = assertThrows(StorageException.class, () -> write(storage, "backup.json", content));

            assertTrue(failure.getMessage().contains("has ETag"), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    @Test
    void shouldSayTheContentWasCheckedWhenTheEtagMatchesTheMd5OfWhatWasSent() throws IOException {
        try (BackupStorage storage = storage()) {
            BackupStorage.Completed single = complete(storage, "small.json", randomBytes(50_000, 14));
            BackupStorage.Completed multipart = complete(storage, "large.json", randomBytes(11 * 1024 * 1024, 15));

            assertEquals(BackupStorage.Verification.CONTENT, single.verification());
            assertEquals(BackupStorage.Verification.CONTENT, multipart.verification());
            assertEquals(11 * 1024 * 1024, multipart.file().size());
        }
    }

    /** An ETag that is no MD5 leaves the content unchecked (complete() then answers SIZE, and the auto-backup reads back). */
    @Test
    void shouldTakeOnlyAnUnencryptedMd5FormedEtagForAChecksum() {
        String md5 = "\"9e107d9d372bb6826bd81d3542a419d6\"";
        assertTrue(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag(md5).build()));
        assertTrue(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag("9E107D9D372BB6826BD81D3542A419D6-12").build()));
        assertTrue(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag(md5)
                .serverSideEncryption(ServerSideEncryption.AES256).build()));

        assertFalse(S3Storage.etagIsMd5(HeadObjectResponse.builder().build()));
        assertFalse(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag("\"W/1234\"").build()));
        assertFalse(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag(md5)
                .serverSideEncryption(ServerSideEncryption.AWS_KMS).build()));
        assertFalse(S3Storage.etagIsMd5(HeadObjectResponse.builder().eTag(md5).sseCustomerAlgorithm("AES256").build()));
    }

    @Test
    void shouldKeepWritingWhileTwoPartsAreSentAndWaitForTheThird() throws Exception {
        int part = S3Storage.MIN_PART_SIZE;
        byte[] content = randomBytes(3 * part + 1000, 8);
        CountDownLatch release = new CountDownLatch(1);
        List<String> senders = new CopyOnWriteArrayList<>();
        try (BackupStorage storage = new S3Storage(S3Settings.fromJson(server.settings(PREFIX)), part, key -> {
        }, number -> {
            senders.add(Thread.currentThread().getName());
            await(release);
        })) {
            BackupStorage.PendingFile pending = storage.create("backup.json");
            // parts 1 and 2 are held on the upload threads; the caller fills part 3 meanwhile
            assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> pending.out().write(content, 0, 3 * part - 1));
            ExecutorService caller = Executors.newSingleThreadExecutor();
            try {
                Future<?> third = caller.submit(() -> {
                    pending.out().write(content, 3 * part - 1, content.length - (3 * part - 1));
                    return null;
                });
                Thread.sleep(300);
                assertFalse(third.isDone(), "a third part waits for a free buffer");
                release.countDown();
                third.get(30, TimeUnit.SECONDS);
            } finally {
                caller.shutdown();
            }
            StoredFile stored = pending.complete().file();

            assertEquals(content.length, stored.size());
            assertEquals(4, ((S3Storage.Upload) pending).partsSent());
            assertTrue(senders.stream().allMatch(name -> name.startsWith("s3-upload-")), senders.toString());
            try (InputStream in = storage.open("backup.json")) {
                assertArrayEquals(content, in.readAllBytes());
            }
        }
    }

    @Test
    void shouldAbortTheUploadWhenAPartSentInTheBackgroundFails() throws IOException {
        byte[] content = randomBytes(4 * S3Storage.MIN_PART_SIZE + 1000, 9);
        try (BackupStorage storage = new S3Storage(S3Settings.fromJson(server.settings(PREFIX)), S3Storage.MIN_PART_SIZE,
                key -> {
                }, number -> {
                    if (number == 2) {
                        throw SdkClientException.create("connection reset");
                    }
                })) {
            StorageException failure = assertThrows(StorageException.class, () -> write(storage, "backup.json", content));

            assertTrue(failure.getMessage().contains("cannot upload part 2 of backup.json"), failure.getMessage());
            assertTrue(failure.getMessage().contains("upload aborted"), failure.getMessage());
            assertEquals(List.of(), leftovers());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldNameTheBucketButNoKeyWhenTheKeysAreWrong() throws IOException {
        ObjectNode settings = server.settings(PREFIX);
        ((ObjectNode) settings.get("s3")).put("secretKey", "wrong-secret-0123456789");
        try (BackupStorage storage = S3Storage.fromSettings(settings)) {
            StorageException failure = assertThrows(StorageException.class, () -> storage.list(""));

            assertTrue(failure.getMessage().contains(server.bucket()), failure.getMessage());
            assertTrue(failure.getMessage().contains("403"), failure.getMessage());
            assertFalse(failure.getMessage().contains("wrong-secret-0123456789"), failure.getMessage());
            assertFalse(failure.getMessage().contains(S3TestServer.ACCESS_KEY), failure.getMessage());
        }
    }

    @Test
    void shouldReadTheGatewaySettingsAndHideTheKeys() throws StorageException {
        ObjectNode json = server.settings(PREFIX);
        ((ObjectNode) json.get("s3")).put("checksums", "when_supported");

        S3Settings settings = S3Settings.fromJson(json);

        assertEquals(new S3Settings(server.bucket(), server.endpoint(), "us-east-1", S3TestServer.ACCESS_KEY,
                S3TestServer.SECRET_KEY, true, NORMAL_PREFIX, S3Settings.Checksums.WHEN_SUPPORTED), settings);
        assertFalse(settings.toString().contains(S3TestServer.ACCESS_KEY), settings.toString());
        assertFalse(settings.toString().contains(S3TestServer.SECRET_KEY), settings.toString());
        assertEquals(S3Settings.Checksums.WHEN_REQUIRED, S3Settings.fromJson(server.settings(null)).checksums());
        assertEquals("", S3Settings.fromJson(server.settings(null)).prefix());
    }

    @Test
    void shouldRefuseSettingsWithoutBucketOrKeysOrWithABadPrefix() {
        ObjectNode noBucket = server.settings(null);
        ((ObjectNode) noBucket.get("s3")).remove("bucketName");
        ObjectNode noSecret = server.settings(null);
        ((ObjectNode) noSecret.get("s3")).put("secretKey", "");
        ObjectNode badChecksums = server.settings(null);
        ((ObjectNode) badChecksums.get("s3")).put("checksums", "always");

        assertTrue(assertThrows(StorageException.class, () -> S3Settings.fromJson(noBucket)).getMessage()
                .contains("s3.bucketName"));
        assertTrue(assertThrows(StorageException.class, () -> S3Settings.fromJson(noSecret)).getMessage()
                .contains("s3.secretKey"));
        assertTrue(assertThrows(StorageException.class, () -> S3Settings.fromJson(server.settings("a/../b")))
                .getMessage().contains("\"..\""));
        assertTrue(assertThrows(StorageException.class, () -> S3Settings.fromJson(badChecksums)).getMessage()
                .contains("when_required or when_supported"));
    }
}
