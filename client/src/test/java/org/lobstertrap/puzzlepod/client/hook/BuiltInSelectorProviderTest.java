package org.lobstertrap.puzzlepod.client.hook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Naming the JDK's own selector provider changes which provider the tools get: not at all. */
class BuiltInSelectorProviderTest {
    /** Prints the provider a fresh JVM ends up with, after {@code choose()} when asked to. */
    public static final class Probe {
        public static void main(String[] args) {
            if (args.length > 0) BuiltInSelectorProvider.choose();
            System.out.print(java.nio.channels.spi.SelectorProvider.provider().getClass().getName());
        }
    }

    private static String probe(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theNamedProviderIsTheOneTheJdkFindsByItself() throws Exception {
        assertThat(probe()).as("the JDK's own provider, found by the service search").isEqualTo(BuiltInSelectorProvider.LINUX_DEFAULT);
        assertThat(probe("choose")).isEqualTo(BuiltInSelectorProvider.LINUX_DEFAULT);
    }

    @Test
    void aProviderNamedByTheUserIsKept() {
        String before = System.getProperty(BuiltInSelectorProvider.PROPERTY);
        try {
            System.setProperty(BuiltInSelectorProvider.PROPERTY, "com.example.Provider");
            BuiltInSelectorProvider.choose();
            assertThat(System.getProperty(BuiltInSelectorProvider.PROPERTY)).isEqualTo("com.example.Provider");
        } finally {
            if (before == null) System.clearProperty(BuiltInSelectorProvider.PROPERTY);
            else System.setProperty(BuiltInSelectorProvider.PROPERTY, before);
        }
    }
}
