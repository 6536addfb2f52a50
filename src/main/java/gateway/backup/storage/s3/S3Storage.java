package gateway.backup.storage.s3;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StorageNames;
import gateway.backup.storage.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A bucket and a folder in it, over the AWS SDK v2 with the JDK's HTTP client. A file is written
 * as a multipart upload, parts sent in the background while the next is filled (so memory stays at
 * three parts, whatever the file's size); a file smaller than a part is sent with one PutObject.
 * After the upload the object is headed and its size and ETag (the MD5 S3 keeps) compared with
 * what was sent. Every method blocks on the SDK's I/O: call it on a worker thread, never on the event loop.
 */
public final class S3Storage implements BackupStorage {

    /** 8 MiB parts: 10,000 parts (S3's limit) allow files up to about 78 GiB. */
    public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
    /** S3's smallest part but the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** Parts uploaded at once while the caller fills the next: enough to keep a loopback or LAN store busy. */
    static final int PARTS_IN_FLIGHT = 2;

    /**
     * Part buffers kept between files, at most 1 + PARTS_IN_FLIGHT. Arrays of a part's size outlive
     * the young generation and were promoted, each file leaving its buffers as old-generation garbage
     * (about 32 MiB a run with its manifest): the heap grew to its maximum and the RSS with it.
     */
    private static final Deque<byte[]> pool = new ArrayDeque<>();
    private static final AtomicInteger threadNumber = new AtomicInteger();
    private static final ThreadFactory uploadThreads = task -> {
        Thread thread = new Thread(task, "s3-upload-" + threadNumber.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    };

    private final S3Settings settings;
    private final S3Client client;
    private final int partSize;
    private final Consumer<String> afterUpload;
    private final IntConsumer beforePart;

    public S3Storage(S3Settings settings) {
        this(settings, DEFAULT_PART_SIZE, key -> {
        });
    }

    S3Storage(S3Settings settings, int partSize, Consumer<String> afterUpload) {
        this(settings, partSize, afterUpload, number -> {
        });
    }

    /**
     * @param afterUpload called with the object's key between the upload and its verification;
     *                    tests use it to change the stored object
     * @param beforePart  called on the upload thread with a part's number before it is sent; tests
     *                    use it to hold or fail a part
     */
    S3Storage(S3Settings settings, int partSize, Consumer<String> afterUpload, IntConsumer beforePart) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size " + partSize + " is below S3's minimum " + MIN_PART_SIZE);
        }
        this.settings = settings;
        this.partSize = partSize;
        this.afterUpload = afterUpload;
        this.beforePart = beforePart;
        this.client = buildClient(settings);
    }

    /** From the gateway's settings JSON: {@code {"s3": {...}}}. */
    public static S3Storage fromSettings(JsonNode json) throws StorageException {
        return new S3Storage(S3Settings.fromJson(json));
    }

    static S3Client buildClient(S3Settings settings) {
        boolean supported = settings.checksums() == S3Settings.Checksums.WHEN_SUPPORTED;
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60))
                        .build())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .forcePathStyle(settings.pathStyle())
                // HttpURLConnection handles "Expect: 100-continue" poorly (uploads stalled for seconds).
                // Parts are re-readable byte arrays, so over http the SDK signs each one whole instead of
                // in aws-chunked frames: less CPU here, and S3Proxy reads aws-chunked bodies a byte a call.
                .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false)
                        .chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(supported ? RequestChecksumCalculation.WHEN_SUPPORTED
                        : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(supported ? ResponseChecksumValidation.WHEN_SUPPORTED
                        : ResponseChecksumValidation.WHEN_REQUIRED);
        if (!settings.endpoint().isEmpty()) {
            builder.endpointOverride(URI.create(settings.endpoint()));
        }
        return builder.build();
    }

    public int partSize() {
        return partSize;
    }

    @Override
    public PendingFile create(String name) throws StorageException {
        return new Upload(name, key(name));
    }

    @Override
    public List<StoredFile> list(String prefix) throws StorageException {
        List<StoredFile> files = new ArrayList<>();
        try {
            // The delimiter keeps objects in sub-folders of the prefix out: only this folder's files.
            for (S3Object object : client.listObjectsV2Paginator(r -> r.bucket(settings.bucketName())
                    .prefix(settings.prefix() + prefix).delimiter("/")).contents()) {
                files.add(new StoredFile(object.key().substring(settings.prefix().length()), object.size(),
                        object.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("cannot list files", e);
        }
        return files;
    }

    @Override
    public Optional<StoredFile> stat(String name) throws StorageException {
        String key = key(name);
        try {
            HeadObjectResponse head = client.headObject(r -> r.bucket(settings.bucketName()).key(key));
            return Optional.of(new StoredFile(name, head.contentLength(), head.lastModified()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("cannot stat " + name, e);
        }
    }

    @Override
    public InputStream open(String name) throws StorageException {
        String key = key(name);
        try {
            return client.getObject(r -> r.bucket(settings.bucketName()).key(key));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                throw new StorageException("No file " + name + " in " + describe());
            }
            throw failure("cannot read " + name, e);
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        String key = key(name);
        try {
            client.deleteObject(r -> r.bucket(settings.bucketName()).key(key));
        } catch (SdkException e) {
            throw failure("cannot delete " + name, e);
        }
    }

    @Override
    public String describe() {
        return settings.describe();
    }

    @Override
    public void close() {
        client.close();
    }

    private String key(String name) throws StorageException {
        return settings.prefix() + StorageNames.requireFileName(name, describe());
    }

    private static boolean isNotFound(SdkException e) {
        return e instanceof S3Exception s3 && s3.statusCode() == 404;
    }

    /**
     * A StorageException naming the storage, with the store's error code and message but never the
     * SDK exception itself as cause: its text can quote request headers, so keys are scrubbed.
     */
    StorageException failure(String what, SdkException e) {
        String detail;
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            detail = "HTTP " + s3.statusCode() + " " + s3.awsErrorDetails().errorCode() + ": "
                    + s3.awsErrorDetails().errorMessage();
        } else {
            detail = e.getMessage();
        }
        return new StorageException(describe() + ": " + what + ": " + scrub(detail));
    }

    private String scrub(String text) {
        if (text == null) {
            return "";
        }
        return text.replace(settings.secretKey(), "***").replace(settings.accessKey(), "***");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    /**
     * One file being written. Bytes fill a part buffer; a full buffer is handed to this upload's own
     * threads (at most {@link #PARTS_IN_FLIGHT} parts at a time) while the caller fills the next one,
     * so encoding and uploading overlap and file bytes in memory never exceed
     * {@code (1 + PARTS_IN_FLIGHT)} part buffers, whatever the file's size. Buffers are reused. The
     * multipart upload starts with the first full part. The caller's methods block (a worker thread,
     * never the event loop); the SDK's blocking calls run on the caller or on the upload threads.
     */
    public final class Upload extends OutputStream implements PendingFile {
        private final String name;
        private final String key;
        /** Parts being uploaded, oldest first: completed in order, so the part list stays sorted. */
        private final Deque<Sending> sending = new ArrayDeque<>();
        private final Deque<byte[]> spare = new ArrayDeque<>();
        private final List<CompletedPart> parts = new ArrayList<>();
        private final MessageDigest partDigests = md5();
        /**
         * The whole file's MD5, for stores that give a multipart object its plain MD5 as ETag (S3Proxy's
         * filesystem store does): without it their ETag could not be compared and the auto-backup would
         * read the whole file back (measured: slower than this second MD5 pass).
         */
        private final MessageDigest fileDigest = md5();
        private byte[] buffer = takeBuffer(partSize);
        private int buffers = 1;
        private int filled;
        private long written;
        private ExecutorService uploader;
        private volatile String uploadId;
        private volatile boolean finished;
        private boolean completed;
        private boolean uploadAborted;

        Upload(String name, String key) {
            this.name = name;
            this.key = key;
        }

        /** The memory this write has held for file bytes: its part buffers, at most 1 + PARTS_IN_FLIGHT. */
        public long bufferSize() {
            return (long) buffers * partSize;
        }

        /** Parts sent so far (0 while the file fits in one buffer). */
        public int partsSent() {
            return parts.size();
        }

        @Override
        public OutputStream out() {
            return this;
        }

        @Override
        public void write(int b) throws IOException {
            requireOpen();
            buffer[filled++] = (byte) b;
            written++;
            if (filled == buffer.length) {
                sendPart();
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            requireOpen();
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                written += n;
                if (filled == buffer.length) {
                    sendPart();
                }
            }
        }

        /** Hands the filled buffer to an upload thread and takes a free one, waiting for the oldest part if none is. */
        private void sendPart() throws StorageException {
            if (uploadId == null) {
                uploader = Executors.newFixedThreadPool(PARTS_IN_FLIGHT, uploadThreads);
                try {
                    uploadId = client.createMultipartUpload(r -> r.bucket(settings.bucketName()).key(key)
                            .contentType("application/json")).uploadId();
                } catch (SdkException e) {
                    uploader.shutdown();
                    throw fail("cannot start the upload of " + name, e);
                }
            }
            int number = parts.size() + sending.size() + 1;
            byte[] full = buffer;
            int length = filled;
            fileDigest.update(full, 0, length); // here, in the file's order
            try {
                sending.add(new Sending(full, uploader.submit(() -> uploadPart(number, full, length))));
            } catch (RejectedExecutionException e) {
                throw new StorageException(describe() + ": " + name + " was aborted");
            }
            while (!sending.isEmpty() && sending.peek().result().isDone()) {
                spare.add(finishOldest());
            }
            buffer = !spare.isEmpty() ? spare.poll() : sending.size() <= PARTS_IN_FLIGHT ? newBuffer() : finishOldest();
            filled = 0;
        }

        private byte[] newBuffer() {
            buffers++;
            return takeBuffer(partSize);
        }

        /** On an upload thread: one part, with its MD5 as Content-MD5 (the store checks it). */
        private Sent uploadPart(int number, byte[] bytes, int length) {
            beforePart.accept(number);
            byte[] md5 = md5Of(bytes, length);
            String etag = client.uploadPart(r -> r.bucket(settings.bucketName()).key(key).uploadId(uploadId)
                    .partNumber(number).contentLength((long) length)
                    .contentMD5(Base64.getEncoder().encodeToString(md5)), body(bytes, length)).eTag();
            return new Sent(CompletedPart.builder().partNumber(number).eTag(etag).build(), md5);
        }

        /** Waits for the oldest part in flight and records it; returns its buffer for reuse. */
        private byte[] finishOldest() throws StorageException {
            Sending oldest = sending.poll();
            int number = parts.size() + 1;
            try {
                Sent sent = oldest.result().get();
                partDigests.update(sent.md5());
                parts.add(sent.part());
                return oldest.buffer();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SdkException sdk) {
                    throw fail("cannot upload part " + number + " of " + name, sdk);
                }
                abort();
                throw new StorageException(describe() + ": cannot upload part " + number + " of " + name + ": "
                        + e.getCause().getClass().getSimpleName() + (uploadAborted ? "; upload aborted" : ""));
            } catch (CancellationException e) {
                throw new StorageException(describe() + ": " + name + " was aborted");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort();
                throw new StorageException(describe() + ": interrupted while uploading " + name);
            }
        }

        /** Aborts the upload and describes the failure. */
        private StorageException fail(String what, SdkException e) {
            abort();
            return failure(what + (uploadAborted ? "; upload aborted" : ""), e);
        }

        private void requireOpen() throws StorageException {
            if (finished) {
                throw new StorageException(describe() + ": " + name + " is already complete or aborted");
            }
        }

        @Override
        public Completed complete() throws IOException {
            requireOpen();
            String multipartEtag = null;
            if (uploadId == null) {
                byte[] md5 = md5Of(buffer, filled);
                fileDigest.update(buffer, 0, filled);
                try {
                    client.putObject(r -> r.bucket(settings.bucketName()).key(key).contentType("application/json")
                            .contentLength((long) filled).contentMD5(Base64.getEncoder().encodeToString(md5)),
                            body(buffer, filled));
                } catch (SdkException e) {
                    throw fail("cannot finish " + name, e);
                }
                spare.add(buffer);
            } else {
                if (filled > 0) {
                    sendPart();
                }
                while (!sending.isEmpty()) {
                    spare.add(finishOldest());
                }
                spare.add(buffer);
                uploader.shutdown();
                try {
                    client.completeMultipartUpload(r -> r.bucket(settings.bucketName()).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                } catch (SdkException e) {
                    throw fail("cannot finish " + name, e);
                }
                multipartEtag = HexFormat.of().formatHex(partDigests.digest()) + "-" + parts.size();
            }
            finished = true;
            completed = true;
            buffer = null;
            returnBuffers(spare); // only here: after an abort a part may still be sending from its buffer
            afterUpload.accept(key);
            return verify(HexFormat.of().formatHex(fileDigest.digest()), multipartEtag);
        }

        /**
         * Heads the object; a wrong size, an empty object or a different MD5 removes it. S3 gives a
         * multipart object the ETag "MD5 of the part MD5s-N"; some compatible stores (S3Proxy's
         * filesystem store among them) give it the file's plain MD5: whichever form comes back is
         * compared, and the answer says the content was checked. An ETag that is no MD5 (KMS or
         * customer-key encryption, other stores' forms) leaves only the size checked.
         */
        private Completed verify(String fileMd5, String multipartEtag) throws StorageException {
            HeadObjectResponse head;
            try {
                head = client.headObject(r -> r.bucket(settings.bucketName()).key(key));
            } catch (SdkException e) {
                if (isNotFound(e)) {
                    throw new StorageException(describe() + ": " + name + " is missing right after its upload of "
                            + written + " bytes");
                }
                removeQuietly();
                throw failure("cannot check " + name + " after its upload; removed it", e);
            }
            long size = head.contentLength();
            boolean md5 = etagIsMd5(head);
            String problem = null;
            if (size != written || size == 0) {
                problem = "has " + size + " bytes but " + written + " were written";
            } else if (md5) {
                String etag = stripQuotes(head.eTag());
                String expected = etag.contains("-") && multipartEtag != null ? multipartEtag : fileMd5;
                if (!expected.equalsIgnoreCase(etag)) {
                    problem = "has ETag " + etag + " but the bytes written give " + expected;
                }
            }
            if (problem != null) {
                removeQuietly();
                throw new StorageException(describe() + ": stored " + name + " " + problem + "; removed it");
            }
            return new Completed(new StoredFile(name, size, head.lastModified()),
                    md5 ? Verification.CONTENT : Verification.SIZE);
        }

        private void removeQuietly() {
            try {
                client.deleteObject(r -> r.bucket(settings.bucketName()).key(key));
            } catch (SdkException ignored) {
                // the error about the object itself is what the caller needs
            }
        }

        /**
         * Stops the upload threads (waiting a little for parts in flight, so none lands after the
         * abort), then aborts the multipart upload; when the store cannot be reached the upload stays
         * marked as not aborted, so a later call (the caller's abort after a failure) tries again.
         */
        @Override
        public void abort() {
            finished = true;
            if (uploadId == null || completed || uploadAborted) {
                return;
            }
            for (Runnable queued : uploader.shutdownNow()) {
                ((Future<?>) queued).cancel(false); // a caller waiting for it stops waiting
            }
            try {
                uploader.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                client.abortMultipartUpload(r -> r.bucket(settings.bucketName()).key(key).uploadId(uploadId));
                uploadAborted = true;
            } catch (SdkException ignored) {
                // tried again on the next abort(); the bucket's lifecycle rule expires it otherwise
            }
        }

        @Override
        public void close() {
            // complete() or abort() ends the upload, not close(): a writer closing its stream commits nothing
        }
    }


    /** A part handed to an upload thread, with the buffer it is sent from. */
    private record Sending(byte[] buffer, Future<Sent> result) {
    }

    /** A part the store took, with its MD5 (for the multipart ETag). */
    private record Sent(CompletedPart part, byte[] md5) {
    }

    /** The bytes of a buffer, re-readable for the SDK's retries and signing, without a copy. */
    private static RequestBody body(byte[] bytes, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                "application/octet-stream");
    }

    private static byte[] takeBuffer(int size) {
        synchronized (pool) {
            byte[] kept = pool.poll();
            if (kept != null && kept.length == size) {
                return kept;
            }
        }
        return new byte[size];
    }

    private static void returnBuffers(Deque<byte[]> buffers) {
        synchronized (pool) {
            while (!buffers.isEmpty() && pool.size() <= PARTS_IN_FLIGHT) {
                pool.add(buffers.poll());
            }
        }
        buffers.clear();
    }

    private static byte[] md5Of(byte[] bytes, int length) {
        MessageDigest md5 = md5();
        md5.update(bytes, 0, length);
        return md5.digest();
    }

    /**
     * S3 keeps the MD5 (or MD5 of part MD5s) as ETag unless the object is encrypted with KMS or a
     * customer key; other stores may use another form altogether, which is then not compared.
     */
    static boolean etagIsMd5(HeadObjectResponse head) {
        if (head.eTag() == null || head.sseCustomerAlgorithm() != null) {
            return false;
        }
        ServerSideEncryption sse = head.serverSideEncryption();
        if (sse == ServerSideEncryption.AWS_KMS || sse == ServerSideEncryption.AWS_KMS_DSSE) {
            return false;
        }
        return stripQuotes(head.eTag()).matches("(?i)[0-9a-f]{32}(-[0-9]+)?");
    }

    private static String stripQuotes(String etag) {
        return etag == null ? "" : etag.replace("\"", "");
    }
}
