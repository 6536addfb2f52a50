package gateway.backup.deploy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The probe and metrics paths the manifests and the chart name are answered by the running service, without a token. */
@QuarkusTest
class ProbePathsTests {

    private static Set<String> probePaths() {
        List<HasMetadata> objects = new ArrayList<>(PlainManifestsTests.kustomization(PlainManifestsTests.DEPLOYMENT));
        try (LocalKubernetesApi kubernetes = LocalKubernetesApi.start()) {
            objects.addAll(HelmChartTests.render(t -> t));
        }
        Set<String> paths = new TreeSet<>();
        for (Deployment deployment : Manifests.ofKind(objects, Deployment.class)) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())
                        .map(Probe::getHttpGet).forEach(get -> paths.add(get.getPath()));
            }
            paths.add(deployment.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/path"));
        }
        return paths;
    }

    @Test
    void shouldAnswerEveryProbePathTheManifestsName() {
        Set<String> paths = probePaths();
        assertEquals(Set.of(DeploymentChecks.STARTED, DeploymentChecks.LIVE, DeploymentChecks.READY, "/q/metrics"), paths);
        for (String path : paths) {
            given().when().get(path).then().statusCode(200);
        }
        for (String health : List.of(DeploymentChecks.STARTED, DeploymentChecks.LIVE, DeploymentChecks.READY)) {
            given().when().get(health).then().body("status", equalTo("UP"));
        }
    }
}
