package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DomainAllowlistTest {
    private final DomainAllowlist list = DomainAllowlist.parse(List.of("pypi.org", "*.githubusercontent.com", "db.example.com:5432"));

    @Test
    void exactNamesMatchIgnoringCaseAndOneTrailingDot() {
        assertThat(list.allows("pypi.org", 443)).isTrue();
        assertThat(list.allows("PyPI.ORG", 80)).isTrue();
        assertThat(list.allows("pypi.org.", 443)).isTrue();
        assertThat(list.allows("pypi.org..", 443)).isFalse();
        assertThat(list.allows("www.pypi.org", 443)).as("exact means exact").isFalse();
        assertThat(list.allows("xpypi.org", 443)).isFalse();
        assertThat(list.allows("pypi.org.evil.com", 443)).isFalse();
    }

    @Test
    void wildcardsMatchSubdomainsNotTheApex() {
        assertThat(list.allows("raw.githubusercontent.com", 443)).isTrue();
        assertThat(list.allows("a.b.githubusercontent.com", 443)).isTrue();
        assertThat(list.allows("githubusercontent.com", 443)).isFalse();
        assertThat(list.allows("evilgithubusercontent.com", 443)).isFalse();
        assertThat(list.allows(".githubusercontent.com", 443)).isFalse();
    }

    @Test
    void portsWebPortsWithoutAnEntryPortOnlyTheNamedOneWithIt() {
        assertThat(list.allows("pypi.org", 22)).isFalse();
        assertThat(list.allows("pypi.org", 8443)).isFalse();
        assertThat(list.allows("db.example.com", 5432)).isTrue();
        assertThat(list.allows("db.example.com", 443)).isFalse();
        assertThat(list.allowsName("db.example.com")).as("DNS asks without a port").isTrue();
        assertThat(list.allowsName("x.githubusercontent.com")).isTrue();
        assertThat(list.allowsName("githubusercontent.com")).isFalse();
    }

    @Test
    void hostileNamesNeverMatch() {
        for (String n : new String[] {null, "", ".", "pypi.org\0", "pypi.org ", "p\u0443pi.org", "93.184.216.34", "[::1]", "pypi..org",
                "*.githubusercontent.com", "pypi.org:443", "-pypi.org"})
            assertThat(list.allows(n, 443)).as(String.valueOf(n)).isFalse();
        assertThat(DomainAllowlist.none().allows("pypi.org", 443)).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            api.*.example.com   | '*' is only allowed as the whole leftmost label
            *api.example.com    | '*' is only allowed as the whole leftmost label
            *.*.example.com     | '*' is only allowed as the whole leftmost label
            localhost           | needs a dot
            Example.com         | must be lower-case
            exa_mple.com        | not a valid domain name
            bücher.de           | not a valid domain name
            10.0.0.1            | an IP address
            example.com:0       | port 0 outside 1-65535
            example.com:70000   | port 70000 outside 1-65535
            example.com:https   | invalid port 'https'
            [::1]:443           | needs a dot
            example.com.        | not a valid domain name
            -a.example.com      | not a valid domain name
            """)
    void badEntriesAreRefusedWithTheReason(String entry, String reason) {
        assertThatThrownBy(() -> DomainAllowlist.parse(List.of("ok.example.com", entry)))
                .isInstanceOf(InvalidAllowlistEntry.class)
                .hasMessageContaining("'" + entry + "'")
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((InvalidAllowlistEntry) e).entry()).isEqualTo(entry));
    }

    @Test
    void entriesKeepTheirWrittenForm() {
        assertThat(list.entries()).extracting(Object::toString)
                .containsExactly("pypi.org", "*.githubusercontent.com", "db.example.com:5432");
        assertThat(list.entries().get(1).wildcard()).isTrue();
    }
}
