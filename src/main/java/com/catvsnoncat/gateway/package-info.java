/**
 * The one HTTP server: the page API, the original system's routes, the Open Inference Protocol (REST, and gRPC on
 * the same port), health, admin, metrics and the OpenAPI document, with the checks every request passes (access, body limits and pace, protocol
 * checks, CORS). It turns requests into event-bus messages to the services and their replies or failures into
 * responses; it does no CPU-heavy work itself.
 *
 * <p>May use: bus, classifier, config, grpc, tracing, weather, web (their event-bus contracts and settings, and the
 * gRPC messages generated from src/main/proto; never a service's work).
 */
package com.catvsnoncat.gateway;
