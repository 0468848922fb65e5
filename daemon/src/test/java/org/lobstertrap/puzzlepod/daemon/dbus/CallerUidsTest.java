package org.lobstertrap.puzzlepod.daemon.dbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallerUidsTest {
    @Test
    void asksTheBusOncePerConnectionAndForgetsConnectionsThatLeave() {
        List<String> asked = new ArrayList<>();
        CallerUids uids = new CallerUids(name -> { asked.add(name); return name.equals(":1.7") ? 1000 : 0; });
        assertThat(uids.uidOf(":1.7")).isEqualTo(1000);
        assertThat(uids.uidOf(":1.7")).isEqualTo(1000);
        assertThat(uids.uidOf(":1.8")).isZero();
        assertThat(asked).containsExactly(":1.7", ":1.8");
        uids.ownerChanged("org.example.Name", "");   // a well-known name: not a connection leaving
        uids.ownerChanged(":1.7", ":1.7");            // still there
        assertThat(uids.size()).isEqualTo(2);
        uids.ownerChanged(":1.7", "");
        assertThat(uids.size()).isEqualTo(1);
        assertThat(uids.uidOf(":1.7")).isEqualTo(1000);
        assertThat(asked).containsExactly(":1.7", ":1.8", ":1.7");
    }
}
