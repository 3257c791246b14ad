package com.catvsnoncat.gateway;

import com.catvsnoncat.config.BuildVersion;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * What the gateway reads once at start, off the event loop (a classpath read can block).
 *
 * @param version  the application's version, as the build wrote it
 * @param openApi  the OpenAPI document served at {@value #OPENAPI_PATH}
 */
record StartupResources(String version, Buffer openApi) {
    static final String OPENAPI_PATH = "/openapi.yaml";
    static final String OPENAPI_TYPE = "application/yaml";
    private static final String OPENAPI_RESOURCE = "openapi.yaml";

    static StartupResources load() {
        return new StartupResources(BuildVersion.get(), readOpenApi());
    }

    private static Buffer readOpenApi() {
        try (InputStream in = StartupResources.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
