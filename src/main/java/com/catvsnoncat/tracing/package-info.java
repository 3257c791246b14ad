/**
 * OpenTelemetry tracing through Vert.x's own integration, on only when an OTLP endpoint is configured, and the
 * tracer the services make their own spans with.
 *
 * <p>May use: nothing else in the project.
 */
package com.catvsnoncat.tracing;
