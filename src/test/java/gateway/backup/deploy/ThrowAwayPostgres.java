package gateway.backup.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL 15 cluster of a test's own (initdb into a temp directory, trust auth, a free
 * port), so that a test can stop and start it without touching the shared one on 5432. As root,
 * its commands run as the {@code postgres} OS user (initdb refuses root).
 */
final class ThrowAwayPostgres implements AutoCloseable {

    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    final Path directory;
    final int port;

    private ThrowAwayPostgres(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(BIN.resolve("initdb"));
    }

    static ThrowAwayPostgres create(String database) throws Exception {
        Path directory = Files.createTempDirectory("gateway-backup-pg-");
        ThrowAwayPostgres postgres = new ThrowAwayPostgres(directory, PackagedService.freePort());
        if (root()) {
            run(List.of("chown", "postgres", directory.toString()), false);
        }
        postgres.pg("initdb", "-D", directory.resolve("data").toString(), "--auth=trust", "-U", "postgres", "-E", "UTF8");
        postgres.start();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.port + "/postgres", "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("create role gateway login superuser password 'gateway'");
            s.execute("create database " + database + " owner gateway");
        }
        return postgres;
    }

    void start() throws Exception {
        pg("pg_ctl", "-D", directory.resolve("data").toString(), "-l", directory.resolve("postgres.log").toString(), "-w",
                "-o", "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1", "start");
    }

    void stop() throws Exception {
        pg("pg_ctl", "-D", directory.resolve("data").toString(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            run(List.of("rm", "-rf", directory.toString()), false);
        }
    }

    private void pg(String tool, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        if (root()) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(BIN.resolve(tool).toString());
        command.addAll(List.of(args));
        run(command, true);
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(List<String> command, boolean check) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || (check && process.exitValue() != 0)) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
