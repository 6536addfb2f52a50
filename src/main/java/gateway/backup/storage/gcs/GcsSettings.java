package gateway.backup.storage.gcs;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.StorageException;

/**
 * A {@code gcs} storage's settings as the gateway stores them,
 * {@code {"gcs": {"bucketName", "credential"}}}, the credential being a service-account key
 * (its JSON as a string, or the JSON object itself).
 */
public record GcsSettings(String bucketName, String credential) {

    public static GcsSettings fromJson(JsonNode settings) throws StorageException {
        JsonNode gcs = settings == null ? null : settings.get("gcs");
        if (gcs == null || !gcs.isObject()) {
            throw new StorageException("gcs storage settings need a \"gcs\" object with bucketName and credential");
        }
        JsonNode bucket = gcs.get("bucketName");
        String bucketName = bucket == null || bucket.isNull() ? "" : bucket.asText("").trim();
        if (bucketName.isEmpty()) {
            throw new StorageException("gcs storage settings need \"gcs.bucketName\"");
        }
        JsonNode credential = gcs.get("credential");
        String json = credential == null || credential.isNull() ? ""
                : credential.isObject() ? credential.toString() : credential.asText("").trim();
        if (json.isEmpty()) {
            throw new StorageException("gcs storage settings for bucket " + bucketName
                    + " need \"gcs.credential\": a service-account key JSON");
        }
        return new GcsSettings(bucketName, json);
    }

    /** Hides the credential, so a logged record never carries it. */
    @Override
    public String toString() {
        return "GcsSettings[bucketName=" + bucketName + ", credential=***]";
    }
}
