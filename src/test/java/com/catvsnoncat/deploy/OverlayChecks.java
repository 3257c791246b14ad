package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Values and checks shared by the per-overlay tests. */
final class OverlayChecks {
    static final String MODEL_PATH_VARIABLE = "CATVSNONCAT_CLASSIFIER_MODEL_PATH";
    static final String NAMESPACE = "catvsnoncat";
    static final String LIVE_PATH = "/health/live";
    static final String READY_PATH = "/health/ready";

    private OverlayChecks() {
    }

    static List<String> ingressNamespaces(Rendered rendered) {
        return rendered.one(NetworkPolicy.class).getSpec().getIngress().stream()
                .flatMap(rule -> rule.getFrom().stream()).filter(peer -> peer.getNamespaceSelector() != null)
                .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                .toList();
    }

    /** nginx sizes: a number with an optional k or m suffix (binary units). */
    static long nginxBytes(String size) {
        Matcher matcher = Pattern.compile("(\\d+)([kKmMgG]?)").matcher(size);
        assertThat(matcher.matches()).as("nginx size %s", size).isTrue();
        long number = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase()) {
            case "k" -> number << 10;
            case "m" -> number << 20;
            case "g" -> number << 30;
            default -> number;
        };
    }

    /** The default of a variable in terraform/variables.tf. */
    static String terraformDefault(String variable) throws IOException {
        String variables = Files.readString(Project.path("terraform/variables.tf"));
        Matcher matcher = Pattern.compile("variable \"" + variable + "\" \\{[^}]*?default\\s*=\\s*\"([^\"]*)\"",
                Pattern.DOTALL).matcher(variables);
        assertThat(matcher.find()).as("default of %s in terraform/variables.tf", variable).isTrue();
        return matcher.group(1);
    }

    static String probePath(Probe probe) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet()).as("an HTTP probe").isNotNull();
        return probe.getHttpGet().getPath();
    }

    /** The "http" section of the configuration the rendered pod runs with. */
    static JsonObject http(Rendered rendered, Path workDir) {
        return AppConfiguration.effective(rendered, workDir).getJsonObject("http");
    }
}
