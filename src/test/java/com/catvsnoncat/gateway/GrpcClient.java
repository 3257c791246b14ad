package com.catvsnoncat.gateway;

import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java's generated blocking stub over Netty (HTTP/2 cleartext, prior knowledge), as a Triton or KServe client
 * in Java calls the service: what the gRPC tests talk to the running gateway with.
 */
public final class GrpcClient implements AutoCloseable {
    private final ManagedChannel channel;

    public GrpcClient(int port) {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()
                .maxInboundMessageSize(64 << 20).build();
    }

    public GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub() {
        return GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    /** The stub with one metadata entry on every call, e.g. {@code authorization: Bearer <key>}. */
    public GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub(String header, String value) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of(header, Metadata.ASCII_STRING_MARSHALLER), value);
        return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
