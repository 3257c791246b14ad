package com.catvsnoncat.classifier;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses the service may connect to when it fetches a picture for a visitor. The fetcher resolves a host
 * once, asks the policy about every address, and connects to an address the policy accepted, so a name that
 * resolves differently a moment later (DNS rebinding) cannot slip through.
 */
@FunctionalInterface
public interface AddressPolicy {

    /** @return why the service must not connect to {@code address}, or empty if it may */
    Optional<String> refusal(InetAddress address);

    /** Only global unicast addresses; loopback too when {@code allowLoopback} (tests, local development). */
    static AddressPolicy publicOnly(boolean allowLoopback) {
        return new PublicAddressPolicy(allowLoopback);
    }
}
