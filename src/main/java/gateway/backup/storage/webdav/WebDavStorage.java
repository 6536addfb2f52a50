package gateway.backup.storage.webdav;

import com.fasterxml.jackson.databind.JsonNode;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.StorageNames;
import gateway.backup.storage.StoredFile;
import gateway.backup.storage.UploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A folder on a WebDAV server (Nextcloud, Apache mod_dav, rclone...). A file is PUT, streamed
 * with chunked encoding through a bounded pipe, under a hidden temp name in the same folder, then
 * MOVEd to its name, then checked with PROPFIND; a failure deletes the temp file.
 */
public final class WebDavStorage implements BackupStorage {

    /** The pipe between the writer and the HTTP client: the only file bytes held in memory. */
    public static final int PIPE_BUFFER = 1024 * 1024;
    private static final String TEMP_PREFIX = ".tmp-";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    private static final String PROPFIND_BODY = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<d:propfind xmlns:d=\"DAV:\"><d:prop><d:resourcetype/><d:getcontentlength/><d:getlastmodified/>"
            + "</d:prop></d:propfind>";

    private final WebDavSettings settings;
    private final HttpClient http;
    private final String authorization;
    private final Consumer<URI> afterUpload;
    private boolean folderReady;

    public WebDavStorage(WebDavSettings settings) throws StorageException {
        this(settings, uri -> {
        });
    }

    /** @param afterUpload called with the file's URL between its MOVE and its check; tests use it to change the file */
    WebDavStorage(WebDavSettings settings, Consumer<URI> afterUpload) throws StorageException {
        this.settings = settings;
        this.afterUpload = afterUpload;
        this.authorization = settings.username().isEmpty() ? null : "Basic " + Base64.getEncoder().encodeToString(
                (settings.username() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (settings.insecureSkipTls()) {
            builder.sslContext(trustEverything());
        }
        this.http = builder.build();
    }

    public static WebDavStorage fromSettings(JsonNode json) throws StorageException {
        return new WebDavStorage(WebDavSettings.fromJson(json));
    }

    @Override
    public PendingFile create(String name) throws IOException {
        URI target = file(name);
        ensureFolder();
        return new Upload(name, target, settings.folder().resolve(encode(TEMP_PREFIX + UUID.randomUUID() + "-" + name)));
    }

    @Override
    public List<StoredFile> list(String prefix) throws IOException {
        HttpResponse<InputStream> response = send(request(settings.folder(), "PROPFIND", propfindBody())
                .header("Depth", "1"), "list files");
        if (response.statusCode() == 404) {
            response.body().close();
            return List.of();
        }
        List<StoredFile> files = new ArrayList<>();
        for (StoredFile file : parseMultistatus(response, "list files")) {
            if (file.name().startsWith(prefix) && !file.name().startsWith(TEMP_PREFIX)) {
                files.add(file);
            }
        }
        return files;
    }

    @Override
    public Optional<StoredFile> stat(String name) throws IOException {
        return stat(file(name), name);
    }

    private Optional<StoredFile> stat(URI file, String name) throws IOException {
        HttpResponse<InputStream> response = send(request(file, "PROPFIND", propfindBody()).header("Depth", "0"),
                "stat " + name);
        if (response.statusCode() == 404) {
            response.body().close();
            return Optional.empty();
        }
        return parseMultistatus(response, "stat " + name).stream().findFirst();
    }

    @Override
    public InputStream open(String name) throws IOException {
        HttpResponse<InputStream> response = send(request(file(name), "GET", HttpRequest.BodyPublishers.noBody()),
                "read " + name);
        if (response.statusCode() != 200) {
            response.body().close();
            throw new StorageException(describe() + ": cannot read " + name + ": HTTP " + response.statusCode());
        }
        return response.body();
    }

    @Override
    public void delete(String name) throws IOException {
        deleteUrl(file(name), name);
    }

    private void deleteUrl(URI url, String name) throws IOException {
        HttpResponse<InputStream> response = send(request(url, "DELETE", HttpRequest.BodyPublishers.noBody()),
                "delete " + name);
        response.body().close();
        int status = response.statusCode();
        if (status != 404 && (status < 200 || status > 299)) {
            throw new StorageException(describe() + ": cannot delete " + name + ": HTTP " + status);
        }
    }

    @Override
    public String describe() {
        return "webdav:" + settings.folder();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21: its threads end when it is unreachable
    }

    /** Creates the folder and its parents (MKCOL), once per storage; an existing folder answers 405. */
    private void ensureFolder() throws IOException {
        if (folderReady) {
            return;
        }
        URI folder = settings.folder();
        String[] parts = folder.getRawPath().split("/");
        StringBuilder path = new StringBuilder("/");
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            path.append(part).append('/');
            HttpResponse<InputStream> response = send(request(folder.resolve(path.toString()), "MKCOL",
                    HttpRequest.BodyPublishers.noBody()), "create the folder");
            response.body().close();
            int status = response.statusCode();
            if (status != 201 && status != 405 && status != 301 && status != 200) {
                throw new StorageException(describe() + ": cannot create the folder " + path + ": HTTP " + status
                        + (status == 401 || status == 403 ? "; check the username and password" : ""));
            }
        }
        folderReady = true;
    }

    private URI file(String name) throws StorageException {
        StorageNames.requireFileName(name, describe());
        if (name.startsWith(TEMP_PREFIX)) {
            throw new StorageException("Not a backup file name for " + describe() + ": \"" + name
                    + "\"; names starting with " + TEMP_PREFIX + " are this storage's temp files");
        }
        return settings.folder().resolve(encode(name));
    }

    /** One path segment, percent-encoded (URLEncoder encodes a space as '+', which a path must not). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(URI uri, String method, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).method(method, body);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static HttpRequest.BodyPublisher propfindBody() {
        return HttpRequest.BodyPublishers.ofString(PROPFIND_BODY);
    }

    private HttpResponse<InputStream> send(HttpRequest.Builder request, String what) throws StorageException {
        try {
            HttpResponse<InputStream> response = http.send(request.timeout(CALL_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                response.body().close();
                throw new StorageException(describe() + ": cannot " + what + ": HTTP " + response.statusCode()
                        + "; check the username and password");
            }
            return response;
        } catch (IOException e) {
            if (e instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException(describe() + ": cannot " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(describe() + ": interrupted while trying to " + what);
        }
    }

    /** The files of a 207 Multi-Status answer (collections and the folder itself left out). */
    private List<StoredFile> parseMultistatus(HttpResponse<InputStream> response, String what) throws IOException {
        try (InputStream body = response.body()) {
            if (response.statusCode() != 207) {
                throw new StorageException(describe() + ": cannot " + what + ": HTTP " + response.statusCode());
            }
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
            XMLStreamReader xml = factory.createXMLStreamReader(body);
            List<StoredFile> files = new ArrayList<>();
            String href = null;
            long size = -1;
            Instant modified = null;
            boolean collection = false;
            StringBuilder text = new StringBuilder();
            while (xml.hasNext()) {
                int event = xml.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    text.setLength(0);
                    if ("response".equals(xml.getLocalName())) {
                        href = null;
                        size = -1;
                        modified = null;
                        collection = false;
                    } else if ("collection".equals(xml.getLocalName())) {
                        collection = true;
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    text.append(xml.getText());
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    switch (xml.getLocalName()) {
                        case "href" -> href = text.toString().trim();
                        case "getcontentlength" -> size = parseSize(text.toString().trim());
                        case "getlastmodified" -> modified = parseDate(text.toString().trim());
                        case "response" -> {
                            if (href != null && !collection) {
                                String path = settings.folder().resolve(href).getPath();
                                String name = path.substring(path.lastIndexOf('/') + 1);
                                files.add(new StoredFile(name, Math.max(size, 0), modified));
                            }
                        }
                        default -> {
                        }
                    }
                    text.setLength(0);
                }
            }
            return files;
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw new StorageException(describe() + ": cannot " + what + ": the server's PROPFIND answer is not "
                    + "WebDAV XML (" + e.getMessage() + ")");
        }
    }

    private static long parseSize(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant parseDate(String value) {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static SSLContext trustEverything() throws StorageException {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            // insecure_skip_tls: no certificate or host name check, as the gateway's setting asks
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, java.net.Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new StorageException("webdav storage: cannot set up TLS without certificate checks: " + e.getMessage());
        }
    }

    /**
     * One file being written: the caller's bytes go through a {@link #PIPE_BUFFER} pipe into a
     * chunked PUT that the HTTP client sends on its own thread.
     */
    public final class Upload extends UploadStream {
        private final URI target;
        private final URI temp;
        private final PipedInputStream pipeIn = new PipedInputStream(PIPE_BUFFER);
        private final PipedOutputStream pipeOut;
        private final CompletableFuture<HttpResponse<Void>> put;
        private boolean tempGone;

        Upload(String name, URI target, URI temp) throws IOException {
            super(name, describe());
            this.target = target;
            this.temp = temp;
            this.pipeOut = new PipedOutputStream(pipeIn);
            HttpRequest request = request(temp, "PUT", HttpRequest.BodyPublishers.ofInputStream(() -> pipeIn))
                    .header("Content-Type", "application/octet-stream").build();
            this.put = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            // an early answer or a failure must not leave the writer blocked on a full pipe
            put.whenComplete((response, failure) -> closeQuietly(pipeIn));
        }

        /** The memory this write holds for file bytes: the pipe, whatever the file's size. */
        public int bufferSize() {
            return PIPE_BUFFER;
        }

        @Override
        protected void upload(byte[] bytes, int offset, int length) throws IOException {
            try {
                pipeOut.write(bytes, offset, length);
            } catch (IOException e) {
                throw new StorageException(describe() + ": cannot upload " + name + ": " + putFailure());
            }
        }

        /** Why the PUT ended early, for the message (the pipe's own error says only "Pipe closed"). */
        private String putFailure() {
            if (!put.isDone()) {
                return "the upload stopped";
            }
            try {
                return "HTTP " + put.get().statusCode();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        @Override
        public Completed complete() throws IOException {
            finishOnce();
            try {
                pipeOut.close();
                int status = put.get().statusCode();
                if (status < 200 || status > 299) {
                    throw new StorageException(describe() + ": cannot upload " + name + ": HTTP " + status);
                }
                HttpResponse<InputStream> moved = send(request(temp, "MOVE", HttpRequest.BodyPublishers.noBody())
                        .header("Destination", target.toString()).header("Overwrite", "T"), "move " + name + " in place");
                moved.body().close();
                if (moved.statusCode() < 200 || moved.statusCode() > 299) {
                    throw new StorageException(describe() + ": cannot move " + name + " in place: HTTP "
                            + moved.statusCode());
                }
                tempGone = true;
            } catch (IOException e) {
                abortUpload();
                throw e instanceof StorageException ? e
                        : new StorageException(describe() + ": cannot upload " + name + ": " + putFailure());
            } catch (ExecutionException e) {
                abortUpload();
                throw new StorageException(describe() + ": cannot upload " + name + ": " + putFailure());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abortUpload();
                throw new StorageException(describe() + ": interrupted while uploading " + name);
            }
            afterUpload.accept(target);
            return new Completed(verify(), Verification.SIZE); // WebDAV keeps no checksum
        }

        /** PROPFINDs the file; a wrong size or an empty file removes it. */
        private StoredFile verify() throws IOException {
            StoredFile stored;
            try {
                stored = stat(target, name).orElse(null);
            } catch (StorageException e) {
                deleteQuietly(target);
                throw e;
            }
            if (stored == null || stored.size() != written || stored.size() == 0) {
                deleteQuietly(target);
                throw new StorageException(describe() + ": stored " + name + " has "
                        + (stored == null ? "vanished" : stored.size() + " bytes") + " but " + written
                        + " were written; removed it");
            }
            return stored;
        }

        @Override
        public void abort() {
            finished = true;
            abortUpload();
        }

        /**
         * Ends the PUT, waits until the server is done with it, then deletes the temp file (deleting
         * while the server still writes it could leave it behind); when the server cannot be reached,
         * a later abort() tries again.
         */
        private void abortUpload() {
            try {
                pipeOut.close(); // the server finishes the PUT with what it has
            } catch (IOException ignored) {
                // the PUT has already ended
            }
            try {
                put.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ignored) {
                // failed or stuck: delete what may be there all the same
            }
            closeQuietly(pipeIn);
            if (tempGone) {
                return;
            }
            try {
                deleteUrl(temp, name);
                tempGone = true;
            } catch (IOException ignored) {
                // tried again on the next abort(); the temp name is hidden and never listed
            }
        }

        private void deleteQuietly(URI url) {
            try {
                deleteUrl(url, name);
            } catch (IOException ignored) {
                // the error about the file itself is what the caller needs
            }
        }

        @Override
        public void close() {
            // complete() or abort() ends the upload, not close(): a writer closing its stream commits nothing
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing a pipe cannot fail in a way that matters here
        }
    }
}
