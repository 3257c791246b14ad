package com.catvsnoncat.gateway;

import com.catvsnoncat.grpc.v2.GRPCInferenceServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * grpc-java's generated blocking stub over Netty (HTTP/2 cleartext, prior knowledge, or TLS), as a Triton or KServe
 * client in Java calls the service: what the gRPC tests talk to the running gateway with.
 */
public final class GrpcClient implements AutoCloseable {
    /** Bytes as they are, to send what is no protobuf message. */
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private final ManagedChannel channel;

    public GrpcClient(int port) {
        this(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext());
    }

    private GrpcClient(NettyChannelBuilder builder) {
        channel = builder.maxInboundMessageSize(64 << 20).build();
    }

    /** Over TLS (HTTP/2 by ALPN), trusting only the PEM certificate {@code trusted}. */
    public static GrpcClient overTls(int port, Path trusted) throws SSLException {
        return new GrpcClient(NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(GrpcSslContexts.forClient().trustManager(trusted.toFile()).build()));
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

    /** Sends {@code message}'s bytes as they are as the request of the service's unary {@code method}. */
    public byte[] callRaw(String method, byte[] message) {
        return callRaw(method, message, CallOptions.DEFAULT);
    }

    /** The same with call options, e.g. a compression. */
    public byte[] callRaw(String method, byte[] message, CallOptions options) {
        return ClientCalls.blockingUnaryCall(channel, MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(InferenceGrpcService.SERVICE.fullyQualifiedName() + "/" + method)
                .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build(), options, message);
    }

    public ManagedChannel channel() {
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
