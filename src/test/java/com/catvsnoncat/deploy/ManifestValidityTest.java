package com.catvsnoncat.deploy;

import static com.catvsnoncat.deploy.OverlayChecks.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both overlays render, and everything they render is a valid Kubernetes object (unknown fields rejected) that
 * refers only to objects that exist.
 */
class ManifestValidityTest {
    private static final Set<String> KINDS = Set.of("Namespace", "ServiceAccount", "ConfigMap", "Service",
            "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy", "Ingress");
    /** Only where an overlay requires API keys (components/api-keys): their hashes. */
    private static final Set<String> OPTIONAL_KINDS = Set.of("Secret");

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void overlayRendersIntoValidKubernetesObjectsOfEveryKindTheAppNeeds(Overlay overlay) {
        Rendered rendered = overlay.render();

        Set<String> allowed = new HashSet<>(KINDS);
        allowed.addAll(OPTIONAL_KINDS);
        assertThat(rendered.objects().stream().map(HasMetadata::getKind).collect(Collectors.toSet()))
                .as("kinds rendered by %s", overlay).containsAll(KINDS).isSubsetOf(allowed);
        System.out.printf("%s renders %d objects: %s%n", overlay, rendered.objects().size(), rendered.objects()
                .stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList());
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyNamespacedObjectIsInTheAppNamespace(Overlay overlay) {
        Rendered rendered = overlay.render();

        assertThat(rendered.one(Namespace.class).getMetadata().getName()).isEqualTo(NAMESPACE);
        rendered.objects().stream().filter(o -> !(o instanceof Namespace)).forEach(o ->
                assertThat(o.getMetadata().getNamespace()).as("namespace of %s/%s", o.getKind(),
                        o.getMetadata().getName()).isEqualTo(NAMESPACE));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyImageIsPinnedToATagOtherThanLatest(Overlay overlay) {
        for (Container container : overlay.render().allContainers()) {
            String image = container.getImage();
            String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1)
                    .replaceFirst("^[^:]*:?", "");
            assertThat(tag).as("tag of %s in container %s", image, container.getName())
                    .isNotEmpty().isNotEqualTo("latest");
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyConfigMapThePodUsesIsRenderedWithTheKeysItReads(Overlay overlay) {
        Rendered rendered = overlay.render();
        for (Volume volume : rendered.pod().getVolumes()) {
            if (volume.getConfigMap() != null) {
                rendered.configMap(volume.getConfigMap().getName());
            }
        }
        for (Container container : rendered.allContainers()) {
            for (EnvVar variable : container.getEnv()) {
                ConfigMapKeySelector ref = variable.getValueFrom() == null ? null
                        : variable.getValueFrom().getConfigMapKeyRef();
                if (ref != null) {
                    ConfigMap configMap = rendered.configMap(ref.getName());
                    assertThat(configMap.getData()).as("%s of %s", ref.getName(), variable.getName())
                            .containsKey(ref.getKey());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everySecretThePodMountsIsRenderedWithTheKeysItReads(Overlay overlay) {
        Rendered rendered = overlay.render();
        for (Volume volume : rendered.pod().getVolumes()) {
            if (volume.getSecret() != null) {
                Secret secret = rendered.secret(volume.getSecret().getSecretName());
                for (KeyToPath item : volume.getSecret().getItems()) {
                    assertThat(secret.getData()).as("%s of volume %s", secret.getMetadata().getName(),
                            volume.getName()).containsKey(item.getKey());
                }
            }
        }
    }

    @Test
    void modelFromUrlComponentRendersOnTheMinikubeOverlay(@TempDir Path dir) throws IOException {
        // A kustomization as a user would write it to serve a model from a URL on minikube.
        Rendered rendered = minikubeWith(dir, "model-from-url",
                "configMapGenerator: [{name: model-source, literals: [MODEL_URL=https://example.com/model.npz]}]");

        assertThat(rendered.pod().getInitContainers()).extracting(Container::getName).containsExactly("fetch-model");
        assertThat(rendered.appEnvironment()).containsEntry("CATVSNONCAT_CLASSIFIER_MODEL_PATH", "/models/model.npz");
        assertThat(rendered.configMap(rendered.pod().getInitContainers().get(0).getEnv().get(0).getValueFrom()
                .getConfigMapKeyRef().getName()).getData()).containsEntry("MODEL_URL", "https://example.com/model.npz");
    }

    @Test
    void tlsComponentServesTheSecretsPairOverHttpsOnTheMinikubeOverlay(@TempDir Path dir) throws IOException {
        // A kustomization as a user would write it, the pair in a kubernetes.io/tls Secret as cert-manager makes it.
        Files.writeString(dir.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----\n");
        Rendered rendered = minikubeWith(dir, "tls",
                "secretGenerator: [{name: catvsnoncat-tls, type: kubernetes.io/tls, files: [tls.key, tls.crt],"
                        + " options: {disableNameSuffixHash: true}}]");

        Map<String, String> environment = rendered.appEnvironment();
        assertThat(rendered.appSecretFile(environment.get("CATVSNONCAT_HTTP_TLS_KEY_PATH")))
                .contains(Files.readString(dir.resolve("tls.key")));
        assertThat(rendered.appSecretFile(environment.get("CATVSNONCAT_HTTP_TLS_CERT_PATH")))
                .contains(Files.readString(dir.resolve("tls.crt")));
        assertThat(rendered.mount(rendered.app(), "tls").getSubPath()).as("a renewed Secret reaches the files")
                .isNull();
        Container app = rendered.app();
        assertThat(List.of(app.getStartupProbe(), app.getReadinessProbe(), app.getLivenessProbe()))
                .allSatisfy(probe -> {
                    assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
                    assertThat(probe.getHttpGet().getPath()).startsWith("/health/");
                });
        assertThat(rendered.one(Ingress.class).getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "HTTPS")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "10m");
    }

    /** The minikube overlay with one of k8s/components, in a kustomization in {@code dir} that adds {@code lines}. */
    private static Rendered minikubeWith(Path dir, String component, String... lines) throws IOException {
        List<String> kustomization = new ArrayList<>(List.of(
                "apiVersion: kustomize.config.k8s.io/v1beta1",
                "kind: Kustomization",
                "namespace: " + NAMESPACE,
                "resources: [" + dir.relativize(Overlay.MINIKUBE.dir()) + "]",
                "components: [" + dir.relativize(Project.path("k8s/components/" + component)) + "]"));
        kustomization.addAll(List.of(lines));
        kustomization.add("");
        Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n", kustomization));
        return Rendered.of("minikube + " + component, Kubectl.kustomize(dir));
    }

    @Test
    void strictParsingAcceptsAValidDeployment() {
        List<HasMetadata> parsed = StrictManifests.parse(deployment("imagePullPolicy: IfNotPresent"));

        assertThat(parsed).hasSize(1).first().isInstanceOf(Deployment.class);
        assertThat(((Deployment) parsed.get(0)).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    @Test
    void strictParsingRejectsAFieldTheKubernetesTypeDoesNotHave() {
        assertThatThrownBy(() -> StrictManifests.parse(deployment("imagePullPolicyy: IfNotPresent")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apps/v1/Deployment x")
                .hasMessageContaining("imagePullPolicyy")
                .hasMessageContaining("containers");
    }

    @Test
    void strictParsingRejectsAStringWhereTheApiWantsANumber() {
        assertThatThrownBy(() -> StrictManifests.parse(deployment("ports: [{containerPort: \"8080\"}]")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("containerPort");
    }

    @Test
    void strictParsingRejectsAKindTheDeploymentDoesNotUse() {
        assertThatThrownBy(() -> StrictManifests.parse("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: s}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1/PersistentVolumeClaim s");
    }

    private static String deployment(String containerField) {
        return String.join("\n",
                "apiVersion: apps/v1",
                "kind: Deployment",
                "metadata: {name: x}",
                "spec:",
                "  selector: {matchLabels: {a: b}}",
                "  template:",
                "    metadata: {labels: {a: b}}",
                "    spec:",
                "      containers:",
                "        - name: c",
                "          image: i:1",
                "          " + containerField,
                "");
    }
}
