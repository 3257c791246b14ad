package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressPolicyTest {
    private final AddressPolicy strict = AddressPolicy.publicOnly(false);
    private final AddressPolicy loopbackAllowed = AddressPolicy.publicOnly(true);

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.0.9", "169.254.169.254",
        "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7",
        "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "::", "::1", "fc00::1",
        "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1", "2001:db8::1", "100::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:7f00:1::1", "2001:0:a9fe:a9fe::1"})
    void refusesAddressesThatAreNotGlobalUnicast(String literal) throws UnknownHostException {
        assertThat(strict.refusal(InetAddress.getByName(literal))).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.0", "172.32.0.0", "172.15.255.255",
        "192.169.0.1", "2606:4700::1111", "2002:808:808::1", "64:ff9b::808:808"})
    void acceptsGlobalUnicastAddresses(String literal) throws UnknownHostException {
        assertThat(strict.refusal(InetAddress.getByName(literal))).as(literal).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void theLoopbackSwitchAllowsLoopbackOnly(String literal) throws UnknownHostException {
        assertThat(loopbackAllowed.refusal(InetAddress.getByName(literal))).isEmpty();
        assertThat(loopbackAllowed.refusal(InetAddress.getByName("10.0.0.1"))).isPresent();
        assertThat(loopbackAllowed.refusal(InetAddress.getByName("169.254.169.254"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2130706433", "127.1"})
    void numericSpellingsOfLoopbackResolveToLoopbackAndAreRefused(String spelling) throws UnknownHostException {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(spelling);
        } catch (UnknownHostException notNumericForTheJdk) {
            return; // the fetcher cannot connect to a name that does not resolve
        }
        for (InetAddress address : addresses) {
            assertThat(strict.refusal(address)).as(spelling + " -> " + address).isPresent();
        }
    }
}
