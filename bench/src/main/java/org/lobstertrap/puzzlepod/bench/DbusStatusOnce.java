package org.lobstertrap.puzzlepod.bench;

import org.lobstertrap.puzzlepod.client.BusChoice;
import org.lobstertrap.puzzlepod.client.PuzzlePodClient;

/**
 * What a hook or CLI invocation does at the least: start a JVM, connect to the bus, make one call to
 * puzzled, print the answer. {@link DbusBenchmark} times it as a fresh process. Argument: the bus address.
 */
public final class DbusStatusOnce {
    private DbusStatusOnce() {}

    public static void main(String[] args) throws Exception {
        try (PuzzlePodClient c = PuzzlePodClient.connect(BusChoice.address(args[0]))) {
            System.out.println(c.status());
        }
    }
}
