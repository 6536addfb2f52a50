package gateway.backup.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The age command-line tool (Debian package age, installed by scripts/test-peers.sh), run as a process. */
public final class AgeTool {

    private AgeTool() {
    }

    /** A key pair made by age-keygen: the identity file (0600) and its public key. */
    public record KeyPair(Path identityFile, String publicKey) {
        public String secretKey() throws IOException {
            return Files.readAllLines(identityFile).stream().filter(l -> l.startsWith("AGE-SECRET-KEY-1")).findFirst().orElseThrow();
        }
    }

    public static KeyPair keygen() {
        try {
            Path file = Files.createTempFile("age-identity-", ".txt");
            Files.delete(file);
            String out = run(List.of("age-keygen", "-o", file.toString()), null);
            String publicKey = Files.readAllLines(file).stream().filter(l -> l.startsWith("# public key: "))
                    .map(l -> l.substring("# public key: ".length()).trim()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("age-keygen wrote no public key: " + out));
            return new KeyPair(file, publicKey);
        } catch (IOException e) {
            throw new IllegalStateException("age-keygen failed (run scripts/test-peers.sh to install Debian's age)", e);
        }
    }

    /** {@code age -d -i identity}: the plain bytes. */
    public static byte[] decrypt(Path encrypted, Path identityFile) throws IOException {
        Path out = Files.createTempFile("age-plain-", ".out");
        run(List.of("age", "-d", "-i", identityFile.toString(), "-o", out.toString(), encrypted.toString()), null);
        byte[] plain = Files.readAllBytes(out);
        Files.delete(out);
        return plain;
    }

    /** {@code age -r recipient}: the encrypted file. */
    public static Path encrypt(Path plain, String recipient) throws IOException {
        Path out = Files.createTempFile("age-encrypted-", ".age");
        Files.delete(out);
        run(List.of("age", "-r", recipient, "-o", out.toString(), plain.toString()), null);
        return out;
    }

    private static String run(List<String> command, Path input) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.get(0) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " " + command.get(1) + " failed: " + output);
        }
        return output;
    }
}
