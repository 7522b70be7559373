package dev.parallax.samples.cli;

import dev.parallax.Parallax;
import dev.parallax.samples.analyze.AnalyzeCommand;
import dev.parallax.samples.bench.BenchCommand;
import dev.parallax.samples.demo.DemoHistory;
import dev.parallax.samples.demo.HedgeScenario;
import dev.parallax.samples.demo.McpScenario;
import dev.parallax.samples.demo.PlannerScenarios;
import dev.parallax.samples.demo.PreloadScenario;
import dev.parallax.samples.demo.SeedScenarios;
import dev.parallax.storage.HistoryStoreException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code parallax} command line. */
@Command(
    name = "parallax",
    mixinStandardHelpOptions = true,
    version = "parallax 0.1.0-SNAPSHOT",
    description = "Runs AI-agent tool calls in parallel, safely and fast.",
    subcommands = {ParallaxCli.Demo.class, BenchCommand.class, AnalyzeCommand.class})
public final class ParallaxCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 2;
  }

  /** Tribuo logs every training at INFO; the command line shows its own progress instead. */
  private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

  /** Lucene warns that the incubating Vector API is off; the history store does not need it. */
  private static final Logger LUCENE_VECTORS =
      Logger.getLogger("org.apache.lucene.internal.vectorization");

  /** Runs the command line and returns its exit status. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    TRIBUO.setLevel(Level.WARNING);
    LUCENE_VECTORS.setLevel(Level.SEVERE);
    CommandLine cli = new CommandLine(new ParallaxCli());
    cli.setOut(out);
    cli.setErr(err);
    BenchCommand.install(cli);
    return execute(cli, err, args);
  }

  /**
   * Runs a command line; running out of memory is one line on {@code err} with a hint how to give
   * the JVM more, and exit status 1, not a stack trace.
   */
  static int execute(CommandLine cli, PrintWriter err, String... args) {
    CommandLine.IExecutionExceptionHandler handler = cli.getExecutionExceptionHandler();
    cli.setExecutionExceptionHandler(
        (e, command, parsed) ->
            causedByOutOfMemory(e)
                ? outOfMemory(err)
                : handler.handleExecutionException(e, command, parsed));
    try {
      return cli.execute(args);
    } catch (OutOfMemoryError e) {
      return outOfMemory(err);
    } catch (RuntimeException e) {
      if (causedByOutOfMemory(e)) {
        return outOfMemory(err);
      }
      throw e;
    }
  }

  private static boolean causedByOutOfMemory(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  /** The out-of-memory line, made before memory runs short. */
  private static final String OUT_OF_MEMORY = outOfMemoryMessage(Runtime.getRuntime().maxMemory());

  /** The same line as bytes, for a thread that ran out of memory: printing it allocates nothing. */
  private static final byte[] OUT_OF_MEMORY_LINE =
      (OUT_OF_MEMORY + System.lineSeparator()).getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static final java.util.concurrent.atomic.AtomicBoolean OUT_OF_MEMORY_PRINTED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Standard error without Java buffers, opened before memory runs short. */
  private static final FileOutputStream RAW_ERR = new FileOutputStream(FileDescriptor.err);

  /** Writes the line straight to file descriptor 2: no heap allocation, no lock of System.err. */
  private static void writeOutOfMemoryLine() {
    try {
      RAW_ERR.write(OUT_OF_MEMORY_LINE);
    } catch (IOException | RuntimeException | Error e) {
      // nothing more can be done
    }
  }

  /** Prints the one line and returns the exit status. */
  static int outOfMemory(PrintWriter err) {
    try {
      err.println(OUT_OF_MEMORY);
      err.flush();
    } catch (RuntimeException | OutOfMemoryError e) {
      writeOutOfMemoryLine();
    }
    return 1;
  }

  /** The out-of-memory line for a JVM whose heap may grow to {@code maxHeapBytes}. */
  static String outOfMemoryMessage(long maxHeapBytes) {
    long mb = Math.max(1, maxHeapBytes >> 20);
    long suggested = Math.max(1024, Long.highestOneBit(mb) << 1);
    String size = suggested % 1024 == 0 ? suggested / 1024 + "g" : suggested + "m";
    return "parallax: out of memory (the JVM may use "
        + mb
        + " MB); give it more with JAVA_OPTS, e.g. JAVA_OPTS=-Xmx"
        + size
        + " ./parallax ...";
  }

  /** Entry point. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    // out of memory on another thread: the same one line, then stop at once (the JVM is not safe
    // to use, and threads stuck in it could keep it from exiting); nothing here may allocate
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, error) -> {
          if (causedByOutOfMemory(error)) {
            if (!OUT_OF_MEMORY_PRINTED.compareAndSet(false, true)) {
              while (true) {
                java.util.concurrent.locks.LockSupport.park(); // the first thread prints and halts
              }
            }
            try {
              writeOutOfMemoryLine();
            } finally {
              Runtime.getRuntime().halt(1);
            }
          }
          System.err.println("parallax: thread " + thread.getName() + " failed:");
          error.printStackTrace();
        });
    System.exit(run(out, err, args));
  }

  /** {@code parallax demo}: the seed scenarios and what the planner adds, run for real. */
  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "Runs the six scenarios Parallax started from (basic parallel, sequential vs parallel,"
              + " concurrency limits, error handling, retry, timeout), then graph scheduling and the"
              + " learning loop, then the tools of a real MCP server (the npm filesystem server, when"
              + " Node.js is present), then hedged calls at the predicted tail and speculative preloading of a real agent's"
              + " next call, and prints the times"
              + " measured. Takes well under a minute; needs no"
              + " server (history goes to an embedded store in a temporary directory unless"
              + " --history or --chroma-url is given).")
  static final class Demo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--history",
        paramLabel = "DIR",
        description = "Keep the embedded history in DIR (kept after the demo).")
    @Nullable Path history;

    @Option(
        names = "--chroma-url",
        paramLabel = "URL",
        description =
            "Keep history in the ChromaDB server at URL (for example http://localhost:8000).")
    @Nullable URI chromaUrl;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      DemoHistory store;
      try {
        store = DemoHistory.open(history, chromaUrl); // checked before anything runs
      } catch (IllegalArgumentException | HistoryStoreException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("parallax demo: " + e.getMessage());
        err.flush();
        return 2;
      }
      try (store) {
        out.println("=== Parallax demo ===");
        new SeedScenarios(out).runAll();
        out.printf("%nHistory: %s%n", store.description());
        new PlannerScenarios(out, store::parallax).runAll();
      }
      new McpScenario(out).run(11);
      new HedgeScenario(out).run(12);
      new PreloadScenario(out, Parallax::builder).run(13);
      out.println();
      out.println("=== Demo complete ===");
      out.flush();
      return 0;
    }
  }
}
