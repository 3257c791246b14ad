package com.catvsnoncat.classifier;

import com.catvsnoncat.bus.Failure;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Host names that are addresses, read the way browsers and C resolvers read them, so that a URL cannot reach an
 * address the policy refuses by spelling it oddly. IPv4 follows the WHATWG URL standard (as inet_aton does): one to
 * four dot-separated parts, each decimal, octal with a leading 0 or hexadecimal with 0x, the last part filling the
 * remaining bytes: {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} are all 127.0.0.1. The
 * JDK reads {@code 0177.0.0.1} as 177.0.0.1 and does not know hexadecimal, hence this class. A host whose last part
 * is a number but which is no valid address is refused rather than sent to DNS.
 */
final class NumericHost {
    private static final int MAX_PARTS = 4;

    private NumericHost() {
    }

    /**
     * @param host a URL's host, lower case, IPv6 without brackets
     * @return the address the host names, or empty for a host name that DNS must resolve
     * @throws FetchRefusal for a host that looks numeric but is no valid address
     */
    static Optional<InetAddress> parse(String host) {
        if (host.contains(":")) {
            return Optional.of(literal(host, host));
        }
        String trimmed = host.endsWith(".") && host.length() > 1 ? host.substring(0, host.length() - 1) : host;
        String[] parts = trimmed.split("\\.", -1);
        if (!isNumber(parts[parts.length - 1])) {
            return Optional.empty();
        }
        if (parts.length > MAX_PARTS) {
            throw invalid(host);
        }
        long address = 0;
        for (int i = 0; i < parts.length; i++) {
            long value = value(parts[i], host);
            boolean last = i == parts.length - 1;
            long limit = last ? 1L << (8 * (MAX_PARTS - i)) : 256;
            if (value >= limit) {
                throw invalid(host);
            }
            address = last ? (address << (8 * (MAX_PARTS - i))) | value : (address << 8) | value;
        }
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(host, bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** Decimal digits, or 0x followed by hexadecimal digits (possibly none, which is 0). */
    private static boolean isNumber(String part) {
        if (part.startsWith("0x")) {
            return part.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return !part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long value(String part, String host) {
        if (!isNumber(part)) {
            throw invalid(host);
        }
        int radix = part.startsWith("0x") ? 16 : part.length() > 1 && part.startsWith("0") ? 8 : 10;
        String digits = radix == 16 ? part.substring(2) : radix == 8 ? part.substring(1) : part;
        if (digits.isEmpty()) {
            return 0;
        }
        // More digits than any valid part has: too large, and too long for a long.
        if (digits.length() > 12) {
            throw invalid(host);
        }
        try {
            return Long.parseLong(digits, radix);
        } catch (NumberFormatException e) {
            throw invalid(host); // e.g. 8 or 9 in an octal part
        }
    }

    private static InetAddress literal(String literal, String host) {
        if (literal.contains("%")) {
            throw new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.INVALID_URL,
                    "IPv6 addresses with a zone (" + host + ") are refused");
        }
        try {
            // In brackets the JDK parses it as an IPv6 literal and never asks DNS.
            return InetAddress.getByName("[" + literal + "]");
        } catch (UnknownHostException e) {
            throw invalid(host);
        }
    }

    private static FetchRefusal invalid(String host) {
        return new FetchRefusal(Failure.BAD_REQUEST, FetchRefusal.INVALID_URL,
                "the image URL's host " + host + " looks like an IP address but is not a valid one");
    }
}
