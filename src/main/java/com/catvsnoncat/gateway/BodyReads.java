package com.catvsnoncat.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** What every body reader does before reading: refuse a declared length over its limit, then ask for the body. */
final class BodyReads {
    private BodyReads() {
    }

    /**
     * Fails the request with 413 when its Content-Length is above {@code limitBytes}; else answers "100 Continue"
     * when the client waits for it.
     *
     * @return whether the body may be read
     */
    static boolean admit(RoutingContext ctx, long limitBytes) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && parseLength(declared) > limitBytes) {
            ctx.fail(BoundedJson.tooLarge(limitBytes));
            return false;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))
                && request.version() != HttpVersion.HTTP_1_0) {
            request.response().writeContinue();
        }
        return true;
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
