package gateway.backup.storage.s3;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.StorageException;
import java.net.URI;
import java.util.Locale;

/**
 * An {@code s3} storage's settings as the gateway stores them,
 * {@code {"s3": {"bucketName", "endpoint", "region", "accessKey", "secretKey", "pathStyle"}}},
 * plus two keys the gateway ignores: {@code prefix} (a folder inside the bucket) and
 * {@code checksums} ({@code when_required}, the default, or {@code when_supported}).
 *
 * @param prefix normalised: no leading slash, empty or ending with exactly one slash
 */
public record S3Settings(String bucketName, String endpoint, String region, String accessKey, String secretKey,
        boolean pathStyle, String prefix, Checksums checksums) {

    /** When the SDK adds its own request checksums (CRC32 headers, trailers) and validates response ones. */
    public enum Checksums {
        /** Only where an S3 operation requires one: what most S3-compatible stores accept. */
        WHEN_REQUIRED,
        /** On every request that supports one: the SDK's default, for AWS itself. */
        WHEN_SUPPORTED
    }

    public static final String DEFAULT_REGION = "us-east-1";

    /** From the storage's settings JSON; a missing or invalid key gets an error naming it. */
    public static S3Settings fromJson(JsonNode settings) throws StorageException {
        JsonNode s3 = settings == null ? null : settings.get("s3");
        if (s3 == null || !s3.isObject()) {
            throw new StorageException("s3 storage settings need an \"s3\" object with bucketName, region, "
                    + "accessKey and secretKey");
        }
        String bucket = text(s3, "bucketName");
        if (bucket.isEmpty()) {
            throw new StorageException("s3 storage settings need \"s3.bucketName\"");
        }
        String accessKey = text(s3, "accessKey");
        String secretKey = text(s3, "secretKey");
        if (accessKey.isEmpty() || secretKey.isEmpty()) {
            throw new StorageException("s3 storage settings for bucket " + bucket
                    + " need \"s3.accessKey\" and \"s3.secretKey\"");
        }
        String endpoint = text(s3, "endpoint");
        if (!endpoint.isEmpty() && !endpoint.contains("://")) {
            endpoint = "https://" + endpoint;
        }
        if (!endpoint.isEmpty()) {
            try {
                URI uri = URI.create(endpoint);
                if (uri.getHost() == null) {
                    throw new IllegalArgumentException("no host");
                }
            } catch (IllegalArgumentException e) {
                throw new StorageException("s3 storage settings for bucket " + bucket + " have an invalid \"s3.endpoint\" "
                        + endpoint + "; use a URL such as https://s3.example.com");
            }
        }
        String region = text(s3, "region");
        String checksums = text(s3, "checksums");
        Checksums mode;
        try {
            mode = checksums.isEmpty() ? Checksums.WHEN_REQUIRED : Checksums.valueOf(checksums.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new StorageException("s3 storage settings for bucket " + bucket + " have \"s3.checksums\": \""
                    + checksums + "\"; use when_required or when_supported");
        }
        return new S3Settings(bucket, endpoint, region.isEmpty() ? DEFAULT_REGION : region, accessKey, secretKey,
                s3.path("pathStyle").asBoolean(false), normalisePrefix(bucket, text(s3, "prefix")), mode);
    }

    /** "/a//b/" and "a/b" both become "a/b/"; "" stays ""; a ".." folder is refused. */
    static String normalisePrefix(String bucket, String prefix) throws StorageException {
        StringBuilder normal = new StringBuilder();
        for (String part : prefix.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new StorageException("s3 storage settings for bucket " + bucket + " have \"s3.prefix\": \""
                        + prefix + "\"; a prefix cannot contain \"..\"");
            }
            normal.append(part).append('/');
        }
        return normal.toString();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? "" : value.asText("").trim();
    }

    /** Where the files are, for messages: {@code s3://bucket/prefix at endpoint}, never a key. */
    public String describe() {
        return "s3://" + bucketName + "/" + prefix + (endpoint.isEmpty() ? " (AWS, " + region + ")" : " at " + endpoint);
    }

    /** Hides both keys, so a logged record never carries them. */
    @Override
    public String toString() {
        return "S3Settings[bucketName=" + bucketName + ", endpoint=" + endpoint + ", region=" + region
                + ", accessKey=***, secretKey=***, pathStyle=" + pathStyle + ", prefix=" + prefix
                + ", checksums=" + checksums + "]";
    }
}
