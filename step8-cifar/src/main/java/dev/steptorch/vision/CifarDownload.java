package dev.steptorch.vision;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * torchvision's {@code download_and_extract_archive} for CIFAR-10: everything happens in a temporary
 * folder inside {@code root}, and only a verified, complete {@code cifar-10-batches-bin} is moved
 * into place, in one rename; on any failure the temporary folder is deleted.
 */
final class CifarDownload {
    private CifarDownload() {
    }

    static Path download(Path root, URI url, String md5) throws IOException {
        Path target = root.resolve(CIFAR10.BASE_FOLDER);
        if (CIFAR10.hasAllFiles(target)) {
            return target; // torchvision: "Files already downloaded and verified"
        }
        if (Files.exists(target)) {
            throw new IOException(target + " exists but lacks some CIFAR-10 files; delete it and download again");
        }
        boolean createdRoot = !Files.exists(root);
        Files.createDirectories(root);
        boolean done = false;
        Path tmp = Files.createTempDirectory(root, ".cifar10-download-");
        try {
            Path archive = tmp.resolve("cifar-10-binary.tar.gz");
            String actual = fetch(url, archive);
            if (!actual.equalsIgnoreCase(md5)) {
                throw new IOException("MD5 mismatch for " + url + ": expected " + md5 + ", got " + actual
                        + "; the download was corrupted or is not the CIFAR-10 binary archive, and was deleted");
            }
            Path extracted = tmp.resolve("extracted");
            TarGz.extract(archive, extracted);
            Path unpacked = extracted.resolve(CIFAR10.BASE_FOLDER);
            if (!CIFAR10.hasAllFiles(unpacked)) {
                throw new IOException("the archive from " + url + " has no complete " + CIFAR10.BASE_FOLDER + " folder");
            }
            try {
                Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, target); // same file system, so this is a rename in practice
            }
            done = true;
            return target;
        } finally {
            deleteRecursively(tmp);
            if (!done && createdRoot) {
                deleteRecursively(root);
            }
        }
    }

    /** Streams the url to a file and returns the MD5 of what was received, hex-encoded. */
    private static String fetch(URI url, Path file) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks MD5", e);
        }
        URLConnection connection = url.toURL().openConnection();
        connection.setConnectTimeout(30_000);
        connection.setReadTimeout(60_000);
        if (connection instanceof HttpURLConnection http && http.getResponseCode() != HttpURLConnection.HTTP_OK) {
            throw new IOException("downloading " + url + " failed: HTTP " + http.getResponseCode() + " " + http.getResponseMessage());
        }
        try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md5.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
