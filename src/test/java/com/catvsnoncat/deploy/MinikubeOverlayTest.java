package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What minikube needs of its overlay: the ingress addon, the locally built image, small scale. */
class MinikubeOverlayTest {
    @TempDir
    Path workDir;

    private Rendered rendered() {
        return Overlay.MINIKUBE.render();
    }

    @Test
    void ingressUsesTheNginxAddonAtCatvsnoncatLocal() {
        Ingress ingress = rendered().one(Ingress.class);

        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules()).extracting(rule -> rule.getHost())
                .containsExactly("catvsnoncat.local");
    }

    @Test
    void nginxAcceptsBodiesAsLargeAsTheAppDoes() {
        long appLimit = OverlayChecks.http(rendered(), workDir).getLong("bodyLimitBytes");
        String nginxLimit = rendered().one(Ingress.class).getMetadata().getAnnotations()
                .get("nginx.ingress.kubernetes.io/proxy-body-size");

        assertThat(nginxLimit).as("proxy-body-size (nginx refuses over 1 MiB by default)").isNotNull();
        assertThat(OverlayChecks.nginxBytes(nginxLimit)).isGreaterThanOrEqualTo(appLimit);
    }

    @Test
    void usesTheLocallyBuiltImageWithoutPulling() {
        Container app = rendered().app();

        assertThat(app.getImage()).startsWith("catvsnoncat:");
        assertThat(app.getImagePullPolicy()).isEqualTo("IfNotPresent");
    }

    @Test
    void scalesBetweenOneAndThreeSmallPods() {
        HorizontalPodAutoscaler hpa = rendered().one(HorizontalPodAutoscaler.class);

        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
    }

    @Test
    void networkPolicyLetsTheIngressAddonIn() {
        assertThat(OverlayChecks.ingressNamespaces(rendered())).contains("ingress-nginx");
    }

    @Test
    void servesTheModelInsideTheImage() {
        assertThat(rendered().appEnvironment()).doesNotContainKey(OverlayChecks.MODEL_PATH_VARIABLE);
        assertThat(rendered().pod().getInitContainers()).isEmpty();
    }
}
