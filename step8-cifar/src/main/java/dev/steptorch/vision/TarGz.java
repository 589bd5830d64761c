package dev.steptorch.vision;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a {@code .tar.gz} with the JDK alone: gzip via {@link GZIPInputStream}, and just enough
 * of the tar format (ustar, GNU long names, pax path records) for dataset archives. Links and
 * devices are skipped; an entry that would land outside the destination is refused.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {
    }

    static void extract(Path archive, Path destination) throws IOException {
        Path root = destination.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            String longName = null;
            while (true) {
                if (!readBlock(in, header)) {
                    return; // some writers stop without the two zero blocks
                }
                if (isZero(header)) {
                    return;
                }
                String name = string(header, 0, 100);
                if (longName == null && string(header, 257, 5).equals("ustar")) {
                    String prefix = string(header, 345, 155);
                    if (!prefix.isEmpty()) {
                        name = prefix + "/" + name;
                    }
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                long size = size(header);
                char type = (char) header[156];
                switch (type) {
                    case 'L' -> longName = trimNul(new String(readData(in, size), StandardCharsets.UTF_8));
                    case 'x' -> longName = paxPath(readData(in, size));
                    case '0', '\0' -> {
                        Path file = inside(root, name);
                        Files.createDirectories(file.getParent());
                        try (OutputStream out = Files.newOutputStream(file)) {
                            copy(in, out, size);
                        }
                        skip(in, padding(size));
                    }
                    case '5' -> {
                        Files.createDirectories(inside(root, name));
                        skip(in, size + padding(size));
                    }
                    default -> skip(in, size + padding(size));
                }
            }
        }
    }

    private static Path inside(Path root, String name) throws IOException {
        Path p = root.resolve(name).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw new IOException("tar entry '" + name + "' would be extracted outside " + root.getFileName());
        }
        return p;
    }

    private static long size(byte[] h) throws IOException {
        if ((h[124] & 0x80) != 0) { // GNU base-256 for sizes over 8 GiB
            long v = h[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v;
        }
        String octal = string(h, 124, 12).trim();
        try {
            return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
        } catch (NumberFormatException e) {
            throw new IOException("corrupt tar header: size field '" + octal + "' is not octal");
        }
    }

    private static String paxPath(byte[] data) {
        // Records are "LEN key=value\n"; only the path matters here.
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return null;
    }

    private static String string(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul >= 0 ? s.substring(0, nul) : s;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("truncated tar archive: a header block ends after " + n + " bytes");
        }
        return true;
    }

    private static byte[] readData(InputStream in, long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException("tar metadata entry of " + size + " bytes is implausibly large");
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("truncated tar archive");
        }
        skip(in, padding(size));
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new EOFException("truncated tar archive: an entry ends " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("truncated tar archive");
                }
                s = 1;
            }
            left -= s;
        }
    }
}
