package dev.parallax.samples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Out of memory, the command line prints one line with a hint (JAVA_OPTS) and exits 1 (issue 11,
 * item 16: it printed a raw stack trace).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutOfMemoryTest {

  @Command(name = "hungry")
  static final class Hungry implements Callable<Integer> {
    private final RuntimeException wrapper;

    Hungry(boolean wrapped) {
      this.wrapper =
          wrapped ? new CompletionException(new OutOfMemoryError("Java heap space")) : null;
    }

    @Override
    public Integer call() {
      if (wrapper != null) {
        throw wrapper; // as a run or a future reports it
      }
      throw new OutOfMemoryError("Java heap space");
    }
  }

  private static String[] run(boolean wrapped, int[] status) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Hungry(wrapped));
    cli.setErr(new PrintWriter(err));
    status[0] = ParallaxCli.execute(cli, new PrintWriter(err));
    return err.toString().strip().split("\\R");
  }

  @Test
  void outOfMemory_isOneLineWithAHint_andExitStatus1_notAStackTrace() {
    for (boolean wrapped : new boolean[] {false, true}) {
      int[] status = {-1};
      String[] lines = run(wrapped, status);

      assertThat(status[0]).isEqualTo(1);
      assertThat(lines).hasSize(1);
      assertThat(lines[0])
          .startsWith("parallax: out of memory")
          .contains("JAVA_OPTS=-Xmx")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void hint_suggestsMoreThanTheCurrentHeap() {
    assertThat(ParallaxCli.outOfMemoryMessage(512L << 20))
        .contains("may use 512 MB")
        .contains("JAVA_OPTS=-Xmx1g");
    assertThat(ParallaxCli.outOfMemoryMessage(3L << 30)).contains("JAVA_OPTS=-Xmx4g");
    assertThat(ParallaxCli.outOfMemoryMessage(64L << 20)).contains("JAVA_OPTS=-Xmx1g");
  }
}
