package org.lobstertrap.puzzlepod.core.changeset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.lobstertrap.puzzlepod.core.linux.FileStat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangesetJsonTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static Changeset sample() {
        return new Changeset(List.of(
                new Change(RelPath.of("src/main.c"), ChangeKind.Modified, false, 120, FileStat.S_IFREG | 0644, 1000, 100,
                        "ab".repeat(32), null, null, 0, FileStat.S_IFREG | 0600),
                new Change(RelPath.of("bin"), ChangeKind.Added, true, 0, FileStat.S_IFDIR | 0755, 0, 0,
                        null, null, null, 0, null),
                new Change(RelPath.of(new byte[] {'c', 'a', 'f', (byte) 0xe9, '\n'}), ChangeKind.Symlink, false, 0,
                        FileStat.S_IFLNK | 0777, 0, 0, null, new byte[] {'/', 'e', 't', 'c', (byte) 0xff}, null, 0, FileStat.S_IFREG | 0644),
                new Change(RelPath.of("bin/tool2"), ChangeKind.Hardlink, false, 30, FileStat.S_IFREG | 04755, 0, 0,
                        "cd".repeat(32), null, RelPath.of("bin/tool"), 0, null),
                new Change(RelPath.of("bin/tool"), ChangeKind.Added, false, 30, FileStat.S_IFREG | 04755, 0, 0,
                        "cd".repeat(32), null, null, 0, null),
                new Change(RelPath.of("old"), ChangeKind.Deleted, true, 0, FileStat.S_IFDIR | 0700, 0, 0,
                        null, null, null, 0, FileStat.S_IFDIR | 0700)));
    }

    @Test void everyChangeHasTheFullPolicyInputShape() throws Exception {
        JsonNode root = MAPPER.readTree(ChangesetJson.toJson(sample()));
        JsonNode changes = root.get("changes");
        assertThat(changes).hasSize(6);
        for (JsonNode c : changes) {
            assertThat(c.fieldNames()).toIterable().containsExactlyInAnyOrder("path", "kind", "type", "directory", "size",
                    "checksum", "target", "new_mode", "old_mode", "old_type", "uid", "gid", "hardlink_of");
        }
        JsonNode modified = changes.get(5);
        assertThat(modified.get("path").asText()).isEqualTo("src/main.c");
        assertThat(modified.get("kind").asText()).isEqualTo("Modified");
        assertThat(modified.get("type").asText()).isEqualTo("file");
        assertThat(modified.get("size").asLong()).isEqualTo(120);
        assertThat(modified.get("checksum").asText()).isEqualTo("ab".repeat(32));
        assertThat(modified.get("new_mode").asInt()).isEqualTo(0644);
        assertThat(modified.get("old_mode").asInt()).isEqualTo(0600);
        assertThat(modified.get("uid").asInt()).isEqualTo(1000);
        assertThat(modified.get("gid").asInt()).isEqualTo(100);
        assertThat(modified.get("directory").asBoolean()).isFalse();
        assertThat(modified.get("target").isNull()).isTrue();
        assertThat(modified.get("hardlink_of").isNull()).isTrue();
    }

    @Test void hostileBytesAreEscapedAndSpecialFieldsFilled() throws Exception {
        JsonNode changes = MAPPER.readTree(ChangesetJson.toJson(sample())).get("changes");
        assertThat(changes.get(0).get("path").asText()).isEqualTo("bin");
        assertThat(changes.get(0).get("directory").asBoolean()).isTrue();
        assertThat(changes.get(0).get("old_mode").isNull()).isTrue();
        assertThat(changes.get(2).get("hardlink_of").asText()).isEqualTo("bin/tool");
        assertThat(changes.get(2).get("new_mode").asInt()).isEqualTo(04755);
        JsonNode link = changes.get(3);
        assertThat(link.get("path").asText()).isEqualTo("caf\\xe9\\x0a");
        assertThat(link.get("target").asText()).isEqualTo("/etc\\xff");
        assertThat(link.get("type").asText()).isEqualTo("symlink");
        assertThat(link.get("old_type").asText()).isEqualTo("file");
        assertThat(changes.get(4).get("kind").asText()).isEqualTo("Deleted");
    }

    @Test void totalsCountBytesAndEveryKind() throws Exception {
        JsonNode root = MAPPER.readTree(ChangesetJson.toJson(sample()));
        assertThat(root.get("total_bytes_changed").asLong()).isEqualTo(180);
        assertThat(root.get("total_changes").asInt()).isEqualTo(6);
        JsonNode counts = root.get("counts");
        assertThat(counts.size()).isEqualTo(ChangeKind.values().length);
        assertThat(counts.get("Added").asInt()).isEqualTo(2);
        assertThat(counts.get("Modified").asInt()).isEqualTo(1);
        assertThat(counts.get("Deleted").asInt()).isEqualTo(1);
        assertThat(counts.get("Symlink").asInt()).isEqualTo(1);
        assertThat(counts.get("Hardlink").asInt()).isEqualTo(1);
        assertThat(counts.get("Fifo").asInt()).isZero();
    }

    @Test void emptyChangesetAndStreamWriting() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChangesetJson.write(Changeset.empty(), out);
        out.write('\n'); // the stream stays open for the caller
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("{\"changes\":[],\"total_bytes_changed\":0,\"total_changes\":0,");
    }

    @Test void ownersAboveTwoToThe31AreUnsigned() {
        Change c = new Change(RelPath.of("f"), ChangeKind.Added, false, 0, FileStat.S_IFREG | 0644, -2, -2,
                "00".repeat(32), null, null, 0, null);
        assertThat(ChangesetJson.toTree(c).get("uid").asLong()).isEqualTo(4294967294L);
    }
}
