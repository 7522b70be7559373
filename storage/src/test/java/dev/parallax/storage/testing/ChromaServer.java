package dev.parallax.storage.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Chroma 1.0.0 server for tests, from the npm package {@code chromadb@3.0.4} (newer ones
 * need glibc 2.39). Installs it when missing with {@code npm install --prefix
 * ~/.cache/parallax/chroma-3.0.4 chromadb@3.0.4} (the directory can be changed with the system
 * property or environment variable {@code PARALLAX_CHROMA_HOME}), starts {@code chroma run --path
 * DIR --port PORT} on a free port and waits for {@code GET /api/v2/heartbeat}.
 *
 * <p>Without Node.js the calling test is skipped, with a message saying how to enable it; with
 * {@code PARALLAX_REQUIRE_CHROMA=true} (system property or environment variable) it fails instead.
 * The server and its child processes are killed by {@link #stop()}, and by a shutdown hook if a
 * test forgets.
 */
public final class ChromaServer implements AutoCloseable {

  /** The npm package that ships the server. */
  public static final String PACKAGE = "chromadb@3.0.4";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private final Path dataDir;
  private final int port;
  private final Path log;
  private @Nullable Process process;
  private final Thread hook = new Thread(this::kill, "chroma-test-server-stop");

  private ChromaServer(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
    this.log = dataDir.resolveSibling(dataDir.getFileName() + "-chroma.log");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts a server keeping its data in {@code dataDir}, or skips the calling test (see the class
   * comment).
   */
  public static ChromaServer start(Path dataDir) {
    Path chroma = installed();
    ChromaServer server = new ChromaServer(dataDir, freePort());
    server.launch(chroma);
    return server;
  }

  /** The server's URL. */
  public URI url() {
    return URI.create("http://localhost:" + port);
  }

  /** Kills the server (SIGKILL, with its child processes), keeping its data. */
  public void kill() {
    Process p = process;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts it again on the same port and data directory. */
  public void restart() {
    kill();
    launch(installed());
  }

  /** Kills the server for good. */
  public void stop() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutting down already
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void launch(Path chroma) {
    try {
      Files.createDirectories(dataDir);
      process =
          new ProcessBuilder(
                  chroma.toString(), "run", "--path", dataDir.toString(), "--port", "" + port)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + chroma, e);
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest heartbeat =
        HttpRequest.newBuilder(url().resolve("/api/v2/heartbeat"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    // polling: the external server process gives no other signal that it is up
    while (System.nanoTime() < deadline) {
      Process p = process;
      if (p == null || !p.isAlive()) {
        fail("Chroma exited while starting; its log: " + tail());
      }
      try {
        if (http.send(heartbeat, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while Chroma started");
      }
      pause();
    }
    kill();
    fail("Chroma did not answer its heartbeat within " + START_TIMEOUT + "; its log: " + tail());
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static boolean required() {
    String value =
        System.getProperty("PARALLAX_REQUIRE_CHROMA", System.getenv("PARALLAX_REQUIRE_CHROMA"));
    return "true".equalsIgnoreCase(value);
  }

  private static Path home() {
    String value =
        System.getProperty("PARALLAX_CHROMA_HOME", System.getenv("PARALLAX_CHROMA_HOME"));
    return value != null
        ? Path.of(value)
        : Path.of(System.getProperty("user.home"), ".cache", "parallax", "chroma-3.0.4");
  }

  /** The {@code chroma} command, installing the package first if needed. */
  private static synchronized Path installed() {
    Path home = home();
    Path chroma = home.resolve("node_modules").resolve(".bin").resolve("chroma");
    if (Files.isExecutable(chroma)) {
      return chroma;
    }
    Path npm = onPath("npm");
    if (npm == null || onPath("node") == null) {
      String message =
          "Chroma tests need Node.js (node and npm on the PATH) to run the Chroma server from npm "
              + PACKAGE
              + "; install Node.js >= 18 (e.g. apt-get install nodejs npm) to run them.";
      if (required()) {
        fail(message + " PARALLAX_REQUIRE_CHROMA=true, so this is a failure, not a skip.");
      }
      Assumptions.abort(
          message + " Set PARALLAX_REQUIRE_CHROMA=true to make this a failure instead of a skip.");
    }
    try {
      Files.createDirectories(home);
      Path log = home.resolve("npm-install.log");
      Process install =
          new ProcessBuilder(
                  npm.toString(),
                  "install",
                  "--prefix",
                  home.toString(),
                  "--no-audit",
                  "--no-fund",
                  PACKAGE)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        install.descendants().forEach(ProcessHandle::destroyForcibly);
        install.destroyForcibly();
        fail("npm install " + PACKAGE + " took longer than " + INSTALL_TIMEOUT + "; see " + log);
      }
      if (install.exitValue() != 0 || !Files.isExecutable(chroma)) {
        fail("npm install " + PACKAGE + " failed: " + Files.readString(log));
      }
    } catch (IOException e) {
      fail("cannot install " + PACKAGE + " into " + home, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while installing " + PACKAGE);
    }
    return chroma;
  }

  private static @Nullable Path onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
