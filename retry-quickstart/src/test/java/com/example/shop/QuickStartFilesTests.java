package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The quick start application is built from exactly the files the README's quick start shows, so
 * that {@link QuickStartApplicationTests} proves the quick start itself, not a cousin of it. A
 * change to either side fails here until the other side says the same.
 */
class QuickStartFilesTests {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path README = MODULE.resolveSibling("README.md");

    /** A fenced block and the file the sentence before it names, such as {@code `src/main/resources/application.yml`:}. */
    private record Shown(String file, String language, String body) {
    }

    @Test
    void everySourceFileOfTheApplicationIsShownInTheQuickStartWordForWord() throws IOException {
        Map<String, Shown> shown = shownFiles();
        List<String> sources;
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main"))) {
            sources = files.filter(Files::isRegularFile).map(file -> MODULE.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
        }
        assertThat(shown.keySet()).as("the files the README's quick start shows").containsExactlyInAnyOrderElementsOf(sources);
        for (String source : sources) {
            assertThat(read(MODULE.resolve(source)))
                    .as("%s is the README's quick start block for it, word for word", source)
                    .isEqualTo(shown.get(source).body());
        }
    }

    @Test
    void theDependenciesTheQuickStartListsAreThoseThisModuleIsBuiltWith() throws IOException {
        String dependencies = quickStart().stream().filter(block -> block.language().equals("xml"))
                .map(Shown::body).findFirst().orElseThrow();
        List<String> pom = trimmedLines(read(MODULE.resolve("pom.xml")));
        List<String> block = trimmedLines(dependencies);
        assertThat(block).as("the quick start's dependencies").isNotEmpty();
        assertThat(String.join("\n", pom)).as("retry-quickstart/pom.xml holds the README's dependency block, line for line")
                .contains(String.join("\n", block));
    }

    private static Map<String, Shown> shownFiles() throws IOException {
        Map<String, Shown> files = new LinkedHashMap<>();
        for (Shown block : quickStart()) {
            if (block.file() != null) {
                assertThat(files.put(block.file(), block)).as("%s is shown once", block.file()).isNull();
            }
        }
        return files;
    }

    /** The fenced blocks of the README's "Quick start" section, each with the file named just before it. */
    private static List<Shown> quickStart() throws IOException {
        String readme = read(README);
        int start = readme.indexOf("\n## Quick start\n");
        assertThat(start).as("README.md has a Quick start section").isNotNegative();
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher fence = Pattern.compile("(?m)^```(\\w+)\\n(.*?)^```$", Pattern.DOTALL).matcher(section);
        Pattern fileName = Pattern.compile("`(src/[^`]+)`:\\s*$");
        List<Shown> blocks = new ArrayList<>();
        int previousEnd = 0;
        while (fence.find()) {
            String before = section.substring(previousEnd, fence.start()).stripTrailing();
            Matcher named = fileName.matcher(before);
            blocks.add(new Shown(named.find() ? named.group(1) : null, fence.group(1), fence.group(2)));
            previousEnd = fence.end();
        }
        return blocks;
    }

    private static List<String> trimmedLines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
