package com.catvsnoncat.classifier;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Refuses every address that is not global unicast (the ranges of docs RELIABILITY.md): loopback, private,
 * shared (CGNAT), link-local with the cloud metadata address, documentation, benchmarking, multicast, reserved and
 * broadcast, in IPv4 and IPv6, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo) judged by
 * that address. The JDK's {@code isSiteLocalAddress} and friends miss several of these, hence explicit ranges.
 */
final class PublicAddressPolicy implements AddressPolicy {
    private static final String LOOPBACK = "a loopback address";

    private record Range(byte[] network, int prefixBits, String what) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int wholeBytes = prefixBits / 8;
            for (int i = 0; i < wholeBytes; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int restBits = prefixBits % 8;
            int mask = (0xff << (8 - restBits)) & 0xff;
            return restBits == 0 || (address[wholeBytes] & mask) == (network[wholeBytes] & mask);
        }
    }

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", "in 0.0.0.0/8 (this network)"),
            range("10.0.0.0/8", "a private address"),
            range("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
            range("127.0.0.0/8", LOOPBACK),
            range("169.254.0.0/16", "a link-local address (cloud metadata lives here)"),
            range("172.16.0.0/12", "a private address"),
            range("192.0.0.0/24", "an IETF protocol address"),
            range("192.0.2.0/24", "a documentation address"),
            range("192.168.0.0/16", "a private address"),
            range("198.18.0.0/15", "a benchmarking address"),
            range("198.51.100.0/24", "a documentation address"),
            range("203.0.113.0/24", "a documentation address"),
            range("224.0.0.0/4", "a multicast address"),
            range("240.0.0.0/4", "a reserved or broadcast address"));

    private static final List<Range> IPV6 = List.of(
            range("::/128", "the unspecified address"),
            range("::1/128", LOOPBACK),
            range("100::/64", "a discard-only address"),
            range("2001:db8::/32", "a documentation address"),
            range("64:ff9b:1::/48", "a local-use NAT64 address"),
            range("fc00::/7", "a unique-local (private) address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", "a site-local address"),
            range("ff00::/8", "a multicast address"));

    private static final Range MAPPED = range("::ffff:0:0/96", "");
    private static final Range COMPATIBLE = range("::/96", "");
    private static final Range NAT64 = range("64:ff9b::/96", "");
    private static final Range SIX_TO_FOUR = range("2002::/16", "");
    private static final Range TEREDO = range("2001::/32", "");

    private final boolean allowLoopback;

    PublicAddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    @Override
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        Optional<Range> own = rangeOf(bytes, address instanceof Inet4Address ? IPV4 : IPV6);
        if (own.isPresent()) {
            return refused(own.get()).map(what -> address.getHostAddress() + " is " + what);
        }
        for (byte[] embedded : embeddedIpv4(bytes)) {
            Optional<String> inner = rangeOf(embedded, IPV4).flatMap(this::refused);
            if (inner.isPresent()) {
                return Optional.of(address.getHostAddress() + " embeds " + ipv4(embedded) + ", " + inner.get());
            }
        }
        return Optional.empty();
    }

    private static Optional<Range> rangeOf(byte[] bytes, List<Range> ranges) {
        return ranges.stream().filter(range -> range.contains(bytes)).findFirst();
    }

    private Optional<String> refused(Range range) {
        return allowLoopback && range.what().equals(LOOPBACK) ? Optional.empty() : Optional.of(range.what());
    }

    /** The IPv4 addresses an IPv6 address carries, each of which a packet may end up at. */
    private static List<byte[]> embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return List.of();
        }
        if (MAPPED.contains(bytes) || COMPATIBLE.contains(bytes) || NAT64.contains(bytes)) {
            return List.of(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return List.of(Arrays.copyOfRange(bytes, 2, 6));
        }
        if (TEREDO.contains(bytes)) {
            // Teredo: the server's IPv4 in bits 32-63, the client's in the last 32 bits, inverted.
            byte[] client = Arrays.copyOfRange(bytes, 12, 16);
            for (int i = 0; i < client.length; i++) {
                client[i] = (byte) ~client[i];
            }
            return List.of(Arrays.copyOfRange(bytes, 4, 8), client);
        }
        return List.of();
    }

    private static String ipv4(byte[] bytes) {
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }

    private static Range range(String cidr, String what) {
        int slash = cidr.indexOf('/');
        String network = cidr.substring(0, slash);
        int prefixBits = Integer.parseInt(cidr.substring(slash + 1));
        return new Range(literalBytes(network), prefixBits, what);
    }

    /** The bytes of an address literal, keeping IPv4-mapped IPv6 literals 16 bytes long (the JDK shortens them). */
    private static byte[] literalBytes(String literal) {
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (literal.contains(":") && bytes.length == 4) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                return mapped;
            }
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }
}
