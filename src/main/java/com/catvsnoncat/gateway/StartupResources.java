package com.catvsnoncat.gateway;

import com.catvsnoncat.app.BuildVersion;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What the gateway reads once at start, off the event loop (a host name lookup and a classpath read can block).
 *
 * @param hostName this host's name, reported by the original system's routes
 * @param version  the application's version, as the build wrote it
 * @param openApi  the OpenAPI document served at {@value #OPENAPI_PATH}
 */
record StartupResources(String hostName, String version, Buffer openApi) {
    static final String OPENAPI_PATH = "/openapi.yaml";
    static final String OPENAPI_TYPE = "application/yaml";
    private static final String OPENAPI_RESOURCE = "openapi.yaml";

    static StartupResources load() {
        return new StartupResources(lookUpHostName(), BuildVersion.get(), readOpenApi());
    }

    private static String lookUpHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
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
