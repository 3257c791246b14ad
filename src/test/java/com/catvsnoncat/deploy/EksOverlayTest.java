package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What EKS needs of its overlay: an ALB, the image from ECR, the model from S3, production scale. */
class EksOverlayTest {
    @TempDir
    Path workDir;

    private Rendered rendered() {
        return Overlay.EKS.render();
    }

    @Test
    void ingressIsAnInternetFacingAlbSendingStraightToPods() {
        Ingress ingress = rendered().one(Ingress.class);
        Map<String, String> annotations = ingress.getMetadata().getAnnotations();

        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("alb");
        assertThat(annotations)
                .containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing")
                .containsEntry("alb.ingress.kubernetes.io/target-type", "ip")
                .containsEntry("alb.ingress.kubernetes.io/success-codes", "200")
                .containsKey("alb.ingress.kubernetes.io/group.name");
        assertThat(annotations).noneSatisfy((key, value) -> assertThat(key).startsWith("nginx."));
    }

    @Test
    void albHealthCheckAsksTheAppsReadiness() {
        String path = rendered().one(Ingress.class).getMetadata().getAnnotations()
                .get("alb.ingress.kubernetes.io/healthcheck-path");

        assertThat(path).isEqualTo(OverlayChecks.probePath(rendered().app().getReadinessProbe()));
    }

    @Test
    void albKeepsConnectionsToALeavingPodAsLongAsThePodDrains() {
        String attributes = rendered().one(Ingress.class).getMetadata().getAnnotations()
                .get("alb.ingress.kubernetes.io/target-group-attributes");

        assertThat(attributes).isEqualTo("deregistration_delay.timeout_seconds="
                + rendered().pod().getTerminationGracePeriodSeconds());
    }

    @Test
    void namespaceHasTheLoadBalancerReadinessGate() {
        assertThat(rendered().one(Namespace.class).getMetadata().getLabels())
                .containsEntry("elbv2.k8s.aws/pod-readiness-gate-inject", "enabled");
    }

    @Test
    void imageComesFromEcrWithAFixedTag() {
        assertThat(rendered().app().getImage())
                .matches("\\d{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/catvsnoncat:[0-9][\\w.-]*");
    }

    @Test
    void runsAtLeastTwoPods() {
        HorizontalPodAutoscaler hpa = rendered().one(HorizontalPodAutoscaler.class);

        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
    }

    /**
     * Every pod the autoscaler may ask for can be placed on the nodes terraform creates (no cluster autoscaler, so
     * node_desired_size nodes): per node its vCPUs less ~350m (the kubelet's reserve, aws-node, kube-proxy, and a
     * share of CoreDNS, metrics-server and the load balancer controller).
     */
    @Test
    void theAutoscalersMaximumFitsTheNodeGroup() throws IOException {
        String variables = Files.readString(Project.path("terraform/variables.tf"));
        int nodes = Integer.parseInt(terraformDefault(variables, "node_desired_size"));
        String instanceType = terraformDefault(variables, "node_instance_types").replaceAll("[\\[\\]\" ]", "");
        Map<String, Integer> vcpus = Map.of("t3.medium", 2, "t3.large", 2, "t3.xlarge", 4, "m5.large", 2,
                "m5.xlarge", 4);
        assertThat(vcpus).as("vCPUs of %s known to this test", instanceType).containsKey(instanceType);
        long usableMillicores = nodes * (vcpus.get(instanceType) * 1000L - 350);
        HorizontalPodAutoscaler hpa = rendered().one(HorizontalPodAutoscaler.class);
        long cpuRequest = Quantity.getAmountInBytes(rendered().app().getResources().getRequests().get("cpu"))
                .multiply(BigDecimal.valueOf(1000)).longValue();

        assertThat(hpa.getSpec().getMaxReplicas() * cpuRequest)
                .as("millicores requested by %d pods on %d x %s", hpa.getSpec().getMaxReplicas(), nodes, instanceType)
                .isLessThanOrEqualTo(usableMillicores);
    }

    private static String terraformDefault(String variables, String name) {
        Matcher matcher = Pattern.compile("variable \"" + name + "\" \\{[^}]*?default\\s*=\\s*([^\\n]+)")
                .matcher(variables);
        assertThat(matcher.find()).as("default of %s in terraform/variables.tf", name).isTrue();
        return matcher.group(1).trim();
    }

    @Test
    void initContainerFetchesFromS3TheModelFileTheAppServes() {
        String modelPath = rendered().appEnvironment().get(OverlayChecks.MODEL_PATH_VARIABLE);
        Container fetch = rendered().pod().getInitContainers().stream()
                .filter(c -> c.getName().equals("fetch-model")).findFirst()
                .orElseThrow(() -> new AssertionError("no fetch-model init container"));
        VolumeMount appMount = rendered().app().getVolumeMounts().stream()
                .filter(mount -> modelPath != null && modelPath.startsWith(mount.getMountPath() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("no volume holds " + modelPath));
        VolumeMount fetchMount = rendered().mount(fetch, appMount.getName());

        assertThat(rendered().volume(appMount.getName()).getEmptyDir()).isNotNull();
        assertThat(fetch.getArgs()).contains("s3", "cp",
                fetchMount.getMountPath() + modelPath.substring(appMount.getMountPath().length()));
        assertThat(fetch.getEnv()).anySatisfy(variable -> assertThat(variable.getValueFrom()
                .getConfigMapKeyRef().getKey()).isEqualTo("MODEL_URI"));
    }

    @Test
    void requiresApiKeysWhoseHashesTheAppReadsFromAGeneratedSecret() {
        String file = rendered().appEnvironment().get("CATVSNONCAT_AUTH_API_KEYS_FILE");
        assertThat(file).as("CATVSNONCAT_AUTH_API_KEYS_FILE").isNotNull();

        JsonObject keys = new JsonObject(rendered().appSecretFile(file)
                .orElseThrow(() -> new AssertionError(file + " is on no Secret volume")));

        assertThat(keys.fieldNames()).isNotEmpty();
        assertThat(keys.getMap().values()).allSatisfy(hash -> assertThat(hash.toString()).matches("[0-9a-f]{64}"));
    }

    @Test
    void serviceAccountAssumesTheModelReaderRole() {
        assertThat(rendered().one(ServiceAccount.class).getMetadata().getAnnotations())
                .hasEntrySatisfying("eks.amazonaws.com/role-arn",
                        arn -> assertThat(arn).matches("arn:aws:iam::\\d{12}:role/catvsnoncat-model-reader"));
    }

    @Test
    void networkPolicyLetsTheAlbInFromTheVpcTerraformCreates() throws IOException {
        String vpcCidr = OverlayChecks.terraformDefault("vpc_cidr");
        String cidrs = rendered().one(NetworkPolicy.class).getSpec().getIngress().stream()
                .flatMap(rule -> rule.getFrom().stream()).map(NetworkPolicyPeer::getIpBlock)
                .filter(Objects::nonNull).map(block -> block.getCidr()).toList().toString();

        assertThat(cidrs).isEqualTo("[" + vpcCidr + "]");
    }
}
