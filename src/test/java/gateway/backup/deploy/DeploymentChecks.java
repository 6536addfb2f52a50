package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What every Deployment of the service must have, plain manifests and chart alike. */
final class DeploymentChecks {

    static final String STARTED = "/q/health/started";
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";
    /** Where java.io.tmpdir points (src/main/docker/Dockerfile.jvm) and the spool directory lives. */
    static final String TMP = "/tmp";

    private DeploymentChecks() {
    }

    /** Checks every Deployment in {@code objects}, with the ConfigMaps its containers read. */
    static void checkAll(List<HasMetadata> objects) {
        List<Deployment> deployments = Manifests.ofKind(objects, Deployment.class);
        assertFalse(deployments.isEmpty(), "no Deployment");
        for (Deployment deployment : deployments) {
            check(deployment, Manifests.ofKind(objects, ConfigMap.class));
        }
    }

    static void check(Deployment deployment, List<ConfigMap> configMaps) {
        String name = deployment.getMetadata().getName();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertTrue(pod.getTerminationGracePeriodSeconds() > ServiceSettings.shutdownTime().toSeconds(),
                name + ": terminationGracePeriodSeconds must exceed quarkus.shutdown.delay + timeout ("
                        + ServiceSettings.shutdownTime().toSeconds() + " s)");
        checkPodSecurity(name, pod.getSecurityContext());
        checkScrapeAnnotations(name, deployment.getSpec().getTemplate().getMetadata().getAnnotations(), pod);
        assertFalse(pod.getContainers().isEmpty(), name + ": no container");
        for (Container container : pod.getContainers()) {
            String where = name + "/" + container.getName();
            checkProbes(where, container);
            checkResources(where, container);
            checkContainerSecurity(where, container.getSecurityContext());
            checkTmp(where, container, pod);
            checkEnv(where, container, configMaps);
        }
    }

    static void checkProbes(String where, Container container) {
        assertProbe(where + " startupProbe", container.getStartupProbe(), STARTED, container);
        assertProbe(where + " livenessProbe", container.getLivenessProbe(), LIVE, container);
        assertProbe(where + " readinessProbe", container.getReadinessProbe(), READY, container);
    }

    private static void assertProbe(String where, Probe probe, String path, Container container) {
        assertNotNull(probe, where + " missing");
        assertNotNull(probe.getHttpGet(), where + " is not an HTTP GET");
        assertEquals(path, probe.getHttpGet().getPath(), where + " path");
        String port = probe.getHttpGet().getPort().getStrVal();
        assertTrue(container.getPorts().stream().anyMatch(p -> p.getName().equals(port) && p.getContainerPort() == 8080),
                where + ": port " + port + " is not the container's HTTP port 8080");
    }

    static void checkResources(String where, Container container) {
        assertNotNull(container.getResources(), where + ": no resources");
        Map<String, ?> requests = container.getResources().getRequests();
        Map<String, ?> limits = container.getResources().getLimits();
        assertTrue(requests != null && requests.containsKey("cpu") && requests.containsKey("memory"),
                where + ": requests need cpu and memory");
        assertTrue(limits != null && limits.containsKey("memory"), where + ": limits need memory");
    }

    static void checkPodSecurity(String where, PodSecurityContext pod) {
        assertNotNull(pod, where + ": no pod securityContext");
        assertEquals(Boolean.TRUE, pod.getRunAsNonRoot(), where + ": runAsNonRoot");
        assertTrue(pod.getRunAsUser() != null && pod.getRunAsUser() > 0, where + ": numeric non-root runAsUser");
        assertEquals("RuntimeDefault", pod.getSeccompProfile().getType(), where + ": seccompProfile");
    }

    static void checkContainerSecurity(String where, SecurityContext security) {
        assertNotNull(security, where + ": no securityContext");
        assertEquals(Boolean.TRUE, security.getRunAsNonRoot(), where + ": runAsNonRoot");
        assertTrue(security.getRunAsUser() != null && security.getRunAsUser() > 0, where + ": numeric runAsUser");
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), where + ": allowPrivilegeEscalation");
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), where + ": readOnlyRootFilesystem");
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where + ": capabilities.drop");
        assertTrue(security.getCapabilities().getAdd() == null || security.getCapabilities().getAdd().isEmpty(),
                where + ": capabilities.add");
        assertEquals("RuntimeDefault", security.getSeccompProfile().getType(), where + ": seccompProfile");
    }

    /** /tmp (java.io.tmpdir, upload spool) is a size-limited emptyDir: the root filesystem is read-only. */
    static void checkTmp(String where, Container container, PodSpec pod) {
        VolumeMount tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(TMP)).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": nothing mounted at " + TMP));
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(where + ": no volume " + tmp.getName()));
        assertNotNull(volume.getEmptyDir(), where + ": " + TMP + " is not an emptyDir");
        assertNotNull(volume.getEmptyDir().getSizeLimit(), where + ": " + TMP + " emptyDir has no sizeLimit");
    }

    static void checkScrapeAnnotations(String where, Map<String, String> annotations, PodSpec pod) {
        assertNotNull(annotations, where + ": no pod annotations");
        assertEquals("true", annotations.get("prometheus.io/scrape"), where + ": prometheus.io/scrape");
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"), where + ": prometheus.io/path");
        assertEquals("8080", annotations.get("prometheus.io/port"), where + ": prometheus.io/port");
    }

    /**
     * Every variable the container gets (env and the ConfigMaps of envFrom) is one the service reads,
     * and anything secret comes from a Secret, never inline.
     */
    static void checkEnv(String where, Container container, List<ConfigMap> configMaps) {
        Set<String> known = ServiceSettings.environmentNames();
        for (EnvVar env : container.getEnv()) {
            assertKnown(where + " env", env.getName(), known);
            if (secretName(env.getName())) {
                assertNull(env.getValue(), where + ": " + env.getName() + " is inlined; use valueFrom.secretKeyRef");
                assertTrue(env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null,
                        where + ": " + env.getName() + " must come from a secretKeyRef");
            }
        }
        for (EnvFromSource source : container.getEnvFrom()) {
            assertNull(source.getPrefix(), where + ": envFrom prefix");
            assertNull(source.getSecretRef(), where + ": name secrets one by one (secretKeyRef)");
            String configMap = source.getConfigMapRef().getName();
            ConfigMap found = configMaps.stream().filter(c -> c.getMetadata().getName().equals(configMap)).findFirst()
                    .orElseThrow(() -> new AssertionError(where + ": no ConfigMap " + configMap));
            for (String key : found.getData().keySet()) {
                assertKnown(where + " ConfigMap " + configMap, key, known);
                assertFalse(secretName(key), where + ": " + key + " belongs in a Secret, not a ConfigMap");
            }
        }
    }

    static void assertKnown(String where, String name, Set<String> known) {
        assertTrue(known.contains(name), where + ": " + name + " is not a setting the service reads; known: " + known);
    }

    static boolean secretName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.contains("PASSWORD") || upper.contains("SECRET") || upper.contains("TOKEN");
    }
}
