package gateway.backup.storage.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.BaseServiceException;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StorageNames;
import gateway.backup.storage.StoredFile;
import gateway.backup.storage.UploadStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A Google Cloud Storage bucket through {@code google-cloud-storage}: a resumable upload sent in
 * 8 MiB chunks (the writer's only buffer), then the blob's size, MD5 and CRC32C compared with
 * what was written. An aborted upload is never finalised, so no object appears (GCS drops the
 * unfinished session after a week).
 */
public final class GcsStorage implements BackupStorage {

    public static final int CHUNK_SIZE = 8 * 1024 * 1024;

    private final GcsSettings settings;
    private final Storage storage;

    public GcsStorage(GcsSettings settings) throws StorageException {
        this.settings = settings;
        ServiceAccountCredentials credentials;
        try {
            credentials = ServiceAccountCredentials.fromStream(
                    new ByteArrayInputStream(settings.credential().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            // the library's message can quote the key file: say only what is wrong
            throw new StorageException(describe() + ": \"gcs.credential\" is not a service-account key JSON "
                    + "(type service_account, project_id, client_email, private_key)");
        }
        this.storage = StorageOptions.newBuilder().setCredentials(credentials)
                .setProjectId(credentials.getProjectId()).build().getService();
    }

    public static GcsStorage fromSettings(JsonNode json) throws StorageException {
        return new GcsStorage(GcsSettings.fromJson(json));
    }

    @Override
    public PendingFile create(String name) throws StorageException {
        BlobInfo info = BlobInfo.newBuilder(blob(name)).setContentType("application/json").build();
        try {
            WriteChannel channel = storage.writer(info);
            channel.setChunkSize(CHUNK_SIZE);
            return new Upload(name, channel);
        } catch (BaseServiceException e) {
            throw failure("cannot start writing " + name, e);
        }
    }

    @Override
    public List<StoredFile> list(String prefix) throws StorageException {
        List<StoredFile> files = new ArrayList<>();
        try {
            for (Blob blob : storage.list(settings.bucketName(), Storage.BlobListOption.prefix(prefix),
                    Storage.BlobListOption.currentDirectory()).iterateAll()) {
                if (!blob.isDirectory()) {
                    files.add(stored(blob));
                }
            }
        } catch (BaseServiceException e) {
            throw failure("cannot list files", e);
        }
        return files;
    }

    @Override
    public Optional<StoredFile> stat(String name) throws StorageException {
        BlobId id = blob(name);
        try {
            return Optional.ofNullable(storage.get(id)).map(GcsStorage::stored);
        } catch (BaseServiceException e) {
            throw failure("cannot stat " + name, e);
        }
    }

    @Override
    public InputStream open(String name) throws StorageException {
        BlobId id = blob(name);
        try {
            if (storage.get(id) == null) {
                throw new StorageException("No file " + name + " in " + describe());
            }
            return Channels.newInputStream(storage.reader(id));
        } catch (BaseServiceException e) {
            throw failure("cannot read " + name, e);
        }
    }

    @Override
    public void delete(String name) throws StorageException {
        BlobId id = blob(name);
        try {
            storage.delete(id);
        } catch (BaseServiceException e) {
            throw failure("cannot delete " + name, e);
        }
    }

    @Override
    public String describe() {
        return "gs://" + settings.bucketName() + "/";
    }

    @Override
    public void close() {
        try {
            storage.close();
        } catch (Exception ignored) {
            // nothing left to release
        }
    }

    private BlobId blob(String name) throws StorageException {
        return BlobId.of(settings.bucketName(), StorageNames.requireFileName(name, describe()));
    }

    private static StoredFile stored(Blob blob) {
        Instant modified = blob.getUpdateTimeOffsetDateTime() == null ? null
                : blob.getUpdateTimeOffsetDateTime().toInstant();
        return new StoredFile(blob.getName(), blob.getSize() == null ? 0 : blob.getSize(), modified);
    }

    private StorageException failure(String what, BaseServiceException e) {
        return new StorageException(describe() + ": " + what + ": HTTP " + e.getCode() + " " + e.getReason()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }

    /** One file being written; bytes also feed the MD5 and CRC32C compared after the upload. */
    public final class Upload extends UploadStream {
        private final WriteChannel channel;
        private final MessageDigest md5;
        private final CRC32C crc32c = new CRC32C();

        Upload(String name, WriteChannel channel) {
            super(name, describe());
            this.channel = channel;
            try {
                this.md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK always has MD5", e);
            }
        }

        @Override
        protected void upload(byte[] bytes, int offset, int length) throws IOException {
            try {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            } catch (IOException | BaseServiceException e) {
                finished = true;
                throw new StorageException(describe() + ": cannot upload " + name + ": " + e.getMessage());
            }
            md5.update(bytes, offset, length);
            crc32c.update(bytes, offset, length);
        }

        @Override
        public Completed complete() throws IOException {
            finishOnce();
            BlobId id = blob(name);
            try {
                channel.close();
                Blob blob = storage.get(id);
                String problem = null;
                if (blob == null) {
                    problem = "is missing";
                } else if (blob.getSize() == null || blob.getSize() != written || blob.getSize() == 0) {
                    problem = "has " + blob.getSize() + " bytes";
                } else if (blob.getMd5() != null && !blob.getMd5().equals(Base64.getEncoder().encodeToString(md5.digest()))) {
                    problem = "has MD5 " + blob.getMd5() + ", not that of the bytes written";
                } else if (blob.getCrc32c() != null && !blob.getCrc32c().equals(crc32cBase64())) {
                    problem = "has CRC32C " + blob.getCrc32c() + ", not that of the bytes written";
                }
                if (problem != null) {
                    if (blob != null) {
                        storage.delete(id);
                    }
                    throw new StorageException(describe() + ": stored " + name + " " + problem + " but " + written
                            + " bytes were written; removed it");
                }
                boolean checksummed = blob.getMd5() != null || blob.getCrc32c() != null;
                return new Completed(stored(blob), checksummed ? Verification.CONTENT : Verification.SIZE);
            } catch (BaseServiceException e) {
                throw failure("cannot finish " + name, e);
            }
        }

        private String crc32cBase64() {
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array());
        }

        /** Leaves the resumable session unfinished: GCS creates no object for it. */
        @Override
        public void abort() {
            finished = true;
        }

        @Override
        public void close() {
            // complete() or abort() ends the upload, not close(): a writer closing its stream commits nothing
        }
    }
}
