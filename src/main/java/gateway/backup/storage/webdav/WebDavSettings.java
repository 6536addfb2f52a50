package gateway.backup.storage.webdav;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.StorageException;
import java.net.URI;

/**
 * A {@code webdav} storage's settings as the gateway stores them,
 * {@code {"webdav": {"url", "username", "password", "insecure_skip_tls", "path"}}}.
 *
 * @param folder the folder's URL: {@code url} joined with {@code path}, ending with a slash, without user info
 */
public record WebDavSettings(URI folder, String username, String password, boolean insecureSkipTls) {

    public static WebDavSettings fromJson(JsonNode settings) throws StorageException {
        JsonNode webdav = settings == null ? null : settings.get("webdav");
        if (webdav == null || !webdav.isObject()) {
            throw new StorageException("webdav storage settings need a \"webdav\" object with url, username and password");
        }
        String url = text(webdav, "url");
        URI base;
        try {
            base = URI.create(url);
            if (base.getHost() == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))) {
                throw new IllegalArgumentException("not http");
            }
        } catch (IllegalArgumentException e) {
            throw new StorageException("webdav storage settings need \"webdav.url\" as an http(s) URL such as "
                    + "https://dav.example.com/remote.php/dav/files/backup; got \"" + withoutUserInfo(url) + "\"");
        }
        StringBuilder path = new StringBuilder(base.getRawPath() == null ? "" : base.getRawPath());
        for (String part : text(webdav, "path").replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new StorageException("webdav storage settings have \"webdav.path\" with \"..\"; use a folder path");
            }
            if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
                path.append('/');
            }
            path.append(WebDavStorage.encode(part));
        }
        if (path.length() == 0 || path.charAt(path.length() - 1) != '/') {
            path.append('/');
        }
        URI folder = URI.create(base.getScheme() + "://" + base.getRawAuthority().replaceFirst("^.*@", "") + path);
        return new WebDavSettings(folder, text(webdav, "username"), text(webdav, "password"),
                webdav.path("insecure_skip_tls").asBoolean(false));
    }

    private static String withoutUserInfo(String url) {
        return url.replaceFirst("//[^/@]*@", "//");
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? "" : value.asText("").trim();
    }

    /** Hides the password, so a logged record never carries it. */
    @Override
    public String toString() {
        return "WebDavSettings[folder=" + folder + ", username=" + username + ", password=***, insecureSkipTls="
                + insecureSkipTls + "]";
    }
}
