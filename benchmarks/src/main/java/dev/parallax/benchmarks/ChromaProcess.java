package dev.parallax.benchmarks;

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
import java.util.concurrent.TimeUnit;

/**
 * A Chroma 1.0.0 server started the way the storage tests' fixture starts it: {@code chroma run
 * --path DIR --port PORT} from the npm package {@code chromadb@3.0.4} installed under {@code home}
 * (the {@code PARALLAX_CHROMA_HOME} of the tests), ready when {@code GET /api/v2/heartbeat}
 * answers. {@link #kill()} is a SIGKILL of it and its children, keeping the data; {@link #start()}
 * starts it again on the same port and data.
 */
final class ChromaProcess implements AutoCloseable {

  private final Path chroma;
  private final Path data;
  private final Path log;
  private final int port;
  private Process process;

  ChromaProcess(Path home, Path data) {
    this.chroma = home.resolve("node_modules").resolve(".bin").resolve("chroma");
    if (!Files.isExecutable(chroma)) {
      throw new IllegalStateException(
          "no Chroma server at "
              + chroma
              + "; install it with: npm install --prefix "
              + home
              + " chromadb@3.0.4");
    }
    this.data = data;
    this.log = data.resolveSibling(data.getFileName() + "-chroma.log");
    try (ServerSocket socket = new ServerSocket(0)) {
      this.port = socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI url() {
    return URI.create("http://localhost:" + port);
  }

  /** Starts the server and waits for its heartbeat (up to a minute). */
  void start() throws IOException, InterruptedException {
    Files.createDirectories(data);
    process =
        new ProcessBuilder(chroma.toString(), "run", "--path", data.toString(), "--port", "" + port)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest heartbeat =
        HttpRequest.newBuilder(url().resolve("/api/v2/heartbeat"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Chroma exited while starting; see " + log);
      }
      try {
        if (http.send(heartbeat, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100); // polling an external process that gives no other signal
    }
    kill();
    throw new IllegalStateException("Chroma did not answer within a minute; see " + log);
  }

  /** SIGKILL of the server and its children; the data stays. */
  void kill() {
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

  @Override
  public void close() {
    kill();
  }
}
