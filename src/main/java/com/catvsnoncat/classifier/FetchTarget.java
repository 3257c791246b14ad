package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A picture URL after the checks that need no network: http or https, no user name or password, a host, a valid
 * port. {@link java.net.URI} leaves the host of some URLs unparsed ({@code http://127.1:8080/} has a null host), so
 * the authority is read here in that case; a host that is a number in any spelling is turned into its address by
 * {@link NumericHost}.
 *
 * @param uri     the URL, to resolve redirects against
 * @param host    the host in lower case, IPv6 without brackets
 * @param port    the port, explicit or the scheme's default
 * @param https   whether to speak TLS
 * @param literal the address, when the host is an address rather than a name
 */
record FetchTarget(URI uri, String host, int port, boolean https, Optional<InetAddress> literal) {
    private static final int HTTP_PORT = 80;
    private static final int HTTPS_PORT = 443;

    /** The URL a visitor gave. */
    static FetchTarget parse(String url) {
        if (url == null || url.isBlank()) {
            throw invalid("the image URL is empty");
        }
        try {
            return of(new URI(url.trim()));
        } catch (URISyntaxException e) {
            throw invalid("the image URL is not a valid URL: " + e.getReason());
        }
    }

    /** The target a redirect from this one points to. */
    FetchTarget redirect(String location) {
        try {
            return of(uri.resolve(new URI(location.trim())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid("the image URL redirects to an invalid URL");
        }
    }

    static FetchTarget of(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.SCHEME, "only http and https image URLs are "
                    + "fetched, not " + (scheme.isEmpty() ? "a URL without a scheme" : scheme + ":"));
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw invalid("the image URL has no host name");
        }
        if (uri.getRawUserInfo() != null || authority.contains("@")) {
            throw new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.CREDENTIALS,
                    "image URLs with a user name or password are refused");
        }
        boolean https = scheme.equals("https");
        String host;
        int port;
        if (uri.getHost() != null) {
            host = uri.getHost();
            port = uri.getPort();
        } else {
            // A "registry" authority java.net.URI did not take for a server: host[:port], read here.
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? -1 : port(authority.substring(colon + 1));
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || host.contains("%") && !host.contains(":")) {
            throw invalid("the image URL's host name is not valid");
        }
        return new FetchTarget(uri, host, port == -1 ? https ? HTTPS_PORT : HTTP_PORT : port, https,
                NumericHost.parse(host));
    }

    /** The request target: the path (at least "/") and the query. */
    String pathAndQuery() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static int port(String text) {
        try {
            int port = text.isEmpty() ? -1 : Integer.parseInt(text);
            if (port == 0 || port > 65535 || !text.chars().allMatch(Character::isDigit)) {
                throw invalid("the image URL's port " + text + " is not valid");
            }
            return port;
        } catch (NumberFormatException e) {
            throw invalid("the image URL's port " + text + " is not valid");
        }
    }

    private static FetchRefusal invalid(String message) {
        return new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.INVALID_URL, message);
    }
}
