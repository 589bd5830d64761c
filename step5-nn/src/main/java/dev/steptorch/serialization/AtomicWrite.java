package dev.steptorch.serialization;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writing a file or a folder so that it is either complete or absent, never half-written: the
 * content goes to a temporary {@code .NAME.XXXX.tmp} beside the target, is forced to disk, and is
 * then renamed onto the target in one step. Every file StepTorch writes (safetensors files,
 * checkpoints, pictures, downloads) goes through here.
 *
 * <p>A process killed in the middle leaves only such a temporary file behind;
 * {@link #removeOrphans(Path)} deletes them, and the lessons call it on their output folder.
 */
public final class AtomicWrite {
    /** The suffix of every temporary file or folder this class makes. */
    public static final String SUFFIX = ".tmp";

    private AtomicWrite() {
    }

    /** Writes the content into the given temporary path (a file, or a folder for {@link #directory}). */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** Writes {@code file} through a temporary file beside it; an existing file is replaced. */
    public static void file(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", SUFFIX);
        boolean moved = false;
        try {
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            move(tmp, target);
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * Fills a temporary folder beside {@code dir} and renames it to {@code dir}, which must not
     * exist yet. Returns false, and drops what was written, if another process made {@code dir}
     * in the meantime.
     */
    public static boolean directory(Path dir, Writer writer) throws IOException {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
        Path named = tmp.resolveSibling(tmp.getFileName() + SUFFIX);
        Files.move(tmp, named);
        try {
            writer.write(named);
            if (Files.exists(target)) {
                return false;
            }
            try {
                Files.move(named, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(named, target);
            } catch (IOException e) {
                if (Files.isDirectory(target)) {
                    return false; // another process finished the same folder first
                }
                throw e;
            }
            syncDirectory(parent);
            return true;
        } finally {
            deleteTree(named);
        }
    }

    /**
     * Deletes the temporary files and folders ({@code .NAME.XXXX.tmp}) that a killed write left
     * in {@code dir}; returns how many. A folder that does not exist has none.
     */
    public static int removeOrphans(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + SUFFIX)) {
            for (Path p : entries) {
                deleteTree(p);
                removed++;
            }
        }
        return removed;
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; not possible on every platform (Windows), where it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            // the data itself was already forced
        }
    }

    /** Deletes a file or a folder with everything in it; nothing happens if it is not there. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
