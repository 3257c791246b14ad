package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;

/**
 * The Open Inference Protocol v2 REST API (KServe, Triton, MLServer), for one model named {@value #MODEL_NAME}:
 * server and model metadata, health, and inference on a batch of pictures. Errors are {@code {"error": "..."}}.
 * Versioned paths ({@code /versions/{v}}) and the binary tensor extension are not offered.
 */
final class InferenceProtocolRoutes {
    static final String MODEL_NAME = "catvnoncat";
    static final String SERVER_NAME = "catvsnoncat";
    static final String PLATFORM = "catvsnoncat-java";
    static final String INPUT_NAME = "input";
    static final String FP64 = "FP64";
    /** Below this a body parses faster on the event loop than the hop to a worker thread costs. */
    private static final int PARSE_INLINE_BYTES = 16 * 1024;
    private static final String MODEL_PARAM = "model";
    /** The model's input and outputs, as its metadata (REST and gRPC) describes them; -1 is the batch. */
    static final List<Tensor> INPUTS = List.of(new Tensor(INPUT_NAME, InferRequestParser.UINT8,
            -1, InferRequestParser.SIDE, InferRequestParser.SIDE, InferRequestParser.CHANNELS));
    static final List<Tensor> OUTPUTS = List.of(new Tensor(InferRequestParser.PROBABILITY, FP64, -1, 1),
            new Tensor(InferRequestParser.LABEL, InferRequestParser.BYTES, -1, 1));

    /** A tensor's name, datatype and shape. */
    record Tensor(String name, String datatype, long... shape) {
    }

    private final ApiRoutes api;
    private final HealthRoutes health;
    private final long bodyLimitBytes;
    private final String serverVersion;
    /**
     * Large bodies are parsed off the event loop, at most one per core: each parse holds a few MB of arrays, and
     * eight at once on the shared worker pool (a batch per connection) made the heap promote them early.
     */
    private final WorkerExecutor parsers;
    private final InferRequestParser parser;

    /** @param maxBatch the classifier's batch limit, checked while parsing so no larger batch is ever decoded */
    InferenceProtocolRoutes(Vertx vertx, ApiRoutes api, HealthRoutes health, long bodyLimitBytes,
                            String serverVersion, int maxBatch) {
        this.api = api;
        this.parser = new InferRequestParser(maxBatch);
        this.health = health;
        this.bodyLimitBytes = bodyLimitBytes;
        this.serverVersion = serverVersion;
        this.parsers = vertx.createSharedWorkerExecutor("catvsnoncat-infer-parse",
                Runtime.getRuntime().availableProcessors());
    }

    void mount(Router router) {
        router.get("/v2").handler(this::server);
        // Its own routes, before any body is read: an unknown model is a 404 whatever the request.
        router.route("/v2/models/:model").handler(this::requireModel);
        router.route("/v2/models/:model/*").handler(this::requireModel);
        router.get("/v2/models/:model").handler(this::model);
        router.get("/v2/models/:model/ready").handler(health::ready);
        router.post("/v2/models/:model/infer").handler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes))
                .handler(this::infer);
    }

    private void server(RoutingContext ctx) {
        Responses.json(ctx, new JsonObject().put("name", SERVER_NAME).put("version", serverVersion)
                .put("extensions", new JsonArray()));
    }

    private void requireModel(RoutingContext ctx) {
        String model = ctx.pathParam(MODEL_PARAM);
        if (MODEL_NAME.equals(model)) {
            ctx.next();
        } else {
            ctx.fail(new HttpException(HttpResponseStatus.NOT_FOUND.code(), unknownModel(model)));
        }
    }

    static String unknownModel(String name) {
        return "unknown model \"" + name + "\"; this server has \"" + MODEL_NAME + "\"";
    }

    private void model(RoutingContext ctx) {
        api.request(ctx, ClassifierApi.MODEL, new JsonObject()).onSuccess(metadata -> Responses.json(ctx,
                new JsonObject()
                        .put("name", MODEL_NAME)
                        .put("versions", new JsonArray().add(versionOf(metadata)))
                        .put("platform", PLATFORM)
                        .put("inputs", tensors(INPUTS))
                        .put("outputs", tensors(OUTPUTS))))
                .onFailure(ctx::fail);
    }

    private void infer(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        String header = ctx.request().getHeader(InferRequestParser.INFERENCE_HEADER_LENGTH);
        Future<InferRequest> parsed = bytes.length <= PARSE_INLINE_BYTES
                ? Future.succeededFuture().map(ignored -> parse(bytes, header))
                : parsers.executeBlocking(() -> parse(bytes, header), false);
        parsed.compose(request -> api.request(ctx, ClassifierApi.INFER, request.toMessage())
                        .map(reply -> response(request, reply)))
                .onSuccess(response -> Responses.json(ctx, response))
                .onFailure(ctx::fail);
    }

    private InferRequest parse(byte[] body, String headerLength) {
        return parser.parse(body, InferRequestParser.headerLength(headerLength, body.length));
    }

    static JsonObject response(InferRequest request, JsonObject reply) {
        JsonArray probabilities = reply.getJsonArray(ClassifierApi.PROBABILITIES);
        JsonArray labels = reply.getJsonArray(ClassifierApi.LABELS);
        List<String> wanted = request.outputs().isEmpty()
                ? List.of(InferRequestParser.PROBABILITY, InferRequestParser.LABEL) : request.outputs();
        JsonArray outputs = new JsonArray();
        for (String name : wanted) {
            boolean probability = name.equals(InferRequestParser.PROBABILITY);
            outputs.add(tensor(name, probability ? FP64 : InferRequestParser.BYTES, probabilities.size(), 1)
                    .put("data", probability ? probabilities : labels));
        }
        JsonObject response = new JsonObject()
                .put("model_name", MODEL_NAME)
                .put("model_version", versionOf(reply));
        request.id().ifPresent(id -> response.put("id", id));
        return response.put("outputs", outputs);
    }

    private static JsonArray tensors(List<Tensor> tensors) {
        JsonArray array = new JsonArray();
        tensors.forEach(tensor -> array.add(tensor(tensor.name(), tensor.datatype(), tensor.shape())));
        return array;
    }

    static String versionOf(JsonObject reply) {
        JsonObject model = reply.getJsonObject(ClassifierApi.MODEL_INFO, new JsonObject());
        return model.getString(ClassifierApi.VERSION, "");
    }

    private static JsonObject tensor(String name, String datatype, long... shape) {
        JsonArray dimensions = new JsonArray();
        for (long dimension : shape) {
            dimensions.add(dimension);
        }
        return new JsonObject().put("name", name).put("datatype", datatype).put("shape", dimensions);
    }
}
