package dev.parallax.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.ToolSpec;
import dev.parallax.mcp.internal.AsyncSession;
import dev.parallax.mcp.internal.CancellingTransport;
import dev.parallax.mcp.internal.McpTool;
import dev.parallax.mcp.internal.ServerProcess;
import dev.parallax.mcp.internal.Session;
import dev.parallax.mcp.internal.StderrTail;
import dev.parallax.mcp.internal.SyncSession;
import dev.parallax.mcp.internal.Texts;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The tools of one MCP server as a Parallax {@link ToolRegistry}.
 *
 * <pre>{@code
 * try (McpToolRegistry mcp =
 *         McpToolRegistry.stdio(ServerParameters.builder("npx").args("-y", "some-mcp-server").build())
 *             .build();
 *     ToolExecutor executor = ToolExecutor.builder().attemptTimeout(Duration.ofSeconds(30)).build()) {
 *   ToolRegistry tools = mcp.registry();
 *   RunResult run = executor.executeParallel(List.of(tools.call("c1", "echo", "{\"message\":\"hi\"}")));
 * }
 * }</pre>
 *
 * <h2>Tools</h2>
 *
 * Every tool the server lists ({@code tools/list}, all pages) becomes a {@code Tool<JsonNode,
 * CallToolResult>}: the server's name (with an optional {@linkplain Builder#namePrefix prefix};
 * characters Parallax does not allow in tool names become {@code _}), its description (or title),
 * and its input schema, which {@link ToolRegistry#call(String, String, String)} checks before any
 * call is sent. A tool whose schema core cannot use (for example a regular expression Java does not
 * compile) is registered with lenient arguments: the server validates them. A call is a {@code
 * tools/call} through the SDK's {@code callTool}; its value is the server's {@link CallToolResult}
 * ({@link #text(CallToolResult)} gives its text). An answer with {@code isError: true} fails the
 * call with a {@link McpToolErrorException} carrying the server's text.
 *
 * <p><b>Idempotence and caching</b> come from the tool's annotations unless {@linkplain
 * Builder#idempotent configured}: idempotent when {@code readOnlyHint} or {@code idempotentHint} is
 * true (only idempotent tools are retried); cacheable when {@code readOnlyHint} is true and {@code
 * openWorldHint} is false (a read-only tool of a closed world answers the same input the same way).
 * Annotations are hints from the server: configure tools you do not trust.
 *
 * <h2>Timeouts, cancellation, a dead server</h2>
 *
 * A Parallax attempt timeout, run deadline or cancel interrupts the call, which stops waiting at
 * once. MCP Java SDK 2.1.0 itself sends no {@code notifications/cancelled} when a request is
 * cancelled and does not reveal a request's JSON-RPC id, so:
 *
 * <ul>
 *   <li>when this class builds the client ({@link #stdio} and {@link #transport}), it wraps the
 *       transport and sends {@code notifications/cancelled} with the request's id and a reason for
 *       every call that is cancelled or exceeds the SDK's request timeout, and releases the SDK's
 *       record of the request;
 *   <li>with a client you pass in ({@link #client(McpAsyncClient)}, {@link #client(McpSyncClient)})
 *       nothing is sent to the server: the call returns on time, the server runs on, and the SDK
 *       keeps the request pending until the server answers or the session closes.
 * </ul>
 *
 * A server started by {@link #stdio} is watched: when its process exits, calls in flight fail at
 * once with a {@link McpServerUnavailableException} naming the process and its last standard-error
 * lines, and later calls fail without being sent (the SDK alone would leave them waiting for its
 * request timeout, 20 s by default). With other transports or clients a dead server is noticed only
 * by the SDK's request timeout, or by Parallax's timeouts, whichever comes first.
 *
 * <p>{@link #close()} fails the calls in flight, closes the client when this class built it (or
 * when {@linkplain Builder#closeClient asked}) and kills the stdio server's whole process tree (an
 * {@code npx} launch is three processes: npm, a shell and the server, and the SDK's close signals
 * only the first).
 *
 * <p>Thread-safe; one session serves any number of concurrent calls.
 */
public final class McpToolRegistry implements AutoCloseable {

  private final Session session;
  private final ToolRegistry registry;
  private final List<McpSchema.Tool> serverTools;

  private McpToolRegistry(
      Session session, ToolRegistry registry, List<McpSchema.Tool> serverTools) {
    this.session = session;
    this.registry = registry;
    this.serverTools = List.copyOf(serverTools);
  }

  /**
   * Starts the server with {@code server} on stdio (SDK {@link StdioClientTransport}) when {@link
   * Builder#build()} is called; the registry owns and closes it.
   */
  public static Builder stdio(ServerParameters server) {
    Objects.requireNonNull(server, "server");
    return new Builder(server, null, null, null);
  }

  /** Connects through {@code transport} when built; the registry owns and closes the client. */
  public static Builder transport(McpClientTransport transport) {
    Objects.requireNonNull(transport, "transport");
    return new Builder(null, transport, null, null);
  }

  /**
   * Uses a client you built (initialized by the builder if it is not yet); it is not closed by
   * {@link #close()} unless {@link Builder#closeClient(boolean)}. No protocol cancellation is sent
   * (see the class documentation).
   */
  public static Builder client(McpAsyncClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(null, null, client, null);
  }

  /** Like {@link #client(McpAsyncClient)}, for a synchronous client. */
  public static Builder client(McpSyncClient client) {
    Objects.requireNonNull(client, "client");
    return new Builder(null, null, null, client);
  }

  /** The server's tools as Parallax tools. */
  public ToolRegistry registry() {
    return registry;
  }

  /** The tools as the server listed them (the ones {@linkplain Builder#filter kept}). */
  public List<McpSchema.Tool> serverTools() {
    return serverTools;
  }

  /** Whether cancelled calls send {@code notifications/cancelled} (see the class documentation). */
  public boolean sendsCancellation() {
    return session.sendsCancellation();
  }

  /** How many {@code notifications/cancelled} were sent so far. */
  public long cancellationsSent() {
    return session.cancellationsSent();
  }

  /**
   * How many answers arrived for calls after their cancellation was sent (the server had finished
   * first, or ignores cancellation); they are dropped.
   */
  public long answersAfterCancel() {
    return session.answersAfterCancel();
  }

  /** The text contents of a result joined by newlines; other contents appear as {@code [type]}. */
  public static String text(CallToolResult result) {
    return Texts.of(Objects.requireNonNull(result, "result"));
  }

  /**
   * Fails the calls in flight with {@link McpServerUnavailableException}, and closes the client and
   * kills the server it started when the registry owns them. Idempotent; never throws.
   */
  @Override
  public void close() {
    session.close();
  }

  /**
   * Configures a {@link McpToolRegistry}. Not thread-safe. Defaults: SDK request timeout 60 s,
   * initialization timeout 60 s (an {@code npx} start may install), no name prefix, every tool,
   * idempotence and caching from the annotations.
   */
  public static final class Builder {
    private static final Pattern INVALID = Pattern.compile("[^A-Za-z0-9_.-]");

    private final @Nullable ServerParameters server;
    private final @Nullable McpClientTransport transport;
    private final @Nullable McpAsyncClient asyncClient;
    private final @Nullable McpSyncClient syncClient;
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Duration initializationTimeout = Duration.ofSeconds(60);
    private String namePrefix = "";
    private Predicate<McpSchema.Tool> filter = tool -> true;
    private final Map<String, Boolean> idempotent = new HashMap<>();
    private final Map<String, Boolean> cacheable = new HashMap<>();
    private boolean closeClient;

    private Builder(
        @Nullable ServerParameters server,
        @Nullable McpClientTransport transport,
        @Nullable McpAsyncClient asyncClient,
        @Nullable McpSyncClient syncClient) {
      this.server = server;
      this.transport = transport;
      this.asyncClient = asyncClient;
      this.syncClient = syncClient;
    }

    /**
     * For clients the registry builds, the longest a {@code tools/call} waits for its answer
     * (default 60 s) when no Parallax timeout is shorter. On expiry the call fails with {@link
     * McpServerUnavailableException} and the protocol's cancellation is sent. (The SDK's own
     * request timeout, which also bounds {@code initialize} and {@code tools/list}, is set to the
     * larger of this and the initialization timeout.) Clients you pass in keep their own request
     * timeout.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /**
     * How long connecting, initializing and listing the tools may take (default 60 s).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder initializationTimeout(Duration timeout) {
      this.initializationTimeout = positive("initializationTimeout", timeout);
      return this;
    }

    /**
     * A prefix for the Parallax names of the tools (default none), to keep the tools of several
     * servers apart; e.g. {@code "fs."}.
     */
    public Builder namePrefix(String prefix) {
      this.namePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** Keeps only the server's tools {@code filter} accepts (default all). */
    public Builder filter(Predicate<McpSchema.Tool> filter) {
      this.filter = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /** Declares the tool with this server name idempotent or not, whatever its annotations say. */
    public Builder idempotent(String serverToolName, boolean idempotent) {
      this.idempotent.put(Objects.requireNonNull(serverToolName, "serverToolName"), idempotent);
      return this;
    }

    /** Declares the tool with this server name cacheable or not, whatever its annotations say. */
    public Builder cacheable(String serverToolName, boolean cacheable) {
      this.cacheable.put(Objects.requireNonNull(serverToolName, "serverToolName"), cacheable);
      return this;
    }

    /**
     * Whether {@link McpToolRegistry#close()} closes a client passed to {@link
     * McpToolRegistry#client} (default {@code false}; clients the registry builds are always
     * closed).
     */
    public Builder closeClient(boolean closeClient) {
      this.closeClient = closeClient;
      return this;
    }

    private static Duration positive(String what, Duration value) {
      Objects.requireNonNull(value, what);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + value);
      }
      return value;
    }

    /**
     * Connects (starting the server for {@link McpToolRegistry#stdio}), initializes the session and
     * lists the server's tools.
     *
     * @throws McpServerUnavailableException if the server cannot be started, initialized or asked
     *     for its tools; whatever was started is closed again
     * @throws IllegalArgumentException if two tools end up with the same Parallax name
     */
    public McpToolRegistry build() {
      Session session = connect();
      try {
        List<McpSchema.Tool> listed = session.listTools(initializationTimeout);
        List<McpSchema.Tool> kept = new ArrayList<>();
        List<Tool<?, ?>> tools = new ArrayList<>();
        for (McpSchema.Tool tool : listed) {
          if (filter.test(tool)) {
            kept.add(tool);
            tools.add(toTool(tool, session));
          }
        }
        return new McpToolRegistry(session, ToolRegistry.of(tools), kept);
      } catch (IllegalArgumentException e) {
        session.close();
        throw e;
      } catch (RuntimeException | Error e) {
        session.close();
        throw new McpServerUnavailableException(
            session.describe() + ": cannot list its tools: " + e.getMessage(), e);
      }
    }

    private Session connect() {
      if (syncClient != null) {
        return new SyncSession(syncClient, closeClient);
      }
      if (asyncClient != null) {
        initialize(asyncClient, "MCP client", null);
        return new AsyncSession(
            asyncClient, null, null, null, closeClient, describe(asyncClient), null);
      }
      if (transport != null) {
        CancellingTransport cancelling = new CancellingTransport(transport);
        McpAsyncClient client = newClient(cancelling);
        initialize(client, "MCP server", null);
        return new AsyncSession(
            client, cancelling, null, null, true, describe(client), requestTimeout);
      }
      ServerParameters params = Objects.requireNonNull(server);
      String command = String.join(" ", commandLine(params));
      StdioClientTransport stdio = new StdioClientTransport(params, McpJsonDefaults.getMapper());
      StderrTail stderr = new StderrTail(command, 20);
      stdio.setStdErrorHandler(stderr);
      CancellingTransport cancelling = new CancellingTransport(stdio);
      McpAsyncClient client = newClient(cancelling);
      ServerProcess.Discovery discovery = ServerProcess.begin();
      ServerProcess process = null;
      try {
        try {
          initialize(client, "MCP server `" + command + "`", stderr);
        } finally {
          process = discovery.found();
        }
      } catch (RuntimeException e) {
        if (process != null) {
          ServerProcess.kill(process.tree(), 5);
        }
        throw e;
      }
      return new AsyncSession(
          client,
          cancelling,
          process,
          stderr,
          true,
          "MCP server `" + command + "`" + (process == null ? "" : " (pid " + process.pid() + ")"),
          requestTimeout);
    }

    private static List<String> commandLine(ServerParameters params) {
      List<String> line = new ArrayList<>();
      line.add(params.getCommand());
      line.addAll(params.getArgs());
      return line;
    }

    private McpAsyncClient newClient(McpClientTransport transport) {
      // the SDK's timeout covers initialize and tools/list too: the calls get ours (see
      // requestTimeout), the SDK's is only a backstop no shorter than the initialization timeout
      Duration sdkTimeout =
          requestTimeout.compareTo(initializationTimeout) > 0
              ? requestTimeout
              : initializationTimeout;
      return McpClient.async(transport)
          .requestTimeout(sdkTimeout)
          .initializationTimeout(initializationTimeout)
          .clientInfo(McpSchema.Implementation.builder("parallax", "0.1.0").build())
          .build();
    }

    private void initialize(McpAsyncClient client, String what, @Nullable StderrTail stderr) {
      if (client.isInitialized()) {
        return;
      }
      try {
        client.initialize().block(initializationTimeout.plusSeconds(5));
      } catch (RuntimeException e) {
        try {
          client.closeGracefully().block(Duration.ofSeconds(5));
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw new McpServerUnavailableException(
            what
                + " could not be initialized (initialization timeout "
                + initializationTimeout
                + "): "
                + e.getMessage()
                + (stderr == null ? "" : "; its last stderr lines: " + stderr.text()),
            e);
      }
    }

    private static String describe(McpAsyncClient client) {
      McpSchema.Implementation info = client.getServerInfo();
      return "MCP server '" + (info == null ? "?" : info.name()) + "'";
    }

    private Tool<?, ?> toTool(McpSchema.Tool tool, Session session) {
      McpSchema.ToolAnnotations hints = tool.annotations();
      boolean readOnly = hints != null && Boolean.TRUE.equals(hints.readOnlyHint());
      boolean idempotentHint = hints != null && Boolean.TRUE.equals(hints.idempotentHint());
      boolean closedWorld = hints != null && Boolean.FALSE.equals(hints.openWorldHint());
      String description =
          tool.description() != null
              ? tool.description()
              : tool.title() != null ? tool.title() : "";
      String schema = schema(tool);
      ToolSpec spec =
          ToolSpec.builder(parallaxName(tool.name()))
              .description(description)
              .inputType(com.fasterxml.jackson.databind.JsonNode.class)
              .inputSchema(schema)
              .idempotent(idempotent.getOrDefault(tool.name(), readOnly || idempotentHint))
              .cacheable(cacheable.getOrDefault(tool.name(), readOnly && closedWorld))
              .build();
      McpTool candidate = new McpTool(spec, tool.name(), session);
      try {
        ToolRegistry.of(candidate); // does core accept the schema?
        return candidate;
      } catch (IllegalArgumentException e) {
        return new McpTool(spec.toBuilder().lenientArguments(true).build(), tool.name(), session);
      }
    }

    private String parallaxName(String serverName) {
      String name = INVALID.matcher(namePrefix + serverName).replaceAll("_");
      return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static String schema(McpSchema.Tool tool) {
      if (tool.inputSchema() == null) {
        return "{\"type\":\"object\"}";
      }
      try {
        return SCHEMA_MAPPER.writeValueAsString(tool.inputSchema());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "the input schema of MCP tool '" + tool.name() + "' cannot be written as JSON", e);
      }
    }

    private static final ObjectMapper SCHEMA_MAPPER = new ObjectMapper();
  }
}
