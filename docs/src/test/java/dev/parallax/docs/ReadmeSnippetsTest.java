package dev.parallax.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java is real: every {@code ```java} block of the README follows a line {@code <!--
 * snippet: NAME.java -->} and shows that file of the {@code snippets} package (compiled with the
 * tests, several also run) verbatim — its imports, a blank line, then the lines between {@code //
 * README:begin} and {@code // README:end}, dedented. {@code scripts/readme-snippets.py} rewrites
 * the blocks from the files.
 */
class ReadmeSnippetsTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path README = ROOT.resolve("README.md");
  private static final Path SNIPPETS = Path.of("src/test/java/dev/parallax/docs/snippets");
  private static final Pattern JAVA_BLOCK = Pattern.compile("^```java$", Pattern.MULTILINE);
  private static final Pattern MARKED_BLOCK =
      Pattern.compile(
          "^<!-- snippet: (\\S+) -->\\n```java\\n(.*?)\\n```$", Pattern.DOTALL | Pattern.MULTILINE);

  @Test
  void everyJavaBlockOfTheReadmeIsTheSnippetFileItNames() throws IOException {
    String readme = Files.readString(README);
    Map<String, String> snippets = snippets();
    Map<String, String> shown = new TreeMap<>();
    Matcher marked = MARKED_BLOCK.matcher(readme);
    while (marked.find()) {
      String name = marked.group(1);
      assertThat(snippets).as("README names a snippet file that does not exist").containsKey(name);
      assertThat(marked.group(2))
          .as("README block of %s (run scripts/readme-snippets.py to refresh it)", name)
          .isEqualTo(snippets.get(name));
      shown.put(name, marked.group(2));
    }
    int javaBlocks = 0;
    for (Matcher m = JAVA_BLOCK.matcher(readme); m.find(); ) {
      javaBlocks++;
    }
    assertThat(shown).as("java blocks in README.md").isNotEmpty();
    assertThat(shown.size())
        .as("README java blocks without a <!-- snippet: NAME.java --> line before them")
        .isEqualTo(javaBlocks);
    assertThat(shown.keySet())
        .as("snippet files the README does not show")
        .containsExactlyInAnyOrderElementsOf(snippets.keySet());
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
