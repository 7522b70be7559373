package dev.parallax.mcp.internal;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/*
 * Why this class exists. MCP Java SDK 2.1.0 sends no `notifications/cancelled`: when the Mono of a
 * request is cancelled (or its requestTimeout fires) McpClientSession just stops waiting, and it
 * never removes the request from its map of pending responses (the entry stays until the server
 * answers or the session closes). Nor does it expose the JSON-RPC id of a request. So the
 * cancellation the protocol asks for can only be sent from below the session: this transport wraps
 * the real one, sees each outgoing `tools/call` request, and recognises ours by the identity of the
 * CallToolRequest object the SDK puts, unchanged, into the JSON-RPC request's params. When a call is
 * cancelled it sends `notifications/cancelled {requestId, reason}` and then hands the session a
 * synthetic error response for that id, so that the SDK's pending entry is released; a real answer
 * that still arrives for a cancelled id (the server finished first) is dropped here and counted.
 */

/**
 * A transport decorator that sends MCP's {@code notifications/cancelled} for cancelled tool calls
 * (see the comment at the top of the source). Thread-safe. Internal; may change at any time.
 */
public final class CancellingTransport implements McpClientTransport {

  /** JSON-RPC code of the synthetic answer handed to the SDK for a cancelled request. */
  static final int REQUEST_CANCELLED = -32800;

  /** One tracked call: its JSON-RPC id once sent, and whether it was cancelled. */
  public static final class Tracked {
    private volatile @Nullable Object requestId;
    private volatile @Nullable String reason;
    private final AtomicBoolean cancelSent = new AtomicBoolean();

    /** The JSON-RPC id of the request, once it was sent. */
    public @Nullable Object requestId() {
      return requestId;
    }
  }

  private final McpClientTransport delegate;
  private final Map<CallToolRequest, Tracked> tracked =
      Collections.synchronizedMap(new IdentityHashMap<>());
  private final Set<Object> cancelledIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong cancellationsSent = new AtomicLong();
  private final AtomicLong answersAfterCancel = new AtomicLong();
  private volatile @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;

  /** Wraps {@code delegate}. */
  public CancellingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  /**
   * Starts tracking {@code request} (by identity); call before handing it to {@code callTool} and
   * {@link #untrack} when the call is over.
   */
  public Tracked track(CallToolRequest request) {
    Tracked t = new Tracked();
    tracked.put(request, t);
    return t;
  }

  /** Stops tracking {@code request}. */
  public void untrack(CallToolRequest request) {
    tracked.remove(request);
  }

  /**
   * Cancels a tracked call: sends {@code notifications/cancelled} now if its request went out, or
   * as soon as it does.
   */
  public void cancel(Tracked call, String reason) {
    call.reason = reason;
    Object id = call.requestId;
    if (id != null) {
      sendCancel(call, id);
    }
  }

  /** How many {@code notifications/cancelled} were sent. */
  public long cancellationsSent() {
    return cancellationsSent.get();
  }

  /** How many answers arrived for requests after their cancellation was sent (and were dropped). */
  public long answersAfterCancel() {
    return answersAfterCancel.get();
  }

  private void sendCancel(Tracked call, Object id) {
    String reason = call.reason;
    if (reason == null || !call.cancelSent.compareAndSet(false, true)) {
      return;
    }
    cancelledIds.add(id);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("requestId", id);
    params.put("reason", reason);
    delegate
        .sendMessage(new McpSchema.JSONRPCNotification("notifications/cancelled", params))
        .subscribe(ignored -> {}, error -> {});
    cancellationsSent.incrementAndGet();
    // release the SDK's pending entry for the request (it never removes it itself)
    Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> h = handler;
    if (h != null) {
      McpSchema.JSONRPCResponse released =
          McpSchema.JSONRPCResponse.error(
              id,
              new McpSchema.JSONRPCResponse.JSONRPCError(
                  REQUEST_CANCELLED, "cancelled by the client: " + reason, null));
      h.apply(Mono.just(released)).subscribe(ignored -> {}, error -> {});
    }
  }

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    this.handler = handler;
    return delegate.connect(
        inbound ->
            inbound.flatMap(
                message -> {
                  if (message instanceof McpSchema.JSONRPCResponse response
                      && response.id() != null
                      && cancelledIds.remove(response.id())) {
                    answersAfterCancel.incrementAndGet();
                    return Mono.empty();
                  }
                  return handler.apply(Mono.just(message));
                }));
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest request
        && McpSchema.METHOD_TOOLS_CALL.equals(request.method())
        && request.params() instanceof CallToolRequest params) {
      Tracked call = tracked.get(params);
      if (call != null) {
        Object id = request.id();
        call.requestId = id;
        if (call.reason != null && id != null) {
          return delegate.sendMessage(message).then(Mono.fromRunnable(() -> sendCancel(call, id)));
        }
      }
    }
    return delegate.sendMessage(message);
  }

  @Override
  public void setExceptionHandler(Consumer<Throwable> handler) {
    delegate.setExceptionHandler(handler);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }
}
