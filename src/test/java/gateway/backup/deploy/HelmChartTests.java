package gateway.backup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm/gateway-backup, linted and rendered offline (helm's own library through helm-java), then parsed and checked. */
class HelmChartTests {

    static final Path CHART = Path.of("helm/gateway-backup");
    static final Path EXISTING_SECRET_VALUES = Path.of("src/test/resources/deploy/existing-secret-values.yaml");

    static LocalKubernetesApi kubernetes;

    @BeforeAll
    static void startKubernetesApi() {
        kubernetes = LocalKubernetesApi.start();
    }

    @AfterAll
    static void stopKubernetesApi() {
        kubernetes.close();
    }

    static List<HasMetadata> render(UnaryOperator<TemplateCommand> values) {
        String yaml = values.apply(new Helm(CHART).template().withName("gateway-backup").withNamespace("gateway")).call();
        return Manifests.parse(yaml, "helm template");
    }

    static String renderError(UnaryOperator<TemplateCommand> values) {
        return assertThrows(RuntimeException.class, () -> render(values)).getMessage();
    }

    @Test
    void shouldLintTheChart() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @Test
    void shouldRenderTheDefaultValuesIntoCheckedObjects() {
        List<HasMetadata> objects = render(t -> t);
        DeploymentChecks.checkAll(objects);
        assertEquals(Integer.valueOf(2), Manifests.single(objects, Deployment.class).getSpec().getReplicas());
        Manifests.single(objects, Service.class);
        Manifests.single(objects, PodDisruptionBudget.class);
        assertTrue(Manifests.ofKind(objects, PersistentVolumeClaim.class).isEmpty(), "fs storage is off by default");
        assertTrue(Manifests.ofKind(objects, GenericKubernetesResource.class).isEmpty(), "ServiceMonitor is off by default");
        ConfigMap config = Manifests.single(objects, ConfigMap.class);
        assertEquals("jdbc:postgresql://postgresql:5432/gateway", config.getData().get("QUARKUS_DATASOURCE_JDBC_URL"));
        assertEquals("postgresql://postgresql:5432/gateway", config.getData().get("QUARKUS_DATASOURCE_REACTIVE_URL"));
        assertEquals("0 0 2 * * ?", config.getData().get("GATEWAY_BACKUP_AUTO_BACKUP_CRON"));
    }

    @Test
    void shouldGenerateAJwtSecretOnceAndKeepItOnUpgrade() {
        Secret first = Manifests.single(render(t -> t), Secret.class);
        String generated = first.getData().get("jwt-secret");
        assertEquals(48, Base64.getDecoder().decode(generated).length);
        assertTrue(first.getData().containsKey("username") && first.getData().containsKey("password"));
        // Not in the cluster yet: each render generates anew.
        assertNotEquals(generated, Manifests.single(render(t -> t), Secret.class).getData().get("jwt-secret"));
        // Installed: an upgrade keeps the secret the cluster has (helm's lookup).
        kubernetes.secrets.put("gateway/gateway-backup", """
                {"apiVersion":"v1","kind":"Secret","metadata":{"name":"gateway-backup","namespace":"gateway"},
                 "data":{"jwt-secret":"%s"}}""".formatted(generated));
        try {
            assertEquals(generated, Manifests.single(render(t -> t), Secret.class).getData().get("jwt-secret"));
        } finally {
            kubernetes.secrets.clear();
        }
    }

    @Test
    void shouldUseTheExistingSecretsWithTwoReplicas() {
        List<HasMetadata> objects = render(t -> t.withValuesFile(EXISTING_SECRET_VALUES));
        DeploymentChecks.checkAll(objects);
        assertTrue(Manifests.ofKind(objects, Secret.class).isEmpty(), "no Secret of the chart's own");
        Deployment deployment = Manifests.single(objects, Deployment.class);
        assertEquals(Integer.valueOf(2), deployment.getSpec().getReplicas());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().get(0);
        assertEquals("registry.example.com/gateway-backup:1.0.0", container.getImage());
        Map<String, String> secretRefs = container.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName()
                        + "/" + e.getValueFrom().getSecretKeyRef().getKey()));
        assertEquals(Map.of("QUARKUS_DATASOURCE_JDBC_URL", "gateway-db/jdbc-url",
                "QUARKUS_DATASOURCE_REACTIVE_URL", "gateway-db/reactive-url",
                "QUARKUS_DATASOURCE_USERNAME", "gateway-db/db-user",
                "QUARKUS_DATASOURCE_PASSWORD", "gateway-db/db-password",
                "GATEWAY_BACKUP_JWT_SECRET", "gateway-jwt/secret"), secretRefs);
        assertEquals("1000", container.getEnv().stream().filter(e -> e.getName().equals("GATEWAY_BACKUP_RESTORE_BATCH_SIZE"))
                .findFirst().orElseThrow().getValue());
        ConfigMap config = Manifests.single(objects, ConfigMap.class);
        assertNull(config.getData().get("QUARKUS_DATASOURCE_JDBC_URL"), "the URLs come from the Secret");
        assertEquals("Europe/Berlin", config.getData().get("GATEWAY_BACKUP_AUTO_BACKUP_TIMEZONE"));
        PersistentVolumeClaim claim = Manifests.single(objects, PersistentVolumeClaim.class);
        assertEquals("nfs", claim.getSpec().getStorageClassName());
        assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes());
        assertEquals(claim.getMetadata().getName(), pod.getVolumes().stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/var/backups")));
        assertEquals("linux", pod.getNodeSelector().get("kubernetes.io/os"));
        assertEquals("backup", pod.getTolerations().get(0).getValue());
        GenericKubernetesResource monitor = Manifests.single(objects, GenericKubernetesResource.class);
        assertEquals("ServiceMonitor", monitor.getKind());
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) ((Map<String, Object>) monitor.getAdditionalProperties()
                .get("spec")).get("endpoints")).get(0);
        assertEquals("/q/metrics", endpoint.get("path"));
        assertEquals("http", endpoint.get("port"));
    }

    @Test
    void shouldMountTheAgeIdentitySecretReadOnlyWhereTheSettingPoints() {
        String recipient = "age19slzsf3znwzsd5skrwrrg0q868wkc284r257km20983sy3xsp93q9395gp";
        List<HasMetadata> objects = render(t -> t.set("encryption.recipients[0]", recipient)
                .set("encryption.identity.existingSecret", "gateway-backup-age"));
        DeploymentChecks.checkAll(objects);
        ConfigMap config = Manifests.single(objects, ConfigMap.class);
        assertEquals(recipient, config.getData().get("GATEWAY_BACKUP_ENCRYPTION_RECIPIENTS"));
        String identityFile = config.getData().get("GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE");
        PodSpec pod = Manifests.single(objects, Deployment.class).getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertEquals("gateway-backup-age", volume.getSecret().getSecretName());
        assertEquals(Integer.valueOf(0400), volume.getSecret().getDefaultMode());
        var mount = pod.getContainers().get(0).getVolumeMounts().stream()
                .filter(m -> m.getName().equals(volume.getName())).findFirst().orElseThrow();
        assertTrue(mount.getReadOnly());
        assertEquals(mount.getMountPath() + "/" + volume.getSecret().getItems().get(0).getPath(), identityFile);

        List<HasMetadata> plain = render(t -> t);
        assertNull(Manifests.single(plain, ConfigMap.class).getData().get("GATEWAY_BACKUP_ENCRYPTION_IDENTITY_FILE"));
        assertTrue(Manifests.single(plain, Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .noneMatch(v -> v.getSecret() != null), "no identity volume unless asked for");
        String error = renderError(t -> t.set("encryption.recipients[0]", "ssh-ed25519 AAAA"));
        assertTrue(error.contains("at '/encryption/recipients/0'"), error);
    }

    @Test
    void shouldRefuseReplicasThatAreNotAPositiveInteger() {
        String error = renderError(t -> t.set("replicaCount", "two"));
        assertTrue(error.contains("at '/replicaCount': got string, want integer"), error);
        error = renderError(t -> t.set("replicaCount", 0));
        assertTrue(error.contains("at '/replicaCount'"), error);
    }

    @Test
    void shouldRefuseAMissingDatabase() {
        String error = renderError(t -> t.set("database.host", "").set("database.name", ""));
        assertTrue(error.contains("at '/database'"), error);
        // An existing Secret with the credentials only is not enough: the URLs are still missing.
        error = renderError(t -> t.set("database.host", "").set("database.existingSecret", "gateway-db"));
        assertTrue(error.contains("at '/database'"), error);
    }

    @Test
    void shouldRefuseAMisspeltValue() {
        String error = renderError(t -> t.set("replicas", 3));
        assertTrue(error.contains("additional properties 'replicas' not allowed"), error);
    }
}
