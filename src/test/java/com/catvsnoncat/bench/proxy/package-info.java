/**
 * A typed event-bus contract shaped like the classifier's classify request and reply, generated as a Vert.x service
 * proxy, for {@link com.catvsnoncat.bench.EventBusContractBenchmark} to hold against the raw JsonObject requests the
 * services use. Benchmark code only: nothing in the application uses it.
 */
@ModuleGen(name = "catvsnoncat-bench-proxy", groupPackage = "com.catvsnoncat.bench.proxy")
package com.catvsnoncat.bench.proxy;

import io.vertx.codegen.annotations.ModuleGen;
