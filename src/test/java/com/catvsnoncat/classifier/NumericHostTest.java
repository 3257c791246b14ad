package com.catvsnoncat.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumericHostTest {

    @ParameterizedTest
    @CsvSource({
        "2130706433, 127.0.0.1", "0x7f000001, 127.0.0.1", "017700000001, 127.0.0.1", "0x7f.1, 127.0.0.1",
        "0177.0.0.1, 127.0.0.1", "127.1, 127.0.0.1", "127.0.1, 127.0.0.1", "127.0.0.1., 127.0.0.1",
        "0x7f.0x0.0.01, 127.0.0.1", "0xa9fea9fe, 169.254.169.254", "0251.0376.0251.0376, 169.254.169.254",
        "0, 0.0.0.0", "0x, 0.0.0.0", "10.0x10203, 10.1.2.3", "8.8.8.8, 8.8.8.8", "4294967295, 255.255.255.255"})
    void readsIpv4SpellingsAsAResolverDoes(String host, String address) {
        assertThat(NumericHost.parse(host)).map(InetAddress::getHostAddress).contains(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"256.0.0.1", "1.2.3.4.5", "08.0.0.1", "0x100.0.0.1", "4294967296", "1..2.3",
        "99999999999999999999", "a.b.c.0x"})
    void refusesHostsThatEndInANumberButAreNoAddress(String host) {
        assertThatThrownBy(() -> NumericHost.parse(host)).isInstanceOf(FetchRefusal.class)
                .hasMessageContaining("not a valid one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost", "0x7f.example", "1.2.3.example", "1.2.3.0x1g0",
        "cat-pictures.test."})
    void leavesHostNamesToDns(String host) {
        assertThat(NumericHost.parse(host)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"::1, 0:0:0:0:0:0:0:1", "::ffff:127.0.0.1, 127.0.0.1", "::ffff:7f00:1, 127.0.0.1",
        "2001:db8::1, 2001:db8:0:0:0:0:0:1"})
    void readsIpv6LiteralsWithoutDns(String host, String address) {
        assertThat(NumericHost.parse(host)).map(InetAddress::getHostAddress).contains(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::1%eth0", "::zz", "1:2:3:4:5:6:7:8:9"})
    void refusesIpv6LiteralsWithAZoneOrThatAreInvalid(String host) {
        assertThatThrownBy(() -> NumericHost.parse(host)).isInstanceOf(FetchRefusal.class);
    }
}
