package org.lobstertrap.puzzlepod.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Hostile bytes for the parsers: whatever arrives, the only failure is {@link MalformedInput} (a denial). */
class ParserPropertiesTest {
    @Property(tries = 300)
    void arbitraryBytesNeverEscapeAsAnythingButMalformedInput(@ForAll @Size(max = 200) byte[] junk) {
        byte[] b = new byte[junk.length + 4];
        System.arraycopy(junk, 0, b, 0, junk.length);
        b[junk.length] = '\r';
        b[junk.length + 1] = '\n';
        b[junk.length + 2] = '\r';
        b[junk.length + 3] = '\n';
        try {
            HttpRequestHead h = HttpRequestHead.parse(b, b.length);
            if (h != null) h.destination();
        } catch (MalformedInput expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 500)
    void mutatedHellosNeverEscapeAsAnythingButMalformedInput(@ForAll @Size(min = 1, max = 8) int[] positions, @ForAll byte value)
            throws Exception {
        byte[] hello = Fixture.HELLO.clone();
        for (int p : positions) hello[Math.floorMod(p, hello.length)] = value;
        try {
            TlsClientHello.parse(hello, hello.length);
        } catch (MalformedInput expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static final class Fixture {
        static final byte[] HELLO;

        static {
            try {
                HELLO = TlsClients.clientHello("fuzz.example.com");
            } catch (Exception e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
