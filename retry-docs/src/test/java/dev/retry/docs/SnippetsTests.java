package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README and the manual is compiled source: a whole class (it starts with its
 * {@code package}) is the file of that name under {@code retry-docs/src/test/java} or the quick
 * start's {@code retry-quickstart/src/main/java}; a fragment is the code between a {@code // tag::name[]}
 * and its {@code // end::name[]} line in a test class of retry-docs, such as {@link CoreSnippets}.
 * Both sides must say the same, character for character but for the fragment's indentation, so no
 * example can rot while the build stays green; and nothing kept for a page may linger once the page
 * has dropped it.
 */
class SnippetsTests {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DOCS_SOURCES = ROOT.resolve("retry-docs/src/test/java");
    private static final List<Path> CLASS_ROOTS = List.of(DOCS_SOURCES, ROOT.resolve("retry-quickstart/src/main/java"),
            ROOT.resolve("retry-quickstart/src/test/java"));
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern PACKAGE = Pattern.compile("\\Apackage ([\\w.]+);");
    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^(?:public )?(?:final |abstract )?(?:class|interface|record|enum) (\\w+)");
    private static final Pattern REGION = Pattern.compile(
            "(?m)^[ \\t]*// tag::([\\w-]+)\\[\\]\\n(.*?)^[ \\t]*// end::\\1\\[\\]$", Pattern.DOTALL);

    /** A Java block of a page, and where it is. */
    private record Block(String page, int line, String code) {
        String where() {
            return page + " line " + line;
        }
    }

    @Test
    void theManualHasJavaBlocksToCheck() throws IOException {
        assertThat(javaBlocks()).extracting(Block::page)
                .contains("README.md", "docs/annotations.md", "docs/core.md", "docs/observability.md");
    }

    @Test
    void everyWholeClassOfAPageIsACompiledSourceFileWordForWord() throws IOException {
        for (Block block : javaBlocks()) {
            Matcher pkg = PACKAGE.matcher(block.code());
            if (!pkg.find()) {
                continue;
            }
            Path file = sourceFileOf(block, pkg.group(1));
            assertThat(file).as("%s shows a class that no compiled source holds; copy it, as the page shows it, to"
                    + " retry-docs/src/test/java", block.where()).exists();
            assertThat(read(file)).as("%s and %s say the same", block.where(), ROOT.relativize(file)).isEqualTo(block.code());
        }
    }

    @Test
    void everyFragmentOfAPageIsATaggedRegionOfCompiledSourceWordForWord() throws IOException {
        Map<String, String> regions = regions();
        for (Block block : javaBlocks()) {
            if (PACKAGE.matcher(block.code()).find()) {
                continue;
            }
            assertThat(regions.values()).as("%s shows a fragment that no tagged region of retry-docs' test sources"
                    + " holds as it is; put it between // tag::name[] and // end::name[] in a test class such as"
                    + " CoreSnippets, or fix whichever side is out of date", block.where())
                    .contains(dedent(block.code()));
        }
    }

    @Test
    void nothingIsKeptForAPageThatNoLongerShowsIt() throws IOException {
        Set<String> fragments = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (Block block : javaBlocks()) {
            Matcher pkg = PACKAGE.matcher(block.code());
            if (pkg.find()) {
                classes.add(ROOT.relativize(sourceFileOf(block, pkg.group(1))).toString().replace('\\', '/'));
            } else {
                fragments.add(dedent(block.code()));
            }
        }
        regions().forEach((tag, code) -> assertThat(fragments)
                .as("the region %s is shown by no page: drop it, or show it", tag).contains(code));
        try (Stream<Path> files = Files.walk(DOCS_SOURCES.resolve("com/example"))) {
            files.filter(Files::isRegularFile).map(file -> ROOT.relativize(file).toString().replace('\\', '/'))
                    .forEach(file -> assertThat(classes).as("%s is an example no page shows: drop it, or show it", file)
                            .contains(file));
        }
    }

    /** The Java blocks of README.md and of every page under docs/, in order. */
    private static List<Block> javaBlocks() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages) {
            String text = read(page);
            Matcher block = JAVA_BLOCK.matcher(text);
            while (block.find()) {
                int line = (int) text.substring(0, block.start()).chars().filter(c -> c == '\n').count() + 1;
                blocks.add(new Block(ROOT.relativize(page).toString().replace('\\', '/'), line, block.group(1)));
            }
        }
        return blocks;
    }

    private static Path sourceFileOf(Block block, String packageName) {
        Matcher type = TOP_LEVEL_TYPE.matcher(block.code());
        assertThat(type.find()).as("%s: a class shown whole declares its top-level type", block.where()).isTrue();
        String relative = packageName.replace('.', '/') + "/" + type.group(1) + ".java";
        return CLASS_ROOTS.stream().map(root -> root.resolve(relative)).filter(Files::exists).findFirst()
                .orElse(DOCS_SOURCES.resolve(relative));
    }

    /** Every tagged region of retry-docs' test sources, by tag, without its indentation. */
    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(DOCS_SOURCES)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            Matcher region = REGION.matcher(read(source));
            while (region.find()) {
                String tag = ROOT.relativize(source) + "#" + region.group(1);
                assertThat(regions.put(tag, dedent(region.group(2)))).as("the tag %s is used once", tag).isNull();
            }
        }
        return regions;
    }

    /** The lines without the indentation they all share, and without trailing blanks. */
    private static String dedent(String code) {
        List<String> lines = code.stripTrailing().lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
