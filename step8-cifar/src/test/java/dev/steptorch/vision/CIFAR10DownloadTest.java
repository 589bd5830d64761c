package dev.steptorch.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** download=true against a local HTTP server serving a small archive in the official layout. */
class CIFAR10DownloadTest {
    @TempDir
    Path work;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private byte[] archive;
    private String md5;

    @BeforeEach
    void serve() throws Exception {
        Path staging = work.resolve("staging");
        CifarFiles.write(staging, 2, 3);
        TarWriter tar = new TarWriter().directory(CIFAR10.BASE_FOLDER);
        try (Stream<Path> files = Files.list(staging)) {
            for (Path f : files.sorted().toList()) {
                tar.file(CIFAR10.BASE_FOLDER + "/" + f.getFileName(), Files.readAllBytes(f));
            }
        }
        tar.file(CIFAR10.BASE_FOLDER + "/readme.html", "<p>test</p>".getBytes());
        archive = tar.gzipped();
        md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/cifar-10-binary.tar.gz", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, archive.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(archive);
            }
        });
        server.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void downloadsVerifiesAndExtractsOnce() throws IOException {
        Path root = work.resolve("data");
        CIFAR10 train = new CIFAR10(root, true, null, url("/cifar-10-binary.tar.gz"), md5);
        assertThat(train.size()).isEqualTo(10);
        assertThat(train.image(3).get(1, 2, 3)).isEqualTo(CifarFiles.pixel(11, 1, 2, 3));
        assertThat(Files.isRegularFile(root.resolve(CIFAR10.BASE_FOLDER).resolve("readme.html"))).isTrue();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(CIFAR10.BASE_FOLDER);
        }
        // A second dataset over the same root finds the files and does not download again.
        CIFAR10 test = new CIFAR10(root, false, null, url("/cifar-10-binary.tar.gz"), md5);
        assertThat(test.size()).isEqualTo(3);
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aWrongChecksumFailsAndLeavesNothingBehind() throws IOException {
        Path root = Files.createDirectories(work.resolve("data"));
        String wrong = "0".repeat(32);
        assertThatThrownBy(() -> new CIFAR10(root, true, null, url("/cifar-10-binary.tar.gz"), wrong))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("MD5 mismatch")
                .hasMessageContaining(wrong)
                .hasMessageContaining(md5);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aFailedDownloadIntoANewRootRemovesTheRootToo() {
        Path root = work.resolve("fresh");
        assertThatThrownBy(() -> new CIFAR10(root, true, null, url("/missing"), md5))
                .hasMessageContaining("HTTP 404");
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void anArchiveWithoutTheBatchFolderIsRefused() throws Exception {
        byte[] other = new TarWriter().file("something/else.txt", "hi".getBytes()).gzipped();
        server.createContext("/other.tar.gz", exchange -> {
            exchange.sendResponseHeaders(200, other.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(other);
            }
        });
        String otherMd5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(other));
        Path root = Files.createDirectories(work.resolve("data"));
        assertThatThrownBy(() -> new CIFAR10(root, true, null, url("/other.tar.gz"), otherMd5))
                .hasMessageContaining("no complete " + CIFAR10.BASE_FOLDER);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void tarEntriesMayNotEscapeTheDestination() throws Exception {
        Path archivePath = work.resolve("evil.tar.gz");
        Files.write(archivePath, new TarWriter().file("../escaped.txt", "x".getBytes()).gzipped());
        assertThatThrownBy(() -> TarGz.extract(archivePath, work.resolve("out")))
                .hasMessageContaining("outside");
        assertThat(Files.exists(work.resolve("escaped.txt"))).isFalse();
    }

    private final java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    private final java.io.ByteArrayOutputStream bar = new java.io.ByteArrayOutputStream();

    private Path download(Path root, String path, String sum) throws IOException {
        return CifarDownload.download(root, url(path), sum,
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(bar, true, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void saysWhatItDownloadsWhereShowsBytesAndSaysSoTheSecondTime() throws IOException {
        Path root = work.resolve("data");
        download(root, "/cifar-10-binary.tar.gz", md5);
        String first = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first.lines()).containsExactly(
                "Downloading " + url("/cifar-10-binary.tar.gz") + " to " + root.resolve("cifar-10-binary.tar.gz"),
                "Extracting " + root.resolve("cifar-10-binary.tar.gz") + " to " + root);
        String progress = bar.toString(java.nio.charset.StandardCharsets.UTF_8);
        String mb = String.format(java.util.Locale.ROOT, "%.1f", archive.length / 1e6);
        assertThat(progress).contains("[==============================] " + mb + "/" + mb + " MB  100%", "MB/s");
        printed.reset();
        download(root, "/cifar-10-binary.tar.gz", md5);
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
                .containsExactly("Files already downloaded and verified");
        assertThat(requests.get()).isEqualTo(1);
    }

    @Test
    void aConnectionCutShortLeavesNothingHalfWritten() throws Exception {
        // A server that promises the whole archive, sends half, and hangs up (a dropped connection).
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (java.net.Socket client = socket.accept()) {
                    client.getInputStream().read(new byte[4096]);
                    OutputStream out = client.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + archive.length + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(archive, 0, archive.length / 2);
                    out.flush();
                } catch (IOException e) {
                    // the client's side of it is what the test checks
                }
            });
            serving.start();
            URI cut = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/cifar-10-binary.tar.gz");
            Path root = Files.createDirectories(work.resolve("data"));
            assertThatThrownBy(() -> CifarDownload.download(root, cut, md5, System.out, null)).isInstanceOf(IOException.class);
            serving.join(10_000);
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void theTemporaryFolderOfAKilledDownloadIsRemovedByTheNext() throws IOException {
        Path root = Files.createDirectories(work.resolve("data"));
        Path orphan = Files.createDirectories(root.resolve(".cifar10-download.12345"));
        Files.write(orphan.resolve("cifar-10-binary.tar.gz"), new byte[100]);
        Files.write(root.resolve("keep.txt"), new byte[1]);
        download(root, "/cifar-10-binary.tar.gz", md5);
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(CIFAR10.BASE_FOLDER, "keep.txt");
        }
    }

    @Test
    void noConnectionSaysSoAndNamesTheDataOption() throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI closed = URI.create("http://127.0.0.1:" + port + "/cifar-10-binary.tar.gz");
        Path root = work.resolve("offline");
        assertThatThrownBy(() -> CifarDownload.download(root, closed, md5, System.out, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot download " + closed + ": no connection")
                .hasMessageContaining("--data");
        assertThat(Files.exists(root)).isFalse();
    }

    @Test
    void anEmptySplitIsRefusedWhenItIsLoaded() throws IOException {
        Path root = work.resolve("empty");
        CifarFiles.write(root, 2, 3);
        Files.write(root.resolve("test_batch.bin"), new byte[0]);
        assertThatThrownBy(() -> new CIFAR10(root, false, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("test_batch.bin is empty (0 bytes)");
    }
}
