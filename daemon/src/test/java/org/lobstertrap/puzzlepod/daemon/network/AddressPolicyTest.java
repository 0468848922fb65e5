package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255", "127.0.0.1",
            "127.8.8.8", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.88.99.1",
            "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250",
            "240.0.0.1", "255.255.255.255",
            "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::10.0.0.1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
            "2001:db8::1", "2001::1", "64:ff9b::a00:1", "64:ff9b::7f00:1", "2002:c0a8:101::1", "2002:7f00:1::1", "3fff::1", "100::1"})
    void nonPublicAddressesAreRefused(String literal) {
        assertThat(AddressPolicy.publicOnly().permits(InetAddress.ofLiteral(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.216.34", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
            "192.0.1.255", "192.167.255.255", "192.169.0.1", "198.17.255.255", "198.20.0.1", "223.255.255.254",
            "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:93.184.216.34", "64:ff9b::5db8:d822", "2002:5db8:d822::1"})
    void publicAddressesArePermitted(String literal) {
        assertThat(AddressPolicy.publicOnly().permits(InetAddress.ofLiteral(literal))).as(literal).isTrue();
    }

    @Test
    void exceptionsAreExactAddresses() {
        AddressPolicy p = AddressPolicy.publicOnly().orExactly(Set.of(InetAddress.ofLiteral("127.0.0.1")));
        assertThat(p.permits(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
        assertThat(p.permits(InetAddress.ofLiteral("127.0.0.2"))).isFalse();
        assertThat(p.permits(InetAddress.ofLiteral("1.1.1.1"))).isTrue();
    }
}
