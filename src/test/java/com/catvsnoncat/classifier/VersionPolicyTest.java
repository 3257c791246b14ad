package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three version policies of Triton, as configured. */
class VersionPolicyTest {
    private static final TreeSet<Long> AVAILABLE = new TreeSet<>(List.of(1L, 2L, 5L, 9L));

    private static VersionPolicy policy(String json) {
        return VersionPolicy.from("versionPolicy", new JsonObject(json));
    }

    @Test
    void servesTheLatestNAllOrSpecificVersions() {
        assertThat(VersionPolicy.LATEST_ONE.select(AVAILABLE)).containsExactly(9L);
        assertThat(policy("{\"latest\": 2}").select(AVAILABLE)).containsExactly(5L, 9L);
        assertThat(policy("{\"latest\": 10}").select(AVAILABLE)).containsExactly(1L, 2L, 5L, 9L);
        assertThat(policy("{\"all\": true}").select(AVAILABLE)).containsExactly(1L, 2L, 5L, 9L);
        assertThat(policy("{\"specific\": [2, 3, 9]}").select(AVAILABLE)).containsExactly(2L, 9L);
        assertThat(policy("{\"latest\": 1}").select(new TreeSet<>())).isEmpty();
    }

    @Test
    void refusesAPolicyThatIsNoneOfTheThreeNamingTheKey() {
        for (Object bad : List.of(new JsonObject(), new JsonObject().put("latest", 0),
                new JsonObject().put("all", false), new JsonObject().put("specific", new JsonArray()),
                new JsonObject().put("specific", new JsonArray().add(0)),
                new JsonObject().put("specific", new JsonArray().add(1.5)),
                new JsonObject().put("latest", 1).put("all", true), "latest")) {
            assertThatThrownBy(() -> VersionPolicy.from("repository.versionPolicies.alpha", bad))
                    .as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("repository.versionPolicies.alpha");
        }
    }
}
