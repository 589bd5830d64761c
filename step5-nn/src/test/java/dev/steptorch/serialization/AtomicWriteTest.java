package dev.steptorch.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file or folder appears whole or not at all, and what a killed write left is cleaned up. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aFileIsReplacedWholeAndNoTemporaryFileStays() throws IOException {
        Path file = dir.resolve("model.safetensors");
        AtomicWrite.file(file, tmp -> Files.writeString(tmp, "first"));
        AtomicWrite.file(file, tmp -> Files.writeString(tmp, "second"));
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(names()).containsExactly("model.safetensors");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNothingElse() throws IOException {
        Path file = dir.resolve("checkpoint.safetensors");
        AtomicWrite.file(file, tmp -> Files.writeString(tmp, "good"));
        assertThatThrownBy(() -> AtomicWrite.file(file, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("good");
        assertThat(names()).containsExactly("checkpoint.safetensors");
    }

    @Test
    void orphansOfAKilledWriteAreRemovedAndNothingElse() throws IOException {
        Files.writeString(dir.resolve(".checkpoint.safetensors.123.tmp"), "half");
        Files.createDirectories(dir.resolve(".cats.456.tmp").resolve("train"));
        Files.writeString(dir.resolve("loss.png"), "keep");
        Files.writeString(dir.resolve("notes.tmp"), "keep: not ours (no leading dot)");
        assertThat(AtomicWrite.removeOrphans(dir)).isEqualTo(2);
        assertThat(names()).containsExactly("loss.png", "notes.tmp");
        assertThat(AtomicWrite.removeOrphans(dir.resolve("missing"))).isZero();
    }

    @Test
    void aFolderAppearsWholeOnceAndASecondWriterYields() throws IOException {
        Path target = dir.resolve("cats");
        assertThat(AtomicWrite.directory(target, tmp -> Files.writeString(tmp.resolve("a.txt"), "a"))).isTrue();
        assertThat(AtomicWrite.directory(target, tmp -> Files.writeString(tmp.resolve("b.txt"), "b"))).isFalse();
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.txt");
        }
        assertThat(names()).containsExactly("cats");
    }
}
