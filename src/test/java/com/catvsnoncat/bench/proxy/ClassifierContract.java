package com.catvsnoncat.bench.proxy;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.core.Future;

/** The classify call as a service proxy: the generated proxy and handler carry it over the event bus. */
@ProxyGen
public interface ClassifierContract {
    Future<Classification> classify(ClassifyRequest request);
}
