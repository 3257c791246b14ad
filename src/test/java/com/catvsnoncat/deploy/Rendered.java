package com.catvsnoncat.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of one rendered kustomization, with the lookups the checks need. Lookups assert what they rely on
 * (exactly one Deployment, a container named "app", ...), so a broken assumption fails with a clear message.
 */
record Rendered(String name, List<HasMetadata> objects) {
    static final String APP_CONTAINER = "app";
    static final String CONFIG_VOLUME = "config";
    static final String CONFIG_OPTION = "--config";

    static Rendered of(String name, String yaml) {
        return new Rendered(name, StrictManifests.parse(yaml));
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        assertThat(found).as("%s objects in %s", type.getSimpleName(), name).hasSize(1);
        return found.get(0);
    }

    Deployment deployment() {
        return one(Deployment.class);
    }

    PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    Map<String, String> podLabels() {
        return deployment().getSpec().getTemplate().getMetadata().getLabels();
    }

    Container app() {
        return pod().getContainers().stream().filter(c -> c.getName().equals(APP_CONTAINER)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no container named " + APP_CONTAINER));
    }

    /** Every container of the pod, init containers included. */
    List<Container> allContainers() {
        List<Container> all = new ArrayList<>(pod().getInitContainers());
        all.addAll(pod().getContainers());
        return all;
    }

    Volume volume(String volumeName) {
        return pod().getVolumes().stream().filter(v -> v.getName().equals(volumeName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no volume named " + volumeName));
    }

    VolumeMount mount(Container container, String volumeName) {
        return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volumeName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + ": container " + container.getName()
                        + " does not mount " + volumeName));
    }

    ConfigMap configMap(String configMapName) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(configMapName))
                .findFirst().orElseThrow(() -> new AssertionError(name + ": no ConfigMap " + configMapName));
    }

    Secret secret(String secretName) {
        return all(Secret.class).stream().filter(c -> c.getMetadata().getName().equals(secretName))
                .findFirst().orElseThrow(() -> new AssertionError(name + ": no Secret " + secretName));
    }

    /**
     * The content of the file at {@code path} in the app container, when a Secret volume puts it there; empty when
     * no Secret volume is mounted above that path.
     */
    Optional<String> appSecretFile(String path) {
        for (VolumeMount mount : app().getVolumeMounts()) {
            Volume volume = volume(mount.getName());
            if (volume.getSecret() == null || !path.startsWith(mount.getMountPath() + "/")) {
                continue;
            }
            String relative = path.substring(mount.getMountPath().length() + 1);
            String key = volume.getSecret().getItems().stream().filter(item -> item.getPath().equals(relative))
                    .map(KeyToPath::getKey).findFirst().orElse(relative);
            Secret secret = secret(volume.getSecret().getSecretName());
            assertThat(secret.getData()).as("%s: Secret %s", name, secret.getMetadata().getName()).containsKey(key);
            return Optional.of(new String(Base64.getMimeDecoder().decode(secret.getData().get(key)),
                    StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }

    /** The file the app is started with ({@code --config FILE}), which must be on the config volume. */
    JsonObject appConfigFile() {
        List<String> args = app().getArgs();
        int option = args.indexOf(CONFIG_OPTION);
        assertThat(option).as("%s: the app's args %s give %s FILE", name, args, CONFIG_OPTION)
                .isNotNegative().isLessThan(args.size() - 1);
        String file = args.get(option + 1);
        String mountPath = mount(app(), CONFIG_VOLUME).getMountPath();
        assertThat(file).as("%s: the config file is on the config volume", name).startsWith(mountPath + "/");
        String key = file.substring(mountPath.length() + 1);
        ConfigMap configMap = configMap(volume(CONFIG_VOLUME).getConfigMap().getName());
        assertThat(configMap.getData()).as("%s: ConfigMap %s", name, configMap.getMetadata().getName())
                .containsKey(key);
        return new JsonObject(configMap.getData().get(key));
    }

    /** The app container's literal environment variables. */
    Map<String, String> appEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (EnvVar variable : app().getEnv()) {
            assertThat(variable.getValueFrom()).as("%s: %s is a literal", name, variable.getName()).isNull();
            environment.put(variable.getName(), variable.getValue());
        }
        return environment;
    }
}
