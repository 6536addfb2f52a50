package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** deployment/: the kustomization's resources, the fs-storage and age-identity components and the Secret example, parsed and checked. */
class PlainManifestsTests {

    static final Path DEPLOYMENT = Path.of("deployment");

    /** The objects `kubectl apply -k deployment/` creates: kustomization.yaml's resources list. */
    static List<HasMetadata> kustomization(Path directory) {
        JsonNode kustomization = Manifests.tree(directory.resolve("kustomization.yaml"));
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path file = directory.resolve(resource.asText());
            assertTrue(Files.isRegularFile(file), directory + "/kustomization.yaml names a missing file " + file);
            objects.addAll(Manifests.parse(Manifests.read(file), file.toString()));
        }
        return objects;
    }

    @Test
    void shouldParseEveryKustomizationResourceIntoTypedObjects() {
        List<HasMetadata> objects = kustomization(DEPLOYMENT);
        assertEquals(1, Manifests.ofKind(objects, Deployment.class).size());
        assertEquals(1, Manifests.ofKind(objects, Service.class).size());
        assertEquals(1, Manifests.ofKind(objects, PodDisruptionBudget.class).size());
        // The Secret example is not applied: it would overwrite the real Secret with placeholders.
        assertEquals(0, Manifests.ofKind(objects, Secret.class).size());
    }

    @Test
    void shouldParseEveryYamlFileUnderDeployment() throws IOException {
        try (Stream<Path> files = Files.walk(DEPLOYMENT)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).toList();
            assertTrue(yaml.size() >= 7, "expected the manifests, found " + yaml);
            for (Path file : yaml) {
                assertFalse(Manifests.parse(Manifests.read(file), file.toString()).isEmpty(), file + " is empty");
            }
        }
    }

    @Test
    void shouldGiveTheDeploymentProbesResourcesRestrictedSecurityAndKnownSettings() {
        DeploymentChecks.checkAll(kustomization(DEPLOYMENT));
    }

    @Test
    void shouldRouteTheServiceToTheContainersHttpPort() {
        List<HasMetadata> objects = kustomization(DEPLOYMENT);
        Service service = Manifests.single(objects, Service.class);
        Deployment deployment = Manifests.single(objects, Deployment.class);
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(), service.getSpec().getSelector());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(),
                Manifests.single(objects, PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void shouldHoldOnlyPlaceholdersInTheSecretExample() {
        Path file = DEPLOYMENT.resolve("secret.example.yaml");
        Secret secret = Manifests.single(Manifests.parse(Manifests.read(file), file.toString()), Secret.class);
        assertEquals(3, secret.getStringData().size());
        secret.getStringData().forEach((key, value) -> assertTrue(value.startsWith("CHANGE-ME"), key + " is not a placeholder"));
        assertTrue(secret.getData() == null || secret.getData().isEmpty());
        // Its keys are the ones the Deployment reads.
        Deployment deployment = Manifests.single(kustomization(DEPLOYMENT), Deployment.class);
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                .forEach(e -> assertTrue(secret.getStringData().containsKey(e.getValueFrom().getSecretKeyRef().getKey()),
                        e.getName() + ": key " + e.getValueFrom().getSecretKeyRef().getKey() + " is not in the example"));
    }

    @Test
    void shouldMountTheFsStorageClaimFromTheComponent() {
        Path component = DEPLOYMENT.resolve("components/fs-storage");
        List<HasMetadata> objects = kustomization(component);
        PersistentVolumeClaim claim = Manifests.single(objects, PersistentVolumeClaim.class);
        Path patchFile = component.resolve(Manifests.tree(component.resolve("kustomization.yaml"))
                .path("patches").get(0).path("path").asText());
        Deployment patch = Manifests.single(Manifests.parse(Manifests.read(patchFile), patchFile.toString()), Deployment.class);
        var pod = patch.getSpec().getTemplate().getSpec();
        assertEquals(claim.getMetadata().getName(), pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        assertEquals("/backups", pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath());
        // The patch targets the real Deployment and container.
        Deployment base = Manifests.single(kustomization(DEPLOYMENT), Deployment.class);
        assertEquals(base.getMetadata().getName(), patch.getMetadata().getName());
        assertEquals(base.getSpec().getTemplate().getSpec().getContainers().get(0).getName(), pod.getContainers().get(0).getName());
    }

    @Test
    void shouldMountTheAgeIdentityReadOnlyWhereTheSettingPoints() {
        Path component = DEPLOYMENT.resolve("components/age-identity");
        Path patchFile = component.resolve(Manifests.tree(component.resolve("kustomization.yaml"))
                .path("patches").get(0).path("path").asText());
        Deployment patch = Manifests.single(Manifests.parse(Manifests.read(patchFile), patchFile.toString()), Deployment.class);
        var pod = patch.getSpec().getTemplate().getSpec();
        var container = pod.getContainers().get(0);
        assertEquals("gateway-backup-age", pod.getVolumes().get(0).getSecret().getSecretName());
        assertEquals(Integer.valueOf(0400), pod.getVolumes().get(0).getSecret().getDefaultMode());
        assertTrue(container.getVolumeMounts().get(0).getReadOnly());
        String file = container.getEnv().stream().filter(e -> e.getName().equals("GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE"))
                .findFirst().orElseThrow().getValue();
        assertEquals(container.getVolumeMounts().get(0).getMountPath() + "/identity.txt", file);
        Deployment base = Manifests.single(kustomization(DEPLOYMENT), Deployment.class);
        assertEquals(base.getMetadata().getName(), patch.getMetadata().getName());
        assertEquals(base.getSpec().getTemplate().getSpec().getContainers().get(0).getName(), container.getName());
    }

    @Test
    void shouldRejectAMisspeltField() {
        String yaml = Manifests.read(DEPLOYMENT.resolve("deployment.yaml")).replace("readinessProbe:", "readinesProbe:");
        AssertionError error = assertThrows(AssertionError.class, () -> Manifests.parse(yaml, "misspelt"));
        assertTrue(error.getMessage().contains("readinesProbe"), error.getMessage());
    }

    @Test
    void shouldRefuseAnEnvNameTheServiceDoesNotRead() {
        String yaml = Manifests.read(DEPLOYMENT.resolve("configmap.yaml"))
                .replace("GATEWAY_BACKUP_RESTORE_UPLOAD_DIRECTORY", "GATEWAY_BACKUP_RESTORE_UPLOAD_DIR");
        List<HasMetadata> objects = new ArrayList<>(Manifests.parse(yaml, "configmap"));
        objects.addAll(Manifests.parse(Manifests.read(DEPLOYMENT.resolve("deployment.yaml")), "deployment"));
        AssertionError error = assertThrows(AssertionError.class, () -> DeploymentChecks.checkAll(objects));
        assertTrue(error.getMessage().contains("GATEWAY_BACKUP_RESTORE_UPLOAD_DIR is not a setting"), error.getMessage());
    }

    @Test
    void shouldRefuseAnInlinedPassword() {
        String inlined = Manifests.read(DEPLOYMENT.resolve("deployment.yaml")).replaceFirst(
                "- name: QUARKUS_DATASOURCE_PASSWORD\\n(\\s+)valueFrom:\\n\\s+secretKeyRef:\\n\\s+name: gateway-backup\\n\\s+key: database-password",
                "- name: QUARKUS_DATASOURCE_PASSWORD\n$1value: hunter2");
        assertTrue(inlined.contains("value: hunter2"), "the test's replacement did not apply");
        List<HasMetadata> objects = new ArrayList<>(Manifests.parse(inlined, "deployment"));
        objects.addAll(Manifests.parse(Manifests.read(DEPLOYMENT.resolve("configmap.yaml")), "configmap"));
        AssertionError error = assertThrows(AssertionError.class, () -> DeploymentChecks.checkAll(objects));
        assertTrue(error.getMessage().contains("QUARKUS_DATASOURCE_PASSWORD is inlined"), error.getMessage());
    }
}
