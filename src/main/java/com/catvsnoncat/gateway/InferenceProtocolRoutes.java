package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.gateway.ProtocolShapes.InferResponse;
import com.catvsnoncat.gateway.ProtocolShapes.ModelMetadata;
import com.catvsnoncat.gateway.ProtocolShapes.OutputTensor;
import com.catvsnoncat.gateway.ProtocolShapes.ServerMetadata;
import com.catvsnoncat.gateway.ProtocolShapes.TensorMetadata;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The Open Inference Protocol v2 REST API (KServe, Triton, MLServer) for the models the classifier serves: server
 * and model metadata, readiness, and inference on a batch of pictures, each for a model ({@code /v2/models/{name}},
 * its highest ready version) or one of its versions ({@code /v2/models/{name}/versions/{v}}), and the statistics
 * extension ({@code .../stats}, Triton's shape; {@code /v2/models/stats} for every model). Errors are
 * {@code {"error": "..."}}. Inputs and outputs may use the binary tensor data extension ({@link InferRequestParser},
 * an output's {@code "binary_data": true} or the request's {@code "binary_data_output": true}); {@code /v2} lists
 * the extensions this server has.
 */
final class InferenceProtocolRoutes {
    static final String MODEL_NAME = "catvnoncat";
    static final String SERVER_NAME = "catvsnoncat";
    static final String PLATFORM = "catvsnoncat-java";
    static final String FP64 = "FP64";
    static final String MODEL_REPOSITORY = "model_repository";
    static final String STATISTICS = "statistics";
    /** Below this a body parses faster on the event loop than the hop to a worker thread costs. */
    static final int PARSE_INLINE_BYTES = 16 * 1024;
    /** The worker pool large inference requests (REST bodies, gRPC messages) are read on. */
    static final String PARSE_POOL = "catvsnoncat-infer-parse";
    private static final String MODEL_PARAM = "model";
    private static final String OCTET_STREAM = "application/octet-stream";
    private static final String VERSION_PARAM = "version";
    private static final String VERSIONED = "/v2/models/:model/versions/:version";

    private final ApiRoutes api;
    private final HealthRoutes health;
    private final long busTimeoutMs;
    /**
     * The model names the classifier serves, as it last published them ({@link ClassifierApi#MODELS_CHANGED}) or
     * listed them on a miss ({@link #requireModel}); until then, the default model's name.
     */
    private volatile Set<String> models = Set.of(MODEL_NAME);
    private final long bodyLimitBytes;
    private final String serverVersion;
    /** The protocol extensions this server has; the repository's only with an admin token, which it needs. */
    private final List<String> extensions;
    /**
     * Large bodies are parsed off the event loop, at most one per core: each parse holds a few MB of arrays, and
     * eight at once on the shared worker pool (a batch per connection) made the heap promote them early.
     */
    private final WorkerExecutor parsers;
    private final InferRequestParser parser;

    /**
     * @param maxBatch the classifier's batch limit, checked while parsing so no larger batch is ever decoded; the
     *                 repository extension is listed when {@code settings} has an admin token ({@link AdminRoutes})
     */
    InferenceProtocolRoutes(Vertx vertx, ApiRoutes api, HealthRoutes health, GatewayConfig settings,
                            String serverVersion, int maxBatch) {
        this.api = api;
        this.health = health;
        this.busTimeoutMs = settings.busTimeoutMs();
        this.parser = new InferRequestParser(maxBatch);
        this.bodyLimitBytes = settings.bodyLimitBytes();
        this.serverVersion = serverVersion;
        this.extensions = extensions(settings.adminToken().isPresent());
        this.parsers = parsers(vertx);
    }

    /**
     * Follows the model names the classifier publishes from now on. Called once the server listens: a gateway that
     * fails to start then has no consumer for a publication to arrive at while it is being removed (Vert.x logs each
     * such message, which would bury the one line that says why the start failed). Names published before are asked
     * for on a miss ({@link #requireModel}).
     */
    Future<Void> followModelNames(Vertx vertx) {
        return vertx.eventBus().<JsonObject>consumer(ClassifierApi.MODELS_CHANGED, message -> models = Set.copyOf(
                message.body().getJsonArray(ClassifierApi.MODELS).stream().map(String::valueOf).toList()))
                .completion();
    }

    /** The extensions /v2 lists: the repository's only with an admin token. */
    static List<String> extensions(boolean repositoryRoutes) {
        return repositoryRoutes ? List.of("binary_tensor_data", STATISTICS, MODEL_REPOSITORY)
                : List.of("binary_tensor_data", STATISTICS);
    }

    /** The pool's one instance in this Vert.x, shared by name. */
    static WorkerExecutor parsers(Vertx vertx) {
        return vertx.createSharedWorkerExecutor(PARSE_POOL, Runtime.getRuntime().availableProcessors());
    }

    void mount(Router router) {
        router.get("/v2").handler(this::server);
        // Before the model routes, whose ":model" it would otherwise be (Triton's URL; a model named "stats" has
        // this route in place of its metadata). With API keys it wants one, as "/v2/models/:model" does.
        router.get("/v2/models/stats").handler(ctx -> statistics(ctx, new JsonObject()));
        // Its own routes, before any body is read: an unknown model is a 404 whatever the request.
        router.route("/v2/models/:model").handler(this::requireModel);
        router.route("/v2/models/:model/*").handler(this::requireModel);
        for (String model : List.of("/v2/models/:model", VERSIONED)) {
            router.get(model).handler(this::model);
            router.get(model + "/ready").handler(this::ready);
            router.get(model + "/stats").handler(ctx -> statistics(ctx, target(ctx)));
            router.post(model + "/infer").handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                    .handler(this::infer);
        }
    }

    /** Triton's statistics, of every model or of the model (version) {@code target} names. */
    private void statistics(RoutingContext ctx, JsonObject target) {
        api.request(ctx, ClassifierApi.STATS, target).onSuccess(reply -> Responses.json(ctx, reply))
                .onFailure(ctx::fail);
    }

    private void server(RoutingContext ctx) {
        Responses.json(ctx, new ServerMetadata(SERVER_NAME, serverVersion, extensions).toJson());
    }

    /**
     * Lets a request for a served model on; 404 for others before their body is read. A name the published set lacks
     * is asked of the classifier before the 404: the set is only a fast path, and a gateway that started after the
     * last publication, or has not handled it yet, would otherwise refuse a model that is served.
     */
    private void requireModel(RoutingContext ctx) {
        String model = ctx.pathParam(MODEL_PARAM);
        if (models.contains(model)) {
            ctx.next();
            return;
        }
        // The body waits for the answer: the body handler after this one only reads what is still to come.
        ctx.request().pause();
        api.request(ctx, ClassifierApi.LIST, new JsonObject()).onComplete(listed -> {
            if (listed.failed()) {
                ctx.fail(listed.cause());
            } else {
                Set<String> served = listed.result().getJsonArray(ClassifierApi.MODELS).stream()
                        .map(entry -> ((JsonObject) entry).getString(ClassifierApi.NAME))
                        .collect(Collectors.toUnmodifiableSet());
                models = served;
                if (served.contains(model)) {
                    ctx.next();
                } else {
                    ctx.fail(new HttpException(HttpResponseStatus.NOT_FOUND.code(), "unknown model \"" + model
                            + "\"; this server has " + served.stream().sorted().map(name -> "\"" + name + "\"")
                            .collect(Collectors.joining(", "))));
                }
            }
            // Nothing to do once the body handler has taken over; otherwise the rest of the request flows unread.
            ctx.request().resume();
        });
    }

    /** The classifier message naming the model and, on a versioned path, the version. */
    private static JsonObject target(RoutingContext ctx) {
        return target(ctx.pathParam(MODEL_PARAM), ctx.pathParam(VERSION_PARAM));
    }

    /** The classifier message naming a model and, unless null or empty (its highest ready one), its version. */
    static JsonObject target(String model, String version) {
        JsonObject message = new JsonObject().put(ClassifierApi.MODEL_NAME, model);
        return version == null || version.isEmpty() ? message : message.put(ClassifierApi.MODEL_VERSION, version);
    }

    /**
     * 200 when the model (version) is warm and serving, 503 while it warms up or the server drains, 404 when it is
     * not served.
     */
    private void ready(RoutingContext ctx) {
        health.modelReadiness(RequestLogging.requestId(ctx), target(ctx), busTimeoutMs).onSuccess(ready ->
                Responses.json(ctx, ready ? 200 : HttpResponseStatus.SERVICE_UNAVAILABLE.code(),
                        new JsonObject().put(ClassifierApi.READY_FLAG, ready))).onFailure(ctx::fail);
    }

    private void model(RoutingContext ctx) {
        api.request(ctx, ClassifierApi.MODEL, target(ctx)).map(InferenceProtocolRoutes::modelMetadata)
                .onSuccess(metadata -> Responses.json(ctx, metadata.toJson()))
                .onFailure(ctx::fail);
    }

    /** A model's metadata (REST and gRPC) from the classifier's {@link ClassifierApi#MODEL} reply. */
    static ModelMetadata modelMetadata(JsonObject reply) {
        return new ModelMetadata(nameOf(reply), versionsOf(reply), PLATFORM,
                ModelInputs.metadata(),
                List.of(output(InferRequestParser.PROBABILITY, -1), output(InferRequestParser.LABEL, -1)));
    }

    private void infer(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        String header = ctx.request().getHeader(InferRequestParser.INFERENCE_HEADER_LENGTH);
        Future<InferRequest> parsed = bytes.length <= PARSE_INLINE_BYTES
                ? Future.succeededFuture().map(ignored -> parse(bytes, header))
                : parsers.executeBlocking(() -> parse(bytes, header), false);
        parsed.compose(request -> api.request(ctx, ClassifierApi.INFER, request.toMessage().mergeIn(target(ctx)))
                        .map(reply -> response(request, reply)))
                .onSuccess(response -> answer(ctx, response))
                .onFailure(ctx::fail);
    }

    /** JSON, or with binary outputs the binary tensor data extension: the JSON's length in a header, then bytes. */
    private static void answer(RoutingContext ctx, InferResponse response) {
        if (!response.hasBinary()) {
            Responses.json(ctx, response.toJson());
            return;
        }
        Buffer json = response.toJson().toBuffer();
        ctx.response().putHeader(InferRequestParser.INFERENCE_HEADER_LENGTH, Integer.toString(json.length()))
                .putHeader(HttpHeaders.CONTENT_TYPE, OCTET_STREAM).end(response.withBinary(json));
    }

    private InferRequest parse(byte[] body, String headerLength) {
        return parser.parse(body, InferRequestParser.headerLength(headerLength, body.length));
    }

    /** The response (REST and gRPC) to a request, from the classifier's {@link ClassifierApi#INFER} reply. */
    static InferResponse response(InferRequest request, JsonObject reply) {
        JsonArray probabilities = reply.getJsonArray(ClassifierApi.PROBABILITIES);
        JsonArray labels = reply.getJsonArray(ClassifierApi.LABELS);
        List<String> wanted = request.outputs().isEmpty()
                ? List.of(InferRequestParser.PROBABILITY, InferRequestParser.LABEL) : request.outputs();
        List<OutputTensor> outputs = wanted.stream().map(name -> {
            boolean probability = name.equals(InferRequestParser.PROBABILITY);
            JsonArray data = probability ? probabilities : labels;
            byte[] binary = !request.binaryOutputs().contains(name) ? null
                    : probability ? TensorPayload.fp64(data) : TensorPayload.lengthPrefixed(data);
            return new OutputTensor(output(name, probabilities.size()), data, binary);
        }).toList();
        return new InferResponse(nameOf(reply), versionOf(reply), request.id(), outputs);
    }

    /** The model's outputs: the probability of "cat" (FP64) and the label (BYTES), one per picture. */
    private static TensorMetadata output(String name, long pictures) {
        return new TensorMetadata(name, name.equals(InferRequestParser.PROBABILITY) ? FP64 : TensorPayload.BYTES,
                pictures, 1);
    }

    /** The model that answered, as the repository names it. */
    private static String nameOf(JsonObject reply) {
        return reply.getJsonObject(ClassifierApi.SERVED).getString(ClassifierApi.NAME);
    }

    private static String versionOf(JsonObject reply) {
        return reply.getJsonObject(ClassifierApi.SERVED).getString(ClassifierApi.VERSION);
    }

    /** The served versions of the model. */
    private static List<String> versionsOf(JsonObject metadata) {
        return metadata.getJsonArray(ClassifierApi.VERSIONS).stream().map(String::valueOf).toList();
    }
}
