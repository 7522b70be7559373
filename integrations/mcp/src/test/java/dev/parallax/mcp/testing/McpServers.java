package dev.parallax.mcp.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.modelcontextprotocol.client.transport.ServerParameters;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Real MCP servers from npm for tests: {@code @modelcontextprotocol/server-everything} and {@code
 * server-filesystem}, version {@value #VERSION}, started with {@code npx} on stdio. Installs them
 * when missing with {@code npm install --prefix ~/.cache/parallax/mcp-servers-2026.8.31 ...} (the
 * directory can be changed with the system property or environment variable {@code
 * PARALLAX_MCP_HOME}), the way {@code ChromaServer} installs Chroma.
 *
 * <p>Without Node.js the calling test is skipped, with a message saying how to enable it; with
 * {@code PARALLAX_REQUIRE_MCP=true} (system property or environment variable; {@code .ci/run} sets
 * it) it fails instead.
 */
public final class McpServers {

  /** The version of both server packages. */
  public static final String VERSION = "2026.8.31";

  private static final List<String> PACKAGES =
      List.of(
          "@modelcontextprotocol/server-everything@" + VERSION,
          "@modelcontextprotocol/server-filesystem@" + VERSION);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private McpServers() {}

  /** {@code npx mcp-server-everything stdio}, from the pinned install. */
  public static ServerParameters everything() {
    return npx("mcp-server-everything", "stdio");
  }

  /** {@code npx mcp-server-filesystem DIR}: the filesystem server allowed to use {@code dir}. */
  public static ServerParameters filesystem(Path dir) {
    return npx("mcp-server-filesystem", dir.toAbsolutePath().toString());
  }

  private static ServerParameters npx(String bin, String... args) {
    Path home = installed();
    Path npx = onPath("npx");
    String[] all = new String[args.length + 4];
    all[0] = "--no";
    all[1] = "--prefix";
    all[2] = home.toString();
    all[3] = bin;
    System.arraycopy(args, 0, all, 4, args.length);
    return ServerParameters.builder(npx == null ? "npx" : npx.toString()).args(all).build();
  }

  private static boolean required() {
    String value =
        System.getProperty("PARALLAX_REQUIRE_MCP", System.getenv("PARALLAX_REQUIRE_MCP"));
    return "true".equalsIgnoreCase(value);
  }

  private static Path home() {
    String value = System.getProperty("PARALLAX_MCP_HOME", System.getenv("PARALLAX_MCP_HOME"));
    return value != null
        ? Path.of(value)
        : Path.of(System.getProperty("user.home"), ".cache", "parallax", "mcp-servers-" + VERSION);
  }

  /** The install directory, installing the packages first if needed. */
  public static synchronized Path installed() {
    Path home = home();
    Path bin = home.resolve("node_modules").resolve(".bin");
    if (Files.isExecutable(bin.resolve("mcp-server-everything"))
        && Files.isExecutable(bin.resolve("mcp-server-filesystem"))) {
      if (onPath("npx") == null || onPath("node") == null) {
        skipOrFail();
      }
      return home;
    }
    Path npm = onPath("npm");
    if (npm == null || onPath("node") == null || onPath("npx") == null) {
      skipOrFail();
    }
    try {
      Files.createDirectories(home);
      Path log = home.resolve("npm-install.log");
      List<String> command =
          new java.util.ArrayList<>(
              List.of(
                  String.valueOf(npm),
                  "install",
                  "--prefix",
                  home.toString(),
                  "--no-audit",
                  "--no-fund"));
      command.addAll(PACKAGES);
      Process install =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        install.descendants().forEach(ProcessHandle::destroyForcibly);
        install.destroyForcibly();
        fail("npm install " + PACKAGES + " took longer than " + INSTALL_TIMEOUT + "; see " + log);
      }
      if (install.exitValue() != 0 || !Files.isExecutable(bin.resolve("mcp-server-everything"))) {
        fail("npm install " + PACKAGES + " failed: " + Files.readString(log));
      }
    } catch (IOException e) {
      fail("cannot install " + PACKAGES + " into " + home, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while installing " + PACKAGES);
    }
    return home;
  }

  private static void skipOrFail() {
    String message =
        "MCP tests need Node.js (node, npm and npx on the PATH) to run the MCP servers from npm "
            + PACKAGES
            + "; install Node.js >= 18 (e.g. apt-get install nodejs npm) to run them.";
    if (required()) {
      fail(message + " PARALLAX_REQUIRE_MCP=true, so this is a failure, not a skip.");
    }
    Assumptions.abort(
        message + " Set PARALLAX_REQUIRE_MCP=true to make this a failure instead of a skip.");
  }

  /** The live processes under this JVM whose command line mentions {@code marker}. */
  public static List<ProcessHandle> processesMentioning(String marker) {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .toList();
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
}
