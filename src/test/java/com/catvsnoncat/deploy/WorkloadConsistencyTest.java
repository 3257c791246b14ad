package com.catvsnoncat.deploy;

import static com.catvsnoncat.deploy.OverlayChecks.LIVE_PATH;
import static com.catvsnoncat.deploy.OverlayChecks.READY_PATH;
import static com.catvsnoncat.deploy.OverlayChecks.http;
import static com.catvsnoncat.deploy.OverlayChecks.probePath;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The objects of each overlay fit together and fit the app they run. */
class WorkloadConsistencyTest {
    static final String NAME_LABEL = "app.kubernetes.io/name";
    static final String PORT_NAME = "http";
    /** Time beyond the preStop sleep and the HTTP drain for the services to stop and the JVM to exit. */
    static final long STOP_MARGIN_SECONDS = 5;

    @TempDir
    Path workDir;

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void selectorsMatchThePodsByTheirNameLabel(Overlay overlay) {
        Rendered rendered = overlay.render();
        Map<String, String> pods = rendered.podLabels();

        assertThat(rendered.deployment().getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of(NAME_LABEL, "catvsnoncat"));
        assertThat(pods).containsAllEntriesOf(rendered.deployment().getSpec().getSelector().getMatchLabels());
        assertThat(pods).containsAllEntriesOf(rendered.one(Service.class).getSpec().getSelector());
        assertThat(pods).containsAllEntriesOf(rendered.one(PodDisruptionBudget.class).getSpec().getSelector()
                .getMatchLabels());
        assertThat(pods).containsAllEntriesOf(rendered.one(NetworkPolicy.class).getSpec().getPodSelector()
                .getMatchLabels());
        for (TopologySpreadConstraint spread : rendered.pod().getTopologySpreadConstraints()) {
            assertThat(pods).containsAllEntriesOf(spread.getLabelSelector().getMatchLabels());
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void autoscalerOwnsTheReplicaCountOfTheDeployment(Overlay overlay) {
        Rendered rendered = overlay.render();
        Deployment deployment = rendered.deployment();
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class);

        assertThat(deployment.getSpec().getReplicas()).as("replicas (the HPA sets them)").isNull();
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo(deployment.getApiVersion());
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo(deployment.getKind());
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void autoscalerTargetsCpu80PercentOnlyWithSlowScaleDown(Overlay overlay) {
        HorizontalPodAutoscaler hpa = overlay.render().one(HorizontalPodAutoscaler.class);

        assertThat(hpa.getSpec().getMetrics()).extracting(MetricSpec::getType).containsOnly("Resource");
        assertThat(hpa.getSpec().getMetrics()).extracting(m -> m.getResource().getName() + "="
                + m.getResource().getTarget().getType() + " " + m.getResource().getTarget().getAverageUtilization())
                .as("CPU only: the JVM's heap does not shrink after a peak, a memory target would block scaling down")
                .containsExactly("cpu=Utilization 80");
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isPositive();
        assertThat(hpa.getSpec().getBehavior().getScaleDown().getPolicies()).isNotEmpty();
        assertThat(hpa.getSpec().getBehavior().getScaleUp().getPolicies()).isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void serviceTargetsThePortTheAppListensOn(Overlay overlay) {
        Rendered rendered = overlay.render();
        int appPort = http(rendered, workDir).getInteger("port");
        ServicePort port = rendered.one(Service.class).getSpec().getPorts().get(0);

        assertThat(rendered.one(Service.class).getSpec().getPorts()).hasSize(1);
        assertThat(port.getName()).isEqualTo(PORT_NAME);
        assertThat(containerPort(rendered.app(), port.getTargetPort())).as("container port the Service targets")
                .isEqualTo(appPort);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void ingressSendsEverythingToTheServicePort(Overlay overlay) {
        Rendered rendered = overlay.render();
        Service service = rendered.one(Service.class);
        List<IngressServiceBackend> backends = rendered.one(Ingress.class).getSpec().getRules().stream()
                .flatMap(rule -> rule.getHttp().getPaths().stream())
                .peek(path -> assertThat(path.getPath() + " " + path.getPathType()).isEqualTo("/ Prefix"))
                .map(path -> path.getBackend().getService()).toList();

        assertThat(backends).isNotEmpty().allSatisfy(backend -> {
            assertThat(backend.getName()).isEqualTo(service.getMetadata().getName());
            assertThat(backend.getPort().getName()).isIn(service.getSpec().getPorts().stream()
                    .map(ServicePort::getName).toList());
        });
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void disruptionBudgetLetsOnePodGoAtATime(Overlay overlay) {
        PodDisruptionBudget pdb = overlay.render().one(PodDisruptionBudget.class);

        assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
        assertThat(pdb.getSpec().getMinAvailable()).as("minAvailable blocks drains at one replica").isNull();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void probesUseTheAppsHealthEndpointsOnItsPort(Overlay overlay) {
        Container app = overlay.render().app();

        assertThat(probePath(app.getStartupProbe())).isEqualTo(LIVE_PATH);
        assertThat(probePath(app.getLivenessProbe())).isEqualTo(LIVE_PATH);
        assertThat(probePath(app.getReadinessProbe())).isEqualTo(READY_PATH);
        for (Probe probe : List.of(app.getStartupProbe(), app.getLivenessProbe(), app.getReadinessProbe())) {
            assertThat(probe.getHttpGet().getPort()).isEqualTo(new IntOrString(PORT_NAME));
        }
        Probe startup = app.getStartupProbe();
        assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).as("seconds allowed for start")
                .isGreaterThanOrEqualTo(30);
        // Readiness is probed only once the startup probe has passed: the worst delay between the app being ready
        // and the pod receiving traffic is one period of each.
        assertThat(startup.getPeriodSeconds() + app.getReadinessProbe().getPeriodSeconds())
                .as("seconds from the app ready to the pod ready, at worst").isLessThanOrEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void gracePeriodCoversThePreStopSleepAndTheAppsDrain(Overlay overlay) {
        Rendered rendered = overlay.render();
        JsonObject http = http(rendered, workDir);
        long drainMs = http.getLong("drainTimeoutMs");
        long shutdownGraceMs = http.getLong("shutdownGraceMs");
        long sleep = rendered.app().getLifecycle().getPreStop().getSleep().getSeconds();

        assertThat(sleep).as("preStop sleep").isBetween(5L, 15L);
        assertThat(rendered.pod().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(sleep + (shutdownGraceMs + drainMs) / 1000 + STOP_MARGIN_SECONDS);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void podMeetsTheRestrictedPodSecurityStandard(Overlay overlay) {
        Rendered rendered = overlay.render();
        PodSpec pod = rendered.pod();
        PodSecurityContext podContext = pod.getSecurityContext();

        assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getVolumes()).allSatisfy(volume -> assertThat(volume.getHostPath()).isNull());
        assertThat(podContext.getRunAsUser()).as("pod runAsUser (numeric, not root)").isPositive();
        for (Container container : rendered.allContainers()) {
            SecurityContext context = container.getSecurityContext();
            String name = container.getName();
            assertThat(context).as("securityContext of %s", name).isNotNull();
            assertThat(first(context.getRunAsNonRoot(), podContext.getRunAsNonRoot())).as("%s runAsNonRoot", name)
                    .isTrue();
            assertThat(first(context.getRunAsUser(), podContext.getRunAsUser())).as("%s runAsUser", name)
                    .isPositive();
            assertThat(context.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", name).isFalse();
            assertThat(context.getPrivileged()).as("%s privileged", name).isNotEqualTo(Boolean.TRUE);
            assertThat(context.getCapabilities().getDrop()).as("%s drops", name).containsExactly("ALL");
            assertThat(context.getCapabilities().getAdd()).as("%s adds", name).isNullOrEmpty();
            assertThat(first(context.getSeccompProfile(), podContext.getSeccompProfile()).getType())
                    .as("%s seccomp", name).isEqualTo("RuntimeDefault");
            assertThat(context.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", name).isTrue();
        }
        Map<String, String> namespaceLabels = rendered.one(Namespace.class).getMetadata().getLabels();
        assertThat(namespaceLabels).containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void appMountsNothingWritableAndInitContainersOnlyBoundedEmptyDirs(Overlay overlay) {
        Rendered rendered = overlay.render();

        // The image runs on a read-only root with nothing writable (make image-smoke runs it so).
        assertThat(rendered.app().getVolumeMounts())
                .allSatisfy(mount -> assertThat(mount.getReadOnly()).as(mount.getMountPath()).isTrue());
        for (Container init : rendered.pod().getInitContainers()) {
            assertThat(init.getVolumeMounts()).filteredOn(mount -> !Boolean.TRUE.equals(mount.getReadOnly()))
                    .allSatisfy(mount -> {
                        Volume volume = rendered.volume(mount.getName());
                        assertThat(volume.getEmptyDir()).as("%s of %s", mount.getName(), init.getName()).isNotNull();
                        assertThat(volume.getEmptyDir().getSizeLimit()).as(mount.getName()).isNotNull();
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyContainerRequestsCpuAndMemoryAndLimitsMemory(Overlay overlay) {
        for (Container container : overlay.render().allContainers()) {
            Map<String, Quantity> requests = container.getResources().getRequests();
            Map<String, Quantity> limits = container.getResources().getLimits();
            assertThat(requests).as("requests of %s", container.getName()).containsKeys("cpu", "memory");
            assertThat(limits).as("limits of %s", container.getName()).containsKey("memory");
            assertThat(Quantity.getAmountInBytes(limits.get("memory")))
                    .isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("memory")));
        }
        Container app = overlay.render().app();
        assertThat(app.getResources().getLimits()).as("a CPU limit throttles the JVM").doesNotContainKey("cpu");
        assertThat(Quantity.getAmountInBytes(app.getResources().getRequests().get("memory")))
                .as("memory request = limit, so the node never overcommits the pod's memory")
                .isEqualTo(Quantity.getAmountInBytes(app.getResources().getLimits().get("memory")));
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void podsSpreadOverZonesAndNodesWithoutBlockingScheduling(Overlay overlay) {
        List<TopologySpreadConstraint> spread = overlay.render().pod().getTopologySpreadConstraints();

        assertThat(spread).extracting(TopologySpreadConstraint::getTopologyKey)
                .containsExactlyInAnyOrder("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        assertThat(spread).allSatisfy(constraint -> {
            assertThat(constraint.getMaxSkew()).isEqualTo(1);
            assertThat(constraint.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
        });
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void podGetsNoServiceLinksAndNoApiToken(Overlay overlay) {
        Rendered rendered = overlay.render();

        // Service links would inject CATVSNONCAT_SERVICE_HOST and the like, which the app refuses at start.
        assertThat(rendered.pod().getEnableServiceLinks()).isFalse();
        ServiceAccount account = rendered.one(ServiceAccount.class);
        assertThat(rendered.pod().getServiceAccountName()).isEqualTo(account.getMetadata().getName());
        assertThat(account.getAutomountServiceAccountToken()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void networkPolicyDeniesByDefaultAndAllowsDnsAndHttpsOut(Overlay overlay) {
        NetworkPolicy policy = overlay.render().one(NetworkPolicy.class);

        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).allSatisfy(rule ->
                assertThat(rule.getPorts()).extracting(NetworkPolicyPort::getPort)
                        .containsOnly(new IntOrString(PORT_NAME)));
        assertThat(policy.getSpec().getIngress()).flatExtracting(rule -> rule.getFrom().stream()
                        .map(peer -> peer.getNamespaceSelector() == null ? null
                                : peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                        .filter(Objects::nonNull).toList())
                .contains("monitoring");
        assertThat(policy.getSpec().getEgress()).flatExtracting(rule -> rule.getPorts().stream()
                        .map(port -> port.getProtocol() + "/" + port.getPort().getIntVal()).toList())
                .containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443");
        List<String> blocked = policy.getSpec().getEgress().stream().flatMap(rule -> rule.getTo().stream())
                .map(NetworkPolicyPeer::getIpBlock).filter(Objects::nonNull)
                .flatMap(block -> block.getExcept().stream()).toList();
        assertThat(blocked).as("HTTPS egress must not reach instance metadata or private networks")
                .contains("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");
    }

    /** The number of the container port a Service or probe port (number or name) designates. */
    static int containerPort(Container container, IntOrString port) {
        Function<ContainerPort, Boolean> matches = candidate -> port.getIntVal() != null
                ? port.getIntVal().equals(candidate.getContainerPort())
                : port.getStrVal().equals(candidate.getName());
        return container.getPorts().stream().filter(matches::apply).findFirst()
                .orElseThrow(() -> new AssertionError("no container port " + port)).getContainerPort();
    }

    private static <T> T first(T value, T fallback) {
        return value != null ? value : fallback;
    }

}
