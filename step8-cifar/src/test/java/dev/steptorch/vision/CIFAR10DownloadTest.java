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
}
