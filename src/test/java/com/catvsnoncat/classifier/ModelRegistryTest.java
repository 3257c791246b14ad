package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.bus.Failure;
import com.catvsnoncat.classifier.ModelRegistry.Served;
import com.catvsnoncat.model.Model;
import com.catvsnoncat.testing.RandomModels;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which served version answers a request, and what a request for something not served is told. */
class ModelRegistryTest {
    private static final Model MODEL = RandomModels.pixelModel("m", "1", new Random(1), 0.01);

    private final ModelRegistry registry = new ModelRegistry("alpha", new ModelStatistics(null));

    private static Served served(String name, long version, boolean ready) {
        return new Served(name, version, Long.toString(version), MODEL, ready, null);
    }

    private Served resolve(String name, String version) {
        return registry.resolve(Optional.ofNullable(name), Optional.ofNullable(version));
    }

    private static void assertNotFound(Runnable request, String fragment) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(ClassifierFailure.class, failure ->
                assertThat(failure.failure()).isEqualTo(Failure.NOT_FOUND)).hasMessageContaining(fragment);
    }

    @Test
    void answersWithTheHighestReadyVersionOfTheNamedOrDefaultModel() {
        registry.put(served("alpha", 1, true));
        registry.put(served("alpha", 3, false));
        registry.put(served("beta", 2, true));

        assertThat(resolve(null, null).version()).as("warming 3 does not answer yet").isEqualTo(1);
        registry.put(served("alpha", 3, true));
        assertThat(resolve(null, null).version()).isEqualTo(3);
        assertThat(resolve("alpha", "1").version()).isEqualTo(1);
        assertThat(resolve("beta", null).name()).isEqualTo("beta");
    }

    @Test
    void answersWithTheOnlyModelWhenTheDefaultIsNotServedAndWithAWarmingOneAtFirst() {
        registry.put(served("beta", 2, false));

        assertThat(resolve(null, null).name()).isEqualTo("beta");
        registry.put(served("gamma", 1, true));
        assertNotFound(() -> resolve(null, null), "unknown model \"alpha\"; this server has \"beta\", \"gamma\"");
    }

    @Test
    void namesWhatIsServedWhenAModelOrVersionIsNot() {
        assertNotFound(() -> resolve("alpha", null), "none loaded");
        registry.put(served("alpha", 1, true));
        registry.put(served("alpha", 2, true));
        assertNotFound(() -> resolve("alpha", "3"), "model \"alpha\" has no version \"3\"; loaded: 1, 2");
        assertNotFound(() -> resolve("zeta", null), "unknown model \"zeta\"");
        registry.remove("alpha", 1);
        registry.remove("alpha", 2);
        assertThat(registry.snapshot()).isEmpty();
    }
}
