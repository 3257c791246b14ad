package com.catvsnoncat.gateway;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Locale;

/**
 * Reads the body of a picture request into memory, at most {@code limit} bytes: a JSON document, raw picture bytes,
 * or from multipart/form-data the file field {@value #FIELD} (other fields are read and dropped). Any other
 * Content-Type is a 415 before anything is read. Nothing is ever written to disk, so no upload files can pile up.
 * Beyond the limit the answer is 413: at once when Content-Length says so, else as soon as the limit is passed.
 */
final class ImageBody implements Handler<RoutingContext> {
    static final String FIELD = "image";
    private static final String BODY_KEY = "imageBody";

    /**
     * A body as read.
     *
     * @param mediaType the Content-Type without parameters, lower case
     * @param bytes     the body, or the file field's bytes for multipart
     * @param multipart whether it came from a multipart form
     */
    record Content(String mediaType, Buffer bytes, boolean multipart) {
    }

    private final long limit;

    ImageBody(long limit) {
        this.limit = limit;
    }

    static Content of(RoutingContext ctx) {
        return ctx.get(BODY_KEY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String mediaType = mediaType(request.getHeader(HttpHeaders.CONTENT_TYPE));
        if (!ImageRequests.accepted(mediaType)) {
            ctx.fail(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE.code());
            return;
        }
        // A URL in JSON needs a few hundred bytes: its own small bound, so its parsed tree stays small too.
        long bodyLimit = mediaType.equals(ImageRequests.JSON) ? BoundedJson.CONTROL.maxBytes() : limit;
        if (!BodyReads.admit(ctx, bodyLimit)) {
            return;
        }
        Reader reader = new Reader(ctx, mediaType, bodyLimit);
        if (mediaType.equals(ImageRequests.MULTIPART)) {
            request.setExpectMultipart(true);
            request.uploadHandler(reader::upload);
        }
        request.exceptionHandler(reader::failed).handler(reader::chunk).endHandler(reader::end).resume();
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /** The state of one request's body while it is read. */
    private final class Reader {
        private final RoutingContext ctx;
        private final String mediaType;
        private final boolean multipart;
        private final long bodyLimit;
        private final ClosingDelimiter closing;
        private Buffer body = Buffer.buffer();
        private long received;
        private boolean failed;
        private boolean imageSeen;
        private boolean imageEnded;
        private boolean requestEnded;

        Reader(RoutingContext ctx, String mediaType, long bodyLimit) {
            this.ctx = ctx;
            this.bodyLimit = bodyLimit;
            this.mediaType = mediaType;
            this.multipart = mediaType.equals(ImageRequests.MULTIPART);
            this.closing = multipart ? new ClosingDelimiter(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)) : null;
        }

        /** Every byte of the request passes here, multipart or not, so the limit covers it all. */
        void chunk(Buffer chunk) {
            if (failed) {
                return;
            }
            received += chunk.length();
            if (received > bodyLimit) {
                failed = true;
                body = null;
                ctx.fail(BoundedJson.tooLarge(bodyLimit));
            } else if (!multipart) {
                body.appendBuffer(chunk);
            } else {
                closing.feed(chunk);
            }
        }

        void upload(HttpServerFileUpload upload) {
            if (!FIELD.equals(upload.name()) || imageSeen) {
                upload.handler(ignored -> { });
                return;
            }
            imageSeen = true;
            upload.handler(chunk -> {
                if (!failed) {
                    body.appendBuffer(chunk);
                }
            });
            upload.endHandler(ignored -> {
                imageEnded = true;
                complete();
            });
        }

        void failed(Throwable failure) {
            if (!failed) {
                failed = true;
                body = null;
                // The decoder's own text ("Size exceed allowed maximum capacity", "null") means nothing to a client.
                ctx.fail(ErrorResponses.badRequest(multipart ? "the multipart form is malformed"
                        : "the request body could not be read"));
            }
        }

        void end(Void ignored) {
            requestEnded = true;
            if (multipart && !closing.seen() && !failed) {
                // The decoder never ends a part that the body cuts off, and says nothing: without this, the request
                // would wait for that part until the idle timeout.
                failed = true;
                body = null;
                ctx.fail(ErrorResponses.badRequest("the multipart form ends without its closing boundary"));
                return;
            }
            complete();
        }

        /** Goes on once the request and, for multipart, the image part have both ended. */
        private void complete() {
            if (failed || !requestEnded || imageSeen && !imageEnded) {
                return;
            }
            if (multipart && !imageSeen) {
                failed = true;
                ctx.fail(new HttpException(HttpResponseStatus.BAD_REQUEST.code(),
                        "the multipart form has no file field \"" + FIELD + "\""));
                return;
            }
            ctx.put(BODY_KEY, new Content(mediaType, body, multipart));
            ctx.next();
        }
    }
}
