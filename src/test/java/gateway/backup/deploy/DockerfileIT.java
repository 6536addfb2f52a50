package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Docker cannot build here, so the image's recipe is checked against what `mvn package` built:
 * every COPY source exists and is in the build context, the JVM options are valid for this JVM
 * and size the heap from the container limit.
 */
class DockerfileIT {

    final DockerfileJvm dockerfile = new DockerfileJvm();

    @Test
    void shouldCopyOnlyWhatThePackageBuiltAndTheContextHolds() throws IOException {
        List<String> sources = dockerfile.copySources();
        assertTrue(sources.contains("target/quarkus-app/quarkus-run.jar"), sources.toString());
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        for (String source : sources) {
            Path path = Path.of(source);
            assertTrue(Files.exists(path), source + " does not exist after mvn package");
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertTrue(inContext(file, ignore), file + " is excluded from the build context by .dockerignore");
                }
            }
        }
        // The context holds nothing else of the project: sources, tests and other build output stay out.
        for (String outside : List.of("src/main/java", "pom.xml", "target/classes", "deployment", "helm")) {
            assertFalse(inContext(Path.of(outside), ignore), outside + " should not be in the build context");
        }
        // Every file the fast-jar needs at run time is copied.
        try (Stream<Path> entries = Files.list(Path.of("target/quarkus-app"))) {
            for (Path entry : entries.toList()) {
                String name = entry.toString() + (Files.isDirectory(entry) ? "/" : "");
                assertTrue(sources.contains(name) || !name.endsWith("/") && !name.endsWith(".jar"),
                        name + " is not copied into the image");
            }
        }
    }

    /** Docker's rule: the last pattern matching the path or one of its parent directories decides. */
    private static boolean inContext(Path file, List<String> patterns) {
        boolean included = true;
        for (String pattern : patterns) {
            boolean negated = pattern.startsWith("!");
            String glob = pattern.substring(negated ? 1 : 0).replaceAll("/$", "");
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            for (Path p = file; p != null; p = p.getParent()) {
                if (matcher.matches(p)) {
                    included = negated;
                    break;
                }
            }
        }
        return included;
    }

    @Test
    void shouldRunAsANumericNonRootUserMatchingTheManifests() {
        List<String> users = dockerfile.all("USER");
        assertEquals(1, users.size());
        long uid = Long.parseLong(users.get(0));
        assertTrue(uid > 0);
        Deployment deployment = Manifests.single(PlainManifestsTests.kustomization(PlainManifestsTests.DEPLOYMENT), Deployment.class);
        assertEquals(uid, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());
        assertTrue(dockerfile.all("FROM").get(0).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:"));
        assertTrue(dockerfile.text.startsWith("#") && dockerfile.text.contains("docker build -f src/main/docker/Dockerfile.jvm"),
                "the Dockerfile opens with its build and run commands");
    }

    @Test
    void shouldSizeTheHeapFromTheContainerLimit() throws Exception {
        List<String> options = dockerfile.javaOptions();
        assertTrue(options.stream().noneMatch(o -> o.startsWith("-Xmx")), "no fixed -Xmx: " + options);
        assertEquals("0", dockerfile.env("JAVA_MAX_MEM_RATIO"), "run-java.sh adds no heap setting of its own");
        assertTrue(options.containsAll(List.of("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + DeploymentChecks.TMP)), options.toString());
        double percent = options.stream().filter(o -> o.startsWith("-XX:MaxRAMPercentage="))
                .mapToDouble(o -> Double.parseDouble(o.substring(o.indexOf('=') + 1))).findFirst().orElseThrow();
        // The heap the manifests' limit gives: between the benchmarks' 256 MB and 384 MiB, with about
        // 100 MB outside the heap (README: peak RSS ~350 MB at -Xmx256m) still under the limit.
        Deployment deployment = Manifests.single(PlainManifestsTests.kustomization(PlainManifestsTests.DEPLOYMENT), Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        long limit = Quantity.getAmountInBytes(container.getResources().getLimits().get("memory")).longValue();
        long heap = (long) (limit * percent / 100);
        assertTrue(heap >= 256L * 1000 * 1000 && heap <= 384L * 1024 * 1024, "heap " + heap);
        assertTrue(heap + 100L * 1024 * 1024 < limit, "heap + non-heap must stay under the limit");

        // The options are valid for a JDK 17 and give that heap under that limit.
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:MaxRAM=" + limit));
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, java.exitValue(), flags);
        long maxHeap = flags.lines().filter(l -> l.contains(" MaxHeapSize ")).map(l -> l.trim().split("\\s+")[3])
                .mapToLong(Long::parseLong).findFirst().orElseThrow();
        assertEquals(heap, maxHeap, heap / 100.0);
        assertTrue(flags.lines().anyMatch(l -> l.contains(" UseSerialGC ") && l.contains("true")));
        assertTrue(flags.lines().anyMatch(l -> l.contains(" ExitOnOutOfMemoryError ") && l.contains("true")));
    }

    static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
