package org.lobstertrap.puzzlepod.daemon.seccomp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.core.linux.Processes;

/** The watcher on real processes: an action runs once its process exits, not before, and never for one still running at close. */
class InitExitWatcherTest {
    @Test
    void each_action_runs_once_its_process_has_exited() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1), second = new CountDownLatch(1);
        Process a = new ProcessBuilder("sleep", "60").start(), b = new ProcessBuilder("sleep", "60").start();
        try (InitExitWatcher w = new InitExitWatcher()) {
            w.watch(Processes.pidfdOpen((int) a.pid()), () -> { ran.add("a"); first.countDown(); });
            w.watch(Processes.pidfdOpen((int) b.pid()), () -> { ran.add("b"); second.countDown(); });
            assertThat(w.size()).isEqualTo(2);
            assertThat(ran).isEmpty();
            a.destroyForcibly().waitFor();
            assertThat(first.await(10, TimeUnit.SECONDS)).as("the action after a's exit").isTrue();
            assertThat(ran).containsExactly("a");
            assertThat(w.size()).isEqualTo(1);
            b.destroyForcibly().waitFor();
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("a", "b");
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
    }

    @Test
    void a_failing_action_does_not_stop_the_others_and_close_runs_none() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        Process a = new ProcessBuilder("sleep", "60").start(), b = new ProcessBuilder("sleep", "60").start(),
                c = new ProcessBuilder("sleep", "60").start();
        try {
            InitExitWatcher w = new InitExitWatcher();
            w.watch(Processes.pidfdOpen((int) a.pid()), () -> { throw new IllegalStateException("a bug in an action"); });
            w.watch(Processes.pidfdOpen((int) b.pid()), () -> { ran.add("b"); after.countDown(); });
            w.watch(Processes.pidfdOpen((int) c.pid()), () -> ran.add("c"));
            a.destroyForcibly().waitFor();
            b.destroyForcibly().waitFor();
            assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
            w.close();
            c.destroyForcibly().waitFor();
            Thread.sleep(200);
            assertThat(ran).containsExactly("b");
            assertThat(w.size()).isZero();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
            c.destroyForcibly();
        }
    }
}
