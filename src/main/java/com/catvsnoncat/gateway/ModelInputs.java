package com.catvsnoncat.gateway;

import static com.catvsnoncat.gateway.InferRequestParser.bad;

import com.catvsnoncat.gateway.ProtocolShapes.TensorMetadata;
import java.util.List;

/**
 * The inputs every served model lists in its metadata, and the one rule REST and gRPC requests are held to: exactly
 * one input, named as the metadata names it, of a datatype that input takes. Two inputs, because a picture can come
 * as pixels or as a file:
 * <ul>
 *   <li>{@value #PIXELS}: UINT8 {@code [N, 64, 64, 3]}, channel-last 0..255; FP32 with the same values is accepted
 *       too (metadata has one datatype per input, and clients that normalise send floats);</li>
 *   <li>{@value #FILES}: BYTES {@code [N]} (or {@code [N, 1]}), each element an encoded picture file.</li>
 * </ul>
 * Before this rule any name was accepted; the README's examples already sent {@code image} for files and
 * {@code input} for pixels, so those clients are unchanged, and others learn the names from the 400.
 */
final class ModelInputs {
    static final String PIXELS = "input";
    static final String FILES = "image";
    /** What a mistake's message says the model takes. */
    static final String EXPECTED = "\"" + PIXELS + "\" (" + TensorPayload.UINT8 + " or " + TensorPayload.FP32
            + ", shape [N, " + TensorPayload.SIDE + ", " + TensorPayload.SIDE + ", " + TensorPayload.CHANNELS
            + "]) or \"" + FILES + "\" (" + TensorPayload.BYTES + ", shape [N]: encoded picture files)";

    private static final int SHOWN_CHARS = 64;

    private ModelInputs() {
    }

    /** The inputs as model metadata (REST and gRPC) lists them. */
    static List<TensorMetadata> metadata() {
        return List.of(new TensorMetadata(PIXELS, TensorPayload.UINT8, -1, TensorPayload.SIDE, TensorPayload.SIDE,
                        TensorPayload.CHANNELS),
                new TensorMetadata(FILES, TensorPayload.BYTES, -1));
    }

    /** @throws io.vertx.ext.web.handler.HttpException 400 naming the inputs, unless {@code count} is 1 */
    static void checkCount(int count) {
        if (count != 1) {
            throw bad("the model takes exactly one input tensor, " + EXPECTED + "; the request has "
                    + (count > 1 ? "more than one" : "none"));
        }
    }

    /** @throws io.vertx.ext.web.handler.HttpException 400 naming the inputs, unless {@code name} is one of them */
    static void checkName(String name) {
        if (name == null) {
            throw bad("the input has no \"name\"; the model takes " + EXPECTED);
        }
        if (!name.equals(PIXELS) && !name.equals(FILES)) {
            throw bad("unknown input \"" + shown(name) + "\"; the model takes " + EXPECTED);
        }
    }

    /**
     * @param name     a name {@link #checkName} let through
     * @param datatype its datatype as sent
     * @throws io.vertx.ext.web.handler.HttpException 400 naming the inputs, unless the input takes that datatype
     */
    static void checkDatatype(String name, String datatype) {
        boolean pixels = datatype.equals(TensorPayload.UINT8) || datatype.equals(TensorPayload.FP32);
        boolean files = datatype.equals(TensorPayload.BYTES);
        boolean forPixels = name.equals(PIXELS);
        if (forPixels ? pixels : files) {
            return;
        }
        String hint = forPixels && files ? "; encoded picture files go in \"" + FILES + "\""
                : !forPixels && pixels ? "; pixels go in \"" + PIXELS + "\"" : "";
        throw bad("input \"" + name + "\" does not take datatype " + shown(datatype) + hint + "; the model takes "
                + EXPECTED);
    }

    /** A client's text in an error: printable, and short whatever was sent. */
    private static String shown(String text) {
        return RequestLogging.printable(text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...");
    }
}
