package com.catvsnoncat.bench;

import com.catvsnoncat.bench.proxy.Classification;
import com.catvsnoncat.bench.proxy.ClassifierContract;
import com.catvsnoncat.bench.proxy.ClassifyRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceBinder;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One classify round trip on the event bus, as the gateway sends it today (a JsonObject request to the classifier's
 * address, a JsonObject reply) and through a Vert.x service proxy with typed request and reply
 * ({@link ClassifierContract}, {@code @ProxyGen} and {@code @DataObject}s), in the same run. The service answers at
 * once with a reply of the classifier's shape, so only what the contract costs is timed: {@value #IN_FLIGHT} calls
 * in flight per operation, as under load, reported per call. {@code make bench-contracts}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
public class EventBusContractBenchmark {
    static final int IN_FLIGHT = 64;
    private static final String RAW = "bench.classify.raw";
    private static final String PROXIED = "bench.classify.proxy";
    private static final String URL = "https://example.com/cat.jpg";

    private Vertx vertx;
    private ClassifierContract proxy;

    @Setup
    public void start() {
        vertx = Vertx.vertx();
        vertx.eventBus().<JsonObject>consumer(RAW, message -> message.reply(answer(message.body().getString("url"))
                .toJson())).completion().await();
        new ServiceBinder(vertx).setAddress(PROXIED).register(ClassifierContract.class,
                request -> Future.succeededFuture(answer(request.url()))).completion().await();
        proxy = new ServiceProxyBuilder(vertx).setAddress(PROXIED).build(ClassifierContract.class);
    }

    @TearDown
    public void stop() {
        vertx.close().await();
    }

    /** The classifier's reply, the same for both contracts. */
    private static Classification answer(String url) {
        return new Classification(url.isEmpty() ? "non-cat" : "cat", 0.875, "catvnoncat", "7", 1.5, 2.25, 0.5,
                4.25);
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Object rawJsonObjectRequest() {
        List<Future<String>> calls = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            calls.add(vertx.eventBus().<JsonObject>request(RAW, new JsonObject().put("url", URL).putNull("model"))
                    .map(Message::body).map(reply -> reply.getString("label")));
        }
        return Future.all(calls).await();
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Object typedServiceProxyCall() {
        List<Future<String>> calls = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < IN_FLIGHT; i++) {
            calls.add(proxy.classify(new ClassifyRequest(URL, null)).map(Classification::label));
        }
        return Future.all(calls).await();
    }
}
