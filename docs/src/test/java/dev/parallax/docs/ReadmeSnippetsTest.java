package dev.parallax.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java is real: every {@code ```java} block of the README is one file of the {@code
 * snippets} package (compiled with the tests, several also run), shown verbatim — its imports, a
 * blank line, then the lines between {@code // README:begin} and {@code // README:end}, dedented.
 * When a snippet changes, its failure message prints the block to paste into the README.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path README = ROOT.resolve("README.md");
  private static final Path SNIPPETS = Path.of("src/test/java/dev/parallax/docs/snippets");
  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^```java\\n(.*?)\\n```$", Pattern.DOTALL | Pattern.MULTILINE);

  @Test
  void everySnippetIsShownVerbatimInTheReadme() throws IOException {
    String readme = Files.readString(README);
    List<String> missing = new ArrayList<>();
    snippets()
        .forEach(
            (name, block) -> {
              if (!readme.contains("```java\n" + block + "\n```")) {
                missing.add(name + ":\n```java\n" + block + "\n```");
              }
            });
    assertThat(missing).as("snippets not shown verbatim in README.md").isEmpty();
  }

  @Test
  void everyJavaBlockOfTheReadmeIsACompiledSnippet() throws IOException {
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).as("java blocks in README.md").isNotEmpty();
    assertThat(snippets().values())
        .as("README java blocks that are not a file of the snippets package")
        .containsAll(blocks);
  }

  /** Snippet name (file) → the block the README must show. */
  static Map<String, String> snippets() throws IOException {
    Map<String, String> snippets = new TreeMap<>();
    try (Stream<Path> files = Files.list(SNIPPETS)) {
      for (Path file : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(file);
        int begin = lines.indexOf(marker(lines, "// README:begin"));
        if (begin < 0) {
          continue; // a fixture the snippets use, not a snippet
        }
        int end = lines.indexOf(marker(lines, "// README:end"));
        assertThat(end).as("// README:end in %s", file).isGreaterThan(begin);
        List<String> imports = lines.stream().filter(l -> l.startsWith("import ")).toList();
        String body = dedent(lines.subList(begin + 1, end));
        snippets.put(
            file.getFileName().toString(),
            imports.isEmpty() ? body : String.join("\n", imports) + "\n\n" + body);
      }
    }
    return snippets;
  }

  private static String marker(List<String> lines, String marker) {
    return lines.stream().filter(l -> l.strip().equals(marker)).findFirst().orElse(marker);
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
