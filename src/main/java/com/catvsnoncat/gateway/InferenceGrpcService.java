package com.catvsnoncat.gateway;

import com.catvsnoncat.classifier.ClassifierApi;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.catvsnoncat.grpc.v2.ModelMetadataRequest;
import com.catvsnoncat.grpc.v2.ModelMetadataResponse;
import com.catvsnoncat.grpc.v2.ModelReadyRequest;
import com.catvsnoncat.grpc.v2.ModelReadyResponse;
import com.catvsnoncat.grpc.v2.ModelStatisticsRequest;
import com.catvsnoncat.grpc.v2.ModelStatisticsResponse;
import com.catvsnoncat.grpc.v2.RepositoryIndexRequest;
import com.catvsnoncat.grpc.v2.RepositoryIndexResponse;
import com.catvsnoncat.grpc.v2.RepositoryModelLoadRequest;
import com.catvsnoncat.grpc.v2.RepositoryModelLoadResponse;
import com.catvsnoncat.grpc.v2.RepositoryModelUnloadRequest;
import com.catvsnoncat.grpc.v2.RepositoryModelUnloadResponse;
import com.catvsnoncat.grpc.v2.ServerLiveRequest;
import com.catvsnoncat.grpc.v2.ServerLiveResponse;
import com.catvsnoncat.grpc.v2.ServerMetadataRequest;
import com.catvsnoncat.grpc.v2.ServerMetadataResponse;
import com.catvsnoncat.grpc.v2.ServerReadyRequest;
import com.catvsnoncat.grpc.v2.ServerReadyResponse;
import com.google.protobuf.Message;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.MultiMap;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.CodecException;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.server.GrpcProtocol;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.StatusException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The Open Inference Protocol's gRPC service ({@code inference.GRPCInferenceService}, as KServe and Triton clients
 * call it) on the gateway's own HTTP server: requests whose Content-Type is {@code application/grpc*} come here,
 * everything else goes to the router. Each call becomes the same event-bus request as its REST route, so both answer
 * alike; the metadata calls and inference want an API key when keys are configured (metadata
 * {@code authorization: Bearer <key>} or {@code x-api-key}), health does not, as on REST; the statistics extension's
 * ModelStatistics wants one only for every model's statistics, as REST does. With an admin token
 * configured, the model repository extension's calls (RepositoryIndex, RepositoryModelLoad, RepositoryModelUnload)
 * are served too, wanting {@code authorization: Bearer <admin token>} as their REST routes do; without one they do
 * not exist (UNIMPLEMENTED), as their routes are 404. ServerMetadata lists the extensions this service has, which
 * are not all of REST's: binary tensor data is REST's only.
 *
 * <p>A call's deadline ({@code grpc-timeout}) bounds its event-bus request, so an expired call ends with
 * DEADLINE_EXCEEDED from the gateway. Messages above the body limit are refused (RESOURCE_EXHAUSTED) before they
 * are decoded.
 */
final class InferenceGrpcService {
    static final ServiceName SERVICE = ServiceName.create("inference", "GRPCInferenceService");
    private static final String GRPC_CONTENT_TYPE = "application/grpc";
    private static final String OK = "OK";
    private static final String GRPC_ENCODING = "grpc-encoding";
    private static final String IDENTITY = "identity";

    private final ApiRoutes api;
    private final HealthRoutes health;
    private final AccessControl access;
    private final long busTimeoutMs;
    private final long maxMessageBytes;
    private final String serverVersion;
    private final Optional<byte[]> adminToken;
    private final GrpcProtocolMessages messages;
    private final BodyBudget budget;
    private final BodyPace pace;
    private final WorkerExecutor parsers;
    private final Vertx vertx;
    /** Made at the first call ({@link #handle}); this instance's event loop is the only one to use it. */
    private GrpcServer server;

    /** @param maxBatch the classifier's batch limit, checked before a message's tensor is converted */
    InferenceGrpcService(Vertx vertx, ApiRoutes api, HealthRoutes health, AccessControl access,
                         GatewayConfig settings, String serverVersion, int maxBatch) {
        this.api = api;
        this.health = health;
        this.access = access;
        this.busTimeoutMs = settings.busTimeoutMs();
        this.maxMessageBytes = settings.bodyLimitBytes();
        this.serverVersion = serverVersion;
        this.adminToken = settings.adminToken().map(token -> token.getBytes(StandardCharsets.UTF_8));
        this.messages = new GrpcProtocolMessages(maxBatch);
        this.budget = BodyBudget.of(vertx, settings);
        this.pace = new BodyPace(settings.bodyTimeoutMs(), settings.bodyMinBytesPerSecond());
        this.parsers = InferenceProtocolRoutes.parsers(vertx);
        this.vertx = vertx;
    }

    /**
     * Hands a gRPC call to the server, its body held in the body budget as it arrives ({@link BudgetedGrpcRequest}).
     * The server is set up at the first call, not at start: its protobuf classes and message descriptors cost every
     * start about 45 ms of CPU on an event loop (fresh JVM), which a service never called over gRPC need not pay.
     * A call without {@code grpc-encoding} is said to be uncompressed: Vert.x 5.0.7 throws, and leaves the call
     * hanging, on a message flagged compressed with no encoding named; as identity, such a message fails to decode and
     * the call ends with INVALID_ARGUMENT.
     */
    void handle(HttpServerRequest request) {
        if (server == null) {
            server = server();
        }
        if (!request.headers().contains(GRPC_ENCODING)) {
            request.headers().set(GRPC_ENCODING, IDENTITY);
        }
        server.handle(new BudgetedGrpcRequest(request, budget, maxMessageBytes, pace));
    }

    /** Whether the request is a gRPC call (any of application/grpc, application/grpc+proto, ...). */
    static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.regionMatches(true, 0, GRPC_CONTENT_TYPE, 0, GRPC_CONTENT_TYPE.length());
    }

    /** The gRPC server answering this service's calls. */
    private GrpcServer server() {
        GrpcServer server = GrpcServer.server(vertx, new GrpcServerOptions()
                .setMaxMessageSize(maxMessageBytes)
                // The gateway answers an expired call itself, from the event-bus timeout (see call).
                .setScheduleDeadlineAutomatically(false)
                // JSON requests are the router's: the REST API is the JSON form of this service.
                .removeEnabledProtocol(GrpcProtocol.TRANSCODING));
        unary(server, "ServerLive", ServerLiveRequest.getDefaultInstance(), Guard.OPEN, (caller, request) ->
                Future.succeededFuture(ServerLiveResponse.newBuilder().setLive(true).build()));
        unary(server, "ServerReady", ServerReadyRequest.getDefaultInstance(), Guard.OPEN, (caller, request) ->
                health.readiness(caller.requestId()).map(reply ->
                        ServerReadyResponse.newBuilder().setReady(reply.getBoolean(HealthRoutes.READY)).build()));
        unary(server, "ModelReady", ModelReadyRequest.getDefaultInstance(), Guard.OPEN, this::modelReady);
        unary(server, "ServerMetadata", ServerMetadataRequest.getDefaultInstance(), Guard.OPEN, (caller, request) ->
                Future.succeededFuture(ServerMetadataResponse.newBuilder().setName(InferenceProtocolRoutes.SERVER_NAME)
                        .setVersion(serverVersion).addAllExtensions(extensions(adminToken.isPresent())).build()));
        unary(server, "ModelMetadata", ModelMetadataRequest.getDefaultInstance(), Guard.API_KEY, this::modelMetadata);
        unary(server, "ModelInfer", ModelInferRequest.getDefaultInstance(), Guard.API_KEY, this::modelInfer);
        unary(server, "ModelStatistics", ModelStatisticsRequest.getDefaultInstance(), Guard.OPEN,
                this::modelStatistics);
        if (adminToken.isPresent()) {
            unary(server, "RepositoryIndex", RepositoryIndexRequest.getDefaultInstance(), Guard.ADMIN,
                    (caller, request) -> api.request(caller.requestId(), ClassifierApi.REPOSITORY_INDEX,
                                    new JsonObject(), caller.timeoutMs())
                            .map(reply -> GrpcProtocolMessages.repositoryIndex(AdminRoutes.indexRows(reply,
                                    request.getReady()))));
            unary(server, "RepositoryModelLoad", RepositoryModelLoadRequest.getDefaultInstance(), Guard.ADMIN,
                    (caller, request) -> repository(caller, ClassifierApi.REPOSITORY_LOAD, request.getModelName())
                            .map(RepositoryModelLoadResponse.getDefaultInstance()));
            unary(server, "RepositoryModelUnload", RepositoryModelUnloadRequest.getDefaultInstance(), Guard.ADMIN,
                    (caller, request) -> repository(caller, ClassifierApi.REPOSITORY_UNLOAD, request.getModelName())
                            .map(RepositoryModelUnloadResponse.getDefaultInstance()));
        }
        return server;
    }

    /**
     * The extensions ServerMetadata lists: those this service has, the repository's only with an admin token. Binary
     * tensor data is a REST body format.
     */
    static List<String> extensions(boolean repository) {
        return repository ? List.of(InferenceProtocolRoutes.STATISTICS, InferenceProtocolRoutes.MODEL_REPOSITORY)
                : List.of(InferenceProtocolRoutes.STATISTICS);
    }

    /**
     * The same {@link ClassifierApi#STATS} request as the REST routes': of one model (version) as
     * {@code /v2/models/{name}[/versions/{v}]/stats}, open as they are; with an empty name of every model as
     * {@code /v2/models/stats}, which lists the served models and so wants an API key when keys are configured.
     */
    private Future<ModelStatisticsResponse> modelStatistics(Caller caller, ModelStatisticsRequest request) {
        JsonObject target;
        if (request.getName().isEmpty()) {
            if (!access.admits(caller.headers())) {
                return Future.failedFuture(new StatusException(GrpcStatus.UNAUTHENTICATED,
                        AccessControl.API_KEY_NEEDED));
            }
            // A version alone is the classifier's to refuse, with its reason.
            target = request.getVersion().isEmpty() ? new JsonObject()
                    : new JsonObject().put(ClassifierApi.MODEL_VERSION, request.getVersion());
        } else {
            target = InferenceProtocolRoutes.target(request.getName(), request.getVersion());
        }
        return api.request(caller.requestId(), ClassifierApi.STATS, target, caller.timeoutMs())
                .map(GrpcProtocolMessages::statistics);
    }

    /** A repository load or unload of the named model, the same event-bus request as its REST route. */
    private Future<JsonObject> repository(Caller caller, String address, String model) {
        if (model.isEmpty()) {
            return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "model_name is needed"));
        }
        return api.request(caller.requestId(), address, new JsonObject().put(ClassifierApi.MODEL_NAME, model),
                caller.timeoutMs());
    }

    /**
     * Ready when the model (the version, when named) is warm and serving and the server is not draining; NOT_FOUND
     * when it is not served.
     */
    private Future<ModelReadyResponse> modelReady(Caller caller, ModelReadyRequest request) {
        return health.modelReadiness(caller.requestId(), InferenceProtocolRoutes.target(request.getName(),
                        request.getVersion()), caller.timeoutMs())
                .map(ready -> ModelReadyResponse.newBuilder().setReady(ready).build());
    }

    private Future<ModelMetadataResponse> modelMetadata(Caller caller, ModelMetadataRequest request) {
        return api.request(caller.requestId(), ClassifierApi.MODEL,
                        InferenceProtocolRoutes.target(request.getName(), request.getVersion()), caller.timeoutMs())
                .map(reply -> GrpcProtocolMessages.modelMetadata(InferenceProtocolRoutes.modelMetadata(reply)));
    }

    /**
     * The same {@link ClassifierApi#INFER} request as REST's, from the message converted by the same rules (large
     * ones on the parsing pool, as REST bodies). The bytes of the call stay in the body budget until it is answered
     * ({@link BudgetedGrpcRequest}), as a REST body's do, and the decoded message takes its size again: it and the
     * tensor converted from it are copies the REST path does not make, and without counting them a hundred calls of
     * a few MB at once still filled the image's heap.
     */
    private Future<ModelInferResponse> modelInfer(Caller caller, ModelInferRequest message) {
        int size = message.getSerializedSize();
        if (!budget.tryTake(size)) {
            return Future.failedFuture(new StatusException(GrpcStatus.UNAVAILABLE, BodyBudget.SPENT));
        }
        Future<InferRequest> converted = size <= InferenceProtocolRoutes.PARSE_INLINE_BYTES
                ? Future.succeededFuture().map(ignored -> messages.request(message))
                : parsers.executeBlocking(() -> messages.request(message), false);
        return converted
                .compose(request -> api.request(caller.requestId(), ClassifierApi.INFER, request.toMessage()
                                .mergeIn(InferenceProtocolRoutes.target(message.getModelName(),
                                        message.getModelVersion())), caller.timeoutMs())
                        .map(reply -> GrpcProtocolMessages.response(InferenceProtocolRoutes.response(request,
                                reply))))
                .andThen(done -> budget.giveBack(size));
    }

    /**
     * Runs one unary call: the key check first (before the message is read), then the work on the decoded message,
     * then the answer or the failure as its gRPC status; one access line either way.
     */
    private <Q, R> void answer(GrpcServerRequest<Q, R> call, GrpcMessageDecoder<Q> decoder, Guard guard,
                               BiFunction<Caller, Q, Future<R>> work) {
        long start = System.nanoTime();
        String requestId = RequestLogging.idFor(call.headers().get(RequestLogging.HEADER));
        Caller caller = new Caller(requestId, call.timeout() > 0 ? Math.min(busTimeoutMs, call.timeout())
                : busTimeoutMs, call.headers());
        String refusal = refusal(guard, call.headers());
        Future<R> answer = refusal != null
                ? Future.failedFuture(new StatusException(GrpcStatus.UNAUTHENTICATED, refusal))
                : message(call, decoder).compose(request -> work.apply(caller, request));
        answer.onComplete(done -> {
            StatusException failure = done.failed() ? GrpcFailures.of(done.cause()) : null;
            if (failure == null) {
                call.response().send(done.result());
            } else {
                call.response().fail(failure);
            }
            RequestLogging.logCall(requestId, call.methodName(), failure == null ? OK : failure.status().name(),
                    start, guard == Guard.OPEN);
        });
    }

    /**
     * The call's request message, decoded here rather than by Vert.x so that every way a message can be wrong
     * fails the call with a status: not protobuf, above the size limit (also once inflated), an unknown compression.
     * Only the first message of a call is read: these calls are unary.
     */
    private <Q> Future<Q> message(GrpcServerRequest<Q, ?> call, GrpcMessageDecoder<Q> decoder) {
        Promise<Q> received = Promise.promise();
        boolean[] arrived = {false};
        call.invalidMessageHandler(invalid -> received.tryFail(invalid instanceof MessageSizeOverflowException
                ? tooLarge() : new StatusException(GrpcStatus.INVALID_ARGUMENT, "the request message is not valid")));
        call.messageHandler(message -> {
            if (arrived[0]) {
                return;
            }
            arrived[0] = true;
            decoded(message, decoder).onComplete(done -> {
                if (done.succeeded()) {
                    received.tryComplete(done.result());
                } else {
                    received.tryFail(done.cause());
                }
            });
        });
        // A broken stream or connection (the client gone, a protocol error): its call ends without a bug's INTERNAL.
        call.exceptionHandler(failure -> received.tryFail(failure instanceof StatusException ? failure
                : new StatusException(GrpcStatus.CANCELLED, "the call's stream failed")));
        // A message being inflated has arrived: the call's end comes before its decoding does.
        call.endHandler(ended -> {
            if (!arrived[0]) {
                received.tryFail(new StatusException(GrpcStatus.INVALID_ARGUMENT,
                        "the call ended without a request message"));
            }
        });
        return received.future();
    }

    /**
     * The message decoded: at once when uncompressed; when compressed, inflated and decoded on the parsing pool, one
     * message per core at a time. Inflating costs what the message stands for, up to the size limit however small it
     * was on the wire, which is too much for the event loop; the compressed bytes wait in the body budget
     * ({@link BudgetedGrpcRequest}) meanwhile.
     */
    private <Q> Future<Q> decoded(GrpcMessage message, GrpcMessageDecoder<Q> decoder) {
        try {
            if (!GrpcMessages.isCompressed(message)) {
                return Future.succeededFuture(decode(decoder, message));
            }
        } catch (StatusException e) {
            return Future.failedFuture(e);
        }
        return parsers.executeBlocking(() -> decode(decoder, GrpcMessages.inflated(message, maxMessageBytes)),
                false);
    }

    private static <Q> Q decode(GrpcMessageDecoder<Q> decoder, GrpcMessage message) {
        try {
            return decoder.decode(message);
        } catch (CodecException e) {
            throw new StatusException(GrpcStatus.INVALID_ARGUMENT, "the request message is not a valid protobuf "
                    + "message of this method");
        }
    }

    private StatusException tooLarge() {
        return new StatusException(GrpcStatus.RESOURCE_EXHAUSTED, "the request message is larger than the limit of "
                + ErrorResponses.readableSize(maxMessageBytes));
    }

    /** What a call needs before its message is read. */
    private enum Guard {
        OPEN,
        /** An API key when keys are configured, as the REST routes of the same things. */
        API_KEY,
        /** The admin token, as the repository extension's REST routes. */
        ADMIN
    }

    /** Why the call is refused (UNAUTHENTICATED), or null when its metadata satisfies the guard. */
    private String refusal(Guard guard, MultiMap headers) {
        return switch (guard) {
            case OPEN -> null;
            case API_KEY -> access.admits(headers) ? null : AccessControl.API_KEY_NEEDED;
            case ADMIN -> AdminRoutes.authorized(headers.get(HttpHeaders.AUTHORIZATION), adminToken.orElseThrow())
                    ? null : AdminRoutes.ADMIN_TOKEN_NEEDED;
        };
    }

    /**
     * Who a call's event-bus requests are made for: its request id, and how long they may wait, the gateway's bound or
     * the call's own deadline when that is sooner; and its metadata, for a check that depends on the message.
     */
    private record Caller(String requestId, long timeoutMs, MultiMap headers) {
    }

    /** Serves the unary method {@code name}, whose requests are messages like {@code prototype}, with {@code work}. */
    private <Q extends Message, R extends Message> void unary(GrpcServer server, String name, Q prototype,
                                                              Guard guard, BiFunction<Caller, Q, Future<R>> work) {
        GrpcMessageDecoder<Q> decoder = GrpcMessageDecoder.decoder(prototype);
        ServiceMethod<Q, R> method = ServiceMethod.server(SERVICE, name, GrpcMessageEncoder.encoder(), decoder);
        server.callHandler(method, call -> answer(call, decoder, guard, work));
    }
}
