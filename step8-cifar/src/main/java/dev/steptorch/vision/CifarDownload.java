package dev.steptorch.vision;

import dev.steptorch.serialization.AtomicWrite;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLConnection;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * torchvision's {@code download_and_extract_archive} for CIFAR-10, with its messages:
 * {@code Downloading URL to PATH}, a byte progress bar, {@code Extracting PATH to ROOT}, and
 * {@code Files already downloaded and verified} when the files are there. Everything happens in a
 * temporary folder inside {@code root}, and only a verified, complete {@code cifar-10-batches-bin}
 * is moved into place, in one rename; on any failure, or when the JVM is stopped (Ctrl-C), the
 * temporary folder is deleted, and one left by a killed JVM is deleted by the next download.
 */
final class CifarDownload {
    private static final String TMP_PREFIX = ".cifar10-download.";

    private CifarDownload() {
    }

    static Path download(Path root, URI url, String md5) throws IOException {
        return download(root, url, md5, System.out, System.err);
    }

    /** Messages go to {@code out} (stdout, as torchvision prints them), the progress bar to {@code progress}. */
    static Path download(Path root, URI url, String md5, PrintStream out, PrintStream progress) throws IOException {
        Path target = root.resolve(CIFAR10.BASE_FOLDER);
        if (CIFAR10.hasAllFiles(target)) {
            out.println("Files already downloaded and verified");
            return target;
        }
        if (Files.exists(target)) {
            throw new IOException(target + " exists but lacks some CIFAR-10 files; delete it and download again");
        }
        boolean createdRoot = !Files.exists(root);
        Files.createDirectories(root);
        removeOrphans(root);
        boolean done = false;
        Path tmp = Files.createTempDirectory(root, TMP_PREFIX);
        // Ctrl-C runs shutdown hooks but no finally blocks: the hook removes the half-done download.
        Thread cleanup = new Thread(() -> {
            try {
                AtomicWrite.deleteTree(tmp);
            } catch (IOException e) {
                // the next download removes it
            }
        }, "cifar10-download-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            String name = url.getPath().substring(url.getPath().lastIndexOf('/') + 1);
            Path archive = tmp.resolve(name.isEmpty() ? "cifar-10-binary.tar.gz" : name);
            out.println("Downloading " + url + " to " + root.resolve(archive.getFileName()));
            String actual = fetch(url, archive, progress);
            if (!actual.equalsIgnoreCase(md5)) {
                throw new IOException("MD5 mismatch for " + url + ": expected " + md5 + ", got " + actual
                        + "; the download was corrupted or is not the CIFAR-10 binary archive, and was deleted");
            }
            out.println("Extracting " + root.resolve(archive.getFileName()) + " to " + root);
            Path extracted = tmp.resolve("extracted");
            TarGz.extract(archive, extracted);
            Path unpacked = extracted.resolve(CIFAR10.BASE_FOLDER);
            if (!CIFAR10.hasAllFiles(unpacked)) {
                throw new IOException("the archive from " + url + " has no complete " + CIFAR10.BASE_FOLDER + " folder");
            }
            try {
                Files.move(unpacked, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(unpacked, target); // same file system, so this is a rename in practice
            }
            done = true;
            return target;
        } finally {
            AtomicWrite.deleteTree(tmp);
            if (!done && createdRoot) {
                AtomicWrite.deleteTree(root);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the cleaning
            }
        }
    }

    /** Temporary folders of downloads whose JVM was killed before it could clean up. */
    private static void removeOrphans(Path root) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(root, TMP_PREFIX + "*")) {
            for (Path p : old) {
                AtomicWrite.deleteTree(p);
            }
        }
    }

    /** Streams the url to a file, showing a byte progress bar, and returns the MD5 of what was received, hex-encoded. */
    private static String fetch(URI url, Path file, PrintStream progress) throws IOException {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks MD5", e);
        }
        try {
            URLConnection connection = url.toURL().openConnection();
            connection.setConnectTimeout(30_000);
            connection.setReadTimeout(60_000);
            if (connection instanceof HttpURLConnection http && http.getResponseCode() != HttpURLConnection.HTTP_OK) {
                throw new IOException("downloading " + url + " failed: HTTP " + http.getResponseCode() + " " + http.getResponseMessage());
            }
            long total = connection.getContentLengthLong();
            ByteBar bar = new ByteBar(progress, total);
            long received = 0;
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(file)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md5.update(buf, 0, n);
                    out.write(buf, 0, n);
                    received += n;
                    bar.update(received);
                }
            }
            bar.finish(received);
            if (total >= 0 && received != total) {
                throw new IOException("downloading " + url + " stopped after " + received + " of " + total + " bytes");
            }
        } catch (UnknownHostException | ConnectException | NoRouteToHostException | SocketTimeoutException e) {
            throw new IOException("cannot download " + url + ": no connection (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "). Without internet, copy CIFAR-10's binary files from another machine and "
                    + "point --data at their folder (see the README: CIFAR-10 without internet)", e);
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    /**
     * tqdm's bar for bytes: {@code [=======>      ] 45.2/162.6 MB  3.1 MB/s  ETA 0:38}, redrawn in
     * place on a terminal, a line at every tenth of the way otherwise.
     */
    static final class ByteBar {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private final long total;
        private final boolean redraw = dev.steptorch.vision.train.ProgressBar.onTerminal();
        private final long start = System.nanoTime();
        private long lastDraw;
        private int lastTenth;

        ByteBar(PrintStream out, long total) {
            this.out = out;
            this.total = total;
        }

        void update(long bytes) {
            if (out == null) {
                return;
            }
            long now = System.nanoTime();
            if (redraw) {
                if (now - lastDraw >= 100_000_000L) {
                    lastDraw = now;
                    out.print("\r" + line(bytes, now));
                    out.flush();
                }
            } else if (total > 0) {
                int tenth = (int) (10 * bytes / total);
                if (tenth > lastTenth && bytes < total) {
                    lastTenth = tenth;
                    out.println(line(bytes, now));
                }
            }
        }

        void finish(long bytes) {
            if (out == null) {
                return;
            }
            out.print((redraw ? "\r" : "") + line(bytes, System.nanoTime()));
            out.println();
            out.flush();
        }

        String line(long bytes, long now) {
            double seconds = Math.max(1e-9, (now - start) / 1e9);
            double rate = bytes / seconds;
            StringBuilder sb = new StringBuilder("[");
            int filled = total > 0 ? (int) (WIDTH * Math.min(bytes, total) / total) : 0;
            for (int i = 0; i < WIDTH; i++) {
                sb.append(i < filled ? '=' : i == filled && total > 0 ? '>' : ' ');
            }
            sb.append("] ");
            if (total > 0) {
                sb.append(String.format(Locale.ROOT, "%.1f/%.1f MB  %3d%%", bytes / 1e6, total / 1e6, 100 * bytes / total));
            } else {
                sb.append(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
            }
            sb.append(String.format(Locale.ROOT, "  %.1f MB/s", rate / 1e6));
            if (total > 0 && bytes < total && rate > 0) {
                long eta = Math.round((total - bytes) / rate);
                sb.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
            }
            return sb.toString();
        }
    }
}
