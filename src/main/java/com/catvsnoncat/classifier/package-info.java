/**
 * The classifier service: answers classify, explain, model and readiness requests on the event bus
 * ({@link com.catvsnoncat.classifier.ClassifierApi}, the contract both sides use), downloads pictures by URL under
 * an address policy, runs decoding and the network in a bounded worker pool, and serves the models of a repository
 * (versions by policy, warmed up before they answer, polled, loaded and unloaded on request, with statistics).
 *
 * <p>May use: bus, config, data, model, nn, tracing.
 */
package com.catvsnoncat.classifier;
