package com.catvsnoncat.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.catvsnoncat.BlockedThreads;
import com.catvsnoncat.app.ConfigLoader;
import com.catvsnoncat.app.MetricsVertx;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code /openapi.yaml} read by an OpenAPI parser and held against the gateway's own router: every operation the
 * router serves is documented, every documented operation is served, and the document is valid OpenAPI 3.
 */
@Timeout(60)
class OpenApiDocumentTest {
    /** With metrics, as the application runs, so that /metrics exists. */
    private Vertx vertx;
    private GatewayVerticle gateway;
    private WebClient client;
    private OpenAPI document;

    @BeforeEach
    void start() {
        vertx = MetricsVertx.create(BlockedThreads.vertxOptions());
        // The admin route answers only with a token; keys stay off, so no route is hidden behind a 401.
        JsonObject config = ConfigLoader.defaults().mergeIn(new JsonObject()
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("instances", 1))
                .put("admin", new JsonObject().put("token", "t")), true);
        gateway = GatewayHarness.gateway(config);
        vertx.deployVerticle(gateway, new DeploymentOptions().setConfig(config)).await();
        client = WebClient.create(vertx);
        String yaml = client.get(ServerState.of(vertx).port(), "127.0.0.1", "/openapi.yaml").send().await()
                .bodyAsString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(parsed.getMessages()).as("problems the parser found in openapi.yaml").isEmpty();
        document = parsed.getOpenAPI();
    }

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void documentsExactlyTheOperationsTheRouterServes() {
        assertThat(documentedOperations()).isEqualTo(servedOperations());
    }

    @Test
    void everyPathOfARouteForAnyMethodIsDocumented() {
        Set<String> filtered = new TreeSet<>();
        for (Route route : gateway.router().getRoutes()) {
            if (isExact(route) && !hasMethods(route)) {
                filtered.add(openApiPath(route.getPath()));
            }
        }
        assertThat(document.getPaths().keySet()).containsAll(filtered);
    }

    @Test
    void everyDocumentedOperationAnswersWithSomethingOtherThanNotFound() {
        int port = ServerState.of(vertx).port();
        for (String operation : documentedOperations()) {
            String[] methodAndPath = operation.split(" ", 2);
            String path = methodAndPath[1].replace("{model}", InferenceProtocolRoutes.MODEL_NAME);
            HttpResponse<Buffer> response = client.request(HttpMethod.valueOf(methodAndPath[0]), port, "127.0.0.1",
                    path).putHeader("Authorization", "Bearer t").send().await();

            assertThat(response.statusCode()).as(operation + ": " + response.bodyAsString()).isNotIn(404, 405);
        }
    }

    /** "GET /v2/models/{model}" for every operation of the document. */
    private Set<String> documentedOperations() {
        Set<String> operations = new TreeSet<>();
        document.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> operations.add(method.name() + " " + path)));
        return operations;
    }

    /** The same for every route with a method and an exact path (prefix routes are filters and static files). */
    private Set<String> servedOperations() {
        Set<String> operations = new TreeSet<>();
        for (Route route : gateway.router().getRoutes()) {
            if (isExact(route) && hasMethods(route)) {
                route.methods().forEach(method -> operations.add(
                        method.name().toUpperCase(Locale.ROOT) + " " + openApiPath(route.getPath())));
            }
        }
        return operations;
    }

    private static boolean hasMethods(Route route) {
        return route.methods() != null && !route.methods().isEmpty();
    }

    /** A path or a path template such as {@code /v2/models/:model} (which Vert.x also calls a regex). */
    private static boolean isExact(Route route) {
        return route.getPath() != null && route.isExactPath();
    }

    /** Vert.x's {@code /v2/models/:model} is OpenAPI's {@code /v2/models/{model}}. */
    private static String openApiPath(String path) {
        return path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
    }
}
