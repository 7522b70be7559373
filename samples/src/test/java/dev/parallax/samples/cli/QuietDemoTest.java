package dev.parallax.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line prints nothing on stderr but its own messages (issue 12, item 7: Lucene's vector
 * and native-access warnings, SLF4J's missing binding and Tribuo's INFO lines reached the
 * terminal). Runs {@code parallax demo}, which uses the embedded history store (Lucene), trains
 * models (Tribuo) and swaps tools through circuit breakers (Resilience4j, which logs through
 * SLF4J), in a JVM of its own started as {@code parallax.jar} starts: the same class path and the
 * native-access switch the jar's manifest sets.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class QuietDemoTest {

  @TempDir Path dir;

  @Test
  void demo_printsNoWarningOrInfoLinesOnStderr() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process demo =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "--enable-native-access=ALL-UNNAMED",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ParallaxCli.class.getName(),
                    "demo"))
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();

    int status;
    try {
      status = demo.waitFor();
    } finally {
      demo.destroyForcibly();
    }

    assertThat(status).as("exit status; stderr:%n%s", Files.readString(err)).isZero();
    assertThat(Files.readString(out, StandardCharsets.UTF_8)).contains("Demo 10");
    assertThat(Files.readAllLines(err, StandardCharsets.UTF_8))
        .noneMatch(line -> line.contains("WARNING"))
        .noneMatch(line -> line.startsWith("INFO"))
        .noneMatch(line -> line.startsWith("SLF4J"));
  }
}
