package dev.steptorch.vision;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts a {@code .tar.gz} with Apache Commons Compress (every tar dialect: ustar, GNU long
 * names, pax headers). Only files and folders are written; links and devices are skipped, and an
 * entry that would land outside the destination is refused.
 */
final class TarGz {
    private TarGz() {
    }

    static void extract(Path archive, Path destination) throws IOException {
        Path root = destination.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isDirectory()) {
                    Files.createDirectories(inside(root, entry.getName(), true));
                } else if (entry.isFile()) {
                    Path target = inside(root, entry.getName(), false);
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The entry's path under root, or an error if its name (absolute, or with "..") would leave root. */
    private static Path inside(Path root, String name, boolean mayBeRoot) throws IOException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root) || p.equals(root) && !mayBeRoot) {
            throw new IOException("tar entry '" + name + "' would be extracted outside " + root.getFileName());
        }
        return p;
    }
}
