/**
 * The classifier service: answers classify, explain, model and readiness requests on the event bus
 * ({@link com.catvsnoncat.classifier.ClassifierApi}, the contract both sides use), downloads pictures by URL under
 * an address policy, runs decoding and the network in a bounded worker pool, and holds, warms up and reloads the
 * model.
 *
 * <p>May use: bus, config, data, model, nn, tracing.
 */
package com.catvsnoncat.classifier;
