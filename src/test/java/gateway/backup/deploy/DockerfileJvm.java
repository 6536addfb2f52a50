package gateway.backup.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** src/main/docker/Dockerfile.jvm, read instruction by instruction (continuation lines joined, comments dropped). */
final class DockerfileJvm {

    static final Path FILE = Path.of("src/main/docker/Dockerfile.jvm");

    private static final Pattern ENV = Pattern.compile("^ENV\\s+([A-Z_]+)=\"?(.*?)\"?$");

    final String text = Manifests.read(FILE);
    final List<String> instructions = new ArrayList<>();

    DockerfileJvm() {
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                continue;
            }
            instructions.add(current.toString());
            current.setLength(0);
        }
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.startsWith(keyword + " ")).map(i -> i.substring(keyword.length() + 1).strip())
                .toList();
    }

    /** The source paths of every COPY. */
    List<String> copySources() {
        List<String> sources = new ArrayList<>();
        for (String copy : all("COPY")) {
            List<String> words = new ArrayList<>(Arrays.asList(copy.split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            sources.addAll(words.subList(0, words.size() - 1));
        }
        return sources;
    }

    String env(String name) {
        for (String instruction : instructions) {
            Matcher env = ENV.matcher(instruction);
            if (env.matches() && env.group(1).equals(name)) {
                return env.group(2);
            }
        }
        return null;
    }

    /** JAVA_OPTS_APPEND as separate JVM options. */
    List<String> javaOptions() {
        return List.of(env("JAVA_OPTS_APPEND").split("\\s+"));
    }
}
