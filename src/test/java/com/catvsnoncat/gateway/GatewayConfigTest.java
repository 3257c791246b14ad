package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.catvsnoncat.app.ConfigLoader;
import com.catvsnoncat.config.Defaults;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway's settings as read from the configuration: what a null default means, what is refused. */
@ExtendWith(VertxExtension.class)
class GatewayConfigTest {
    private static final long QUARTER_OF_HEAP = Runtime.getRuntime().maxMemory() / 4;

    private static GatewayConfig withBodyBudget(Object value) {
        JsonObject config = Defaults.all();
        config.getJsonObject(GatewayConfig.HTTP).put("bodyBudgetBytes", value);
        return GatewayConfig.from(config);
    }

    @Test
    void bodyBudgetDefaultsToAQuarterOfTheMaximumHeap() {
        assertThat(Defaults.section(GatewayConfig.HTTP).getValue("bodyBudgetBytes")).isNull();
        assertThat(GatewayConfig.from(Defaults.all()).bodyBudgetBytes()).isEqualTo(QUARTER_OF_HEAP);
        assertThat(withBodyBudget(null).bodyBudgetBytes()).isEqualTo(QUARTER_OF_HEAP);

        JsonObject absent = Defaults.all();
        absent.getJsonObject(GatewayConfig.HTTP).remove("bodyBudgetBytes");
        assertThat(GatewayConfig.from(absent).bodyBudgetBytes()).isEqualTo(QUARTER_OF_HEAP);
    }

    @Test
    void keepsAnExplicitBodyBudget() {
        assertThat(withBodyBudget(20_971_520).bodyBudgetBytes()).isEqualTo(20_971_520);
        assertThat(withBodyBudget(68_719_476_736L).bodyBudgetBytes()).isEqualTo(68_719_476_736L);
    }

    @Test
    void theBudgetAlwaysHoldsOneBodyOfTheLargestSize() {
        JsonObject bigBodies = Defaults.all();
        bigBodies.getJsonObject(GatewayConfig.HTTP).put("bodyLimitBytes", Integer.MAX_VALUE);
        assertThat(GatewayConfig.from(bigBodies).bodyBudgetBytes()).as("the default, floored at the body limit")
                .isEqualTo(Math.max(QUARTER_OF_HEAP, Integer.MAX_VALUE));

        assertThatThrownBy(() -> withBodyBudget(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http config: bodyBudgetBytes (1000) is below bodyLimitBytes (10485760): a body of the "
                        + "largest allowed size could never be read");
    }

    @Test
    void refusesABodyBudgetThatIsNotAPositiveInteger() {
        assertThatThrownBy(() -> withBodyBudget(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http config: bodyBudgetBytes must be an integer >= 1, got 0");
        assertThatThrownBy(() -> withBodyBudget("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http config: bodyBudgetBytes must be an integer >= 1, got x");
        assertThatThrownBy(() -> withBodyBudget(1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("http config: bodyBudgetBytes must be an integer >= 1, got 1.5");
    }

    @Test
    void takesTheBodyBudgetFromTheEnvironmentThoughItsDefaultIsNull(Vertx vertx) {
        JsonObject config = ConfigLoader.load(vertx, new ConfigLoader.Sources(Optional.empty(),
                Map.of("CATVSNONCAT_HTTP_BODY_BUDGET_BYTES", "33554432"), Map.of(), new JsonObject())).await();

        assertThat(GatewayConfig.from(config).bodyBudgetBytes()).isEqualTo(33_554_432L);
    }

    @Test
    void tlsIsOffByDefaultAndWantsItsKeyAndCertificateTogether() {
        assertThat(GatewayConfig.from(ConfigLoader.defaults()).tls()).isEmpty();
        JsonObject keyOnly = ConfigLoader.defaults().mergeIn(new JsonObject().put("http", new JsonObject()
                .put("tls", new JsonObject().put("keyPath", "/etc/tls/tls.key"))), true);
        assertThatThrownBy(() -> GatewayConfig.from(keyOnly)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tls.certPath is missing");
    }
}
