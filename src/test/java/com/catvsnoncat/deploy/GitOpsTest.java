package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The Argo CD Application deploys the eks overlay into the app's namespace and keeps it in sync. */
class GitOpsTest {
    @Test
    void argoCdApplicationSyncsTheEksOverlay() throws IOException {
        JsonNode application = new YAMLMapper().readTree(Project.path("argocd/application.yaml").toFile());
        JsonNode spec = application.path("spec");

        assertThat(application.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
        assertThat(application.path("kind").asText()).isEqualTo("Application");
        assertThat(spec.path("source").path("path").asText()).isEqualTo("k8s/overlays/eks");
        assertThat(Files.isRegularFile(Project.path(spec.path("source").path("path").asText())
                .resolve("kustomization.yaml"))).isTrue();
        assertThat(spec.path("source").path("targetRevision").asText()).isNotEmpty();
        assertThat(spec.path("destination").path("namespace").asText()).isEqualTo(OverlayChecks.NAMESPACE);
        assertThat(spec.path("syncPolicy").path("automated").path("prune").asBoolean()).isTrue();
        assertThat(spec.path("syncPolicy").path("automated").path("selfHeal").asBoolean()).isTrue();
    }
}
