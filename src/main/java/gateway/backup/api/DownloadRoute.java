package gateway.backup.api;

import gateway.backup.config.GatewayBackupConfig;
import gateway.backup.storage.BackupStorage;
import gateway.backup.storage.StorageException;
import gateway.backup.storage.Storages;
import io.quarkus.logging.Log;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;

/**
 * {@code GET /api/backups/files/{dataStorageID}/{name}}: streams one backup file of a storage.
 * Storage reads block, so each chunk is read on a worker; the next read waits until the response's
 * write queue has room (a slow client slows the reads), and a client that goes away stops them and
 * closes the storage. Only backup file names ({@link BackupFileNames}); owner only ({@code /api/*}).
 */
@ApplicationScoped
public class DownloadRoute {

    private static final int CHUNK = 64 * 1024;

    private final StorageAccess storages;
    private final Vertx vertx;
    private final BackupFileNames names;

    DownloadRoute(StorageAccess storages, Vertx vertx, GatewayBackupConfig config) {
        this.storages = storages;
        this.vertx = vertx;
        this.names = new BackupFileNames(config.autoBackup().filePrefix());
    }

    void register(@Observes Router router) {
        router.get("/api/backups/files/:dataStorageID/:name").handler(this::download);
    }

    void download(RoutingContext ctx) {
        int id;
        String name = ctx.pathParam("name");
        try {
            id = Integer.parseInt(ctx.pathParam("dataStorageID"));
        } catch (NumberFormatException e) {
            HttpErrors.answer(ctx, 400, "dataStorageID must be a number; dataStorages lists the storages");
            return;
        }
        try {
            names.require(name, id);
        } catch (StorageException e) {
            HttpErrors.answer(ctx, 400, e.getMessage());
            return;
        }
        storages.row(id)
                .chain(row -> StorageAccess.blocking(() -> {
                    BackupStorage storage = Storages.open(row);
                    try {
                        if (storage.stat(name).isEmpty()) {
                            throw new StorageException("No file " + name + " in data storage " + id
                                    + "; backupFiles lists the files");
                        }
                        return new Reading(storage, storage.open(name));
                    } catch (IOException | RuntimeException e) {
                        storage.close();
                        throw e;
                    }
                }))
                .subscribe().with(reading -> reading.start(ctx, name), failure -> {
                    if (failure instanceof StorageException) {
                        HttpErrors.answer(ctx, failure.getMessage().startsWith("No ") ? 404 : 502, failure.getMessage());
                    } else {
                        Log.errorf(failure, "download: cannot read %s from data storage %d", name, id);
                        HttpErrors.answer(ctx, 500, "Cannot read the file; see the service log");
                    }
                });
    }

    /** One download in progress: the storage and its stream, closed on a worker when done or when the client leaves. */
    private final class Reading {
        private final BackupStorage storage;
        private final InputStream in;
        private HttpServerResponse response;
        // Event-loop state: a read on a worker, the client gone, the storage closed.
        private boolean reading;
        private boolean gone;
        private boolean closed;

        Reading(BackupStorage storage, InputStream in) {
            this.storage = storage;
            this.in = in;
        }

        void start(RoutingContext ctx, String name) {
            response = ctx.response();
            if (response.closed()) {
                close();
                return;
            }
            response.setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, BackupFileNames.contentType(name))
                    .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
            response.closeHandler(ignored -> {
                gone = true;
                if (!reading) {
                    close(); // else the read in flight closes when it returns
                }
            });
            next();
        }

        /** Reads a chunk on a worker, writes it on the event loop, and goes on once the response has room. */
        private void next() {
            reading = true;
            vertx.<Buffer>executeBlocking(() -> {
                byte[] chunk = in.readNBytes(CHUNK);
                return chunk.length == 0 ? null : Buffer.buffer(chunk);
            }, false).onComplete(read -> {
                reading = false;
                if (gone) {
                    Log.infof("download: client went away, stopped reading");
                    close();
                    return;
                }
                if (read.failed()) {
                    Log.warnf("download: read failed: %s", read.cause().getMessage());
                    close();
                    // Headers are out: cut the connection so the client sees a broken file, not a short one.
                    response.reset();
                    return;
                }
                if (read.result() == null) {
                    close();
                    response.end();
                    return;
                }
                response.write(read.result());
                if (response.writeQueueFull()) {
                    response.drainHandler(drained -> next());
                } else {
                    next();
                }
            });
        }

        private void close() {
            if (closed) {
                return;
            }
            closed = true;
            vertx.executeBlocking(() -> {
                try (BackupStorage closing = storage; InputStream closingIn = in) {
                    return null;
                }
            }, false);
        }
    }
}
