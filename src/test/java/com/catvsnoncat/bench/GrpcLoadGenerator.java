package com.catvsnoncat.bench;

import com.catvsnoncat.bench.LoadGenerator.Result;
import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import com.catvsnoncat.grpc.v2.ModelInferRequest;
import com.catvsnoncat.grpc.v2.ModelInferResponse;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC twin of {@link LoadGenerator}'s closed loop: {@code connections} grpc-java channels (each its own HTTP/2
 * connection, one call in flight, the next sent when the last is answered) calling ModelInfer, counted the same way
 * (the warm-up not counted, latency from send to answer, anything but OK an error, keyed by gRPC status code).
 */
final class GrpcLoadGenerator implements AutoCloseable {
    private final int port;
    private final List<ManagedChannel> channels = new ArrayList<>();

    GrpcLoadGenerator(int port) {
        this.port = port;
    }

    Future<Result> closedLoop(ModelInferRequest request, int connections, long warmupMs, long measureMs) {
        while (channels.size() < connections) {
            // directExecutor: the answer is handled on the channel's own Netty thread, as the HTTP generator's is
            // on its event loop.
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
                    .maxInboundMessageSize(64 << 20).build());
        }
        Run run = new Run(request, connections, warmupMs, measureMs);
        for (int c = 0; c < connections; c++) {
            run.loop(channels.get(c));
        }
        return run.done.future();
    }

    @Override
    public void close() throws InterruptedException {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One run; its counter is guarded by the run itself (the channels answer on their own threads). */
    private static final class Run {
        final ModelInferRequest request;
        final LatencyCounter counted;
        final Promise<Result> done = Promise.promise();
        int running;

        Run(ModelInferRequest request, int connections, long warmupMs, long measureMs) {
            this.request = request;
            this.running = connections;
            this.counted = new LatencyCounter(warmupMs, measureMs);
        }

        void loop(ManagedChannel channel) {
            if (System.nanoTime() >= counted.endNanos) {
                finished();
                return;
            }
            long sent = System.nanoTime();
            ListenableFuture<ModelInferResponse> call = ClientCalls.futureUnaryCall(
                    channel.newCall(GRPCInferenceServiceGrpc.getModelInferMethod(), CallOptions.DEFAULT), request);
            call.addListener(() -> {
                int status = status(call);
                synchronized (this) {
                    counted.ended(sent, status == 0, status);
                }
                loop(channel);
            }, MoreExecutors.directExecutor());
        }

        private static int status(ListenableFuture<ModelInferResponse> call) {
            try {
                call.get();
                return 0;
            } catch (ExecutionException e) {
                return e.getCause() instanceof StatusRuntimeException failure
                        ? failure.getStatus().getCode().value() : -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private synchronized void finished() {
            if (--running == 0) {
                done.complete(counted.result());
            }
        }
    }
}
