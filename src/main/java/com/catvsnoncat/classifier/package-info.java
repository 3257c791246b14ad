/**
 * The classifier service: answers classify, explain, model and readiness requests on the event bus
 * ({@link com.catvsnoncat.classifier.ClassifierApi}, the contract both sides use), downloads pictures by URL under
 * an address policy, runs decoding and the network in a bounded worker pool, and serves the models of a repository
 * (versions by policy, warmed up before they answer, polled, loaded and unloaded on request, with statistics).
 *
 * <p>Why the contract is JsonObject messages and not a Vert.x service proxy ({@code @ProxyGen} with {@code @DataObject}
 * messages): measured with {@code make bench-contracts} (EventBusContractBenchmark, a classify round trip with the
 * classifier's request and reply shapes, 64 calls in flight, both in the same JMH run), a proxy call cost 1.87 and
 * 2.16 us against 1.40 and 1.46 us for the raw request (two runs, 2 forks x 6 s each, measured under load: load
 * average 10-15 on 2 shared cores), so 0.5-0.7 us more a call: a thousandth of the ~1 ms of CPU a classification
 * takes. Speed would allow it; the change is not small. Every request carries its own delivery options (the
 * caller's request id as a header, a per-call timeout), which a proxy fixes when it is built; the gateway maps the
 * {@link com.catvsnoncat.bus.Failure} codes of eleven addresses; and the build would need codegen's annotation
 * processor in the main compile. Kept as it is; revisit if other verticles start calling the classifier.
 *
 * <p>May use: bus, config, data, model, nn, tracing.
 */
package com.catvsnoncat.classifier;
