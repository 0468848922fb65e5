package org.lobstertrap.puzzlepod.daemon.network;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's DNS resolver, as {@code /etc/resolv.conf} names it. */
public final class ResolvConf {
    /** The host's resolver configuration. */
    public static final Path DEFAULT = Path.of("/etc/resolv.conf");

    private ResolvConf() {}

    /**
     * The first {@code nameserver} of {@code file}, port 53.
     *
     * @throws IOException when the file cannot be read or names no usable name server
     */
    public static InetSocketAddress firstNameserver(Path file) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                String addr = words[1];
                int zone = addr.indexOf('%'); // a link-local zone id cannot be expressed in a literal here
                if (zone >= 0) continue;
                try {
                    return new InetSocketAddress(InetAddress.ofLiteral(addr), 53);
                } catch (IllegalArgumentException e) {
                    continue; // not an IP literal: not a valid nameserver line
                }
            }
        }
        throw new IOException(file + " names no usable nameserver");
    }
}
