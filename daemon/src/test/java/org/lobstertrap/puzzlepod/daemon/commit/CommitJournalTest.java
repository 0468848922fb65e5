package org.lobstertrap.puzzlepod.daemon.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.core.changeset.RelPath;

class CommitJournalTest {
    private static final List<CommitOp> OPS = List.of(
            new CommitOp.MoveOut(RelPath.of(new byte[] {'o', 'l', 'd', '\n', (byte) 0xff}), 0),
            new CommitOp.PlaceIn(1, RelPath.of("-rf/" + "n".repeat(255))),
            new CommitOp.SetMetadata(RelPath.of("bin/tool"), 0104755, 0xfffffffe, 1000));

    @Test
    void roundTripsRawBytePaths() throws Exception {
        byte[] record = CommitJournal.encode(OPS);
        assertThat(CommitJournal.decode(record)).isEqualTo(OPS);
        String text = new String(record, StandardCharsets.US_ASCII);
        assertThat(text.lines().count()).as("one line per operation plus header and end").isEqualTo(OPS.size() + 2);
        assertThat(text).doesNotContain("old");
    }

    @Test
    void refusesATruncatedOrAlteredRecord() {
        byte[] record = CommitJournal.encode(OPS);
        for (int cut : new int[] {0, 10, record.length / 2, record.length - 1}) {
            assertThatThrownBy(() -> CommitJournal.decode(Arrays.copyOf(record, cut)))
                    .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.error()).isEqualTo(CommitError.JOURNAL_CORRUPT));
        }
        byte[] altered = record.clone();
        altered[30] ^= 1;
        assertThatThrownBy(() -> CommitJournal.decode(altered))
                .isInstanceOfSatisfying(CommitException.class, e -> assertThat(e.getMessage()).contains("checksum"));
    }
}
