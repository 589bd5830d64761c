package dev.steptorch.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every page in docs/ and its Chinese twin in docs/zh/ have as many headings, the same code
 * blocks and links to the same files, so a reader can hold the two side by side. The tests run
 * in the module's folder, so the docs are one level up.
 */
class DocsTwinsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path DOCS = ROOT.resolve("docs");
    static final Path ZH = DOCS.resolve("zh");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A page cut into what must match: headings, fenced code blocks, link targets. */
    record Page(Path file, List<String> headings, List<String> code, List<String> links) {
        static Page read(Path file) throws IOException {
            List<String> headings = new ArrayList<>();
            List<String> code = new ArrayList<>();
            List<String> links = new ArrayList<>();
            StringBuilder block = null;
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("```")) {
                    if (block == null) {
                        block = new StringBuilder(line).append('\n');
                    } else {
                        code.add(block.append(line).toString());
                        block = null;
                    }
                } else if (block != null) {
                    block.append(line).append('\n');
                } else {
                    if (line.startsWith("#")) {
                        headings.add(line);
                    }
                    Matcher m = LINK.matcher(line);
                    while (m.find()) {
                        links.add(m.group(1));
                    }
                }
            }
            return new Page(file, headings, code, links);
        }

        /** Where each relative link leads, with a zh page's links to zh twins read as links to the English page. */
        List<Path> targets() {
            List<Path> out = new ArrayList<>();
            for (String link : links) {
                if (link.startsWith("http") || link.startsWith("#")) {
                    continue;
                }
                Path target = file.getParent().resolve(link.replaceAll("#.*", "")).normalize();
                if (target.getParent().equals(ZH)) {
                    target = DOCS.resolve(target.getFileName());
                }
                out.add(target);
            }
            return out;
        }
    }

    static List<Path> pages(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        }
    }

    @Test
    void everyPageHasATwinAndNoTwinIsAlone() throws IOException {
        List<String> english = pages(DOCS).stream().map(p -> p.getFileName().toString()).toList();
        List<String> chinese = pages(ZH).stream().map(p -> p.getFileName().toString()).toList();
        assertThat(english).isNotEmpty();
        assertThat(chinese).containsExactlyElementsOf(english);
    }

    @TestFactory
    Stream<DynamicTest> eachPairMatches() throws IOException {
        return pages(DOCS).stream().map(en -> DynamicTest.dynamicTest(en.getFileName().toString(), () -> {
            String name = en.getFileName().toString();
            Page e = Page.read(en);
            Page z = Page.read(ZH.resolve(name));
            assertThat(e.links()).as("the English page links its twin").contains("zh/" + name);
            assertThat(z.links()).as("the Chinese page links back").contains("../" + name);
            assertThat(z.headings()).as("headings of zh/%s", name).hasSameSizeAs(e.headings());
            assertThat(z.code()).as("code blocks of zh/%s", name).containsExactlyElementsOf(e.code());
            assertThat(z.targets()).as("link targets of zh/%s", name).containsExactlyInAnyOrderElementsOf(e.targets());
            for (Page p : List.of(e, z)) {
                for (Path t : p.targets()) {
                    assertThat(t).as("%s links inside the repository", p.file()).startsWith(ROOT);
                    assertThat(Files.exists(t)).as("%s links to %s, which exists", p.file(), t).isTrue();
                }
            }
        }));
    }

    @Test
    void theReadmeLeadsToItsChineseSection() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        assertThat(readme.subList(0, 5)).anySatisfy(l -> assertThat(l).contains("](#中文)"));
        assertThat(readme).contains("## 中文");
    }
}
