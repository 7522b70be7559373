package dev.parallax.mcp.testing;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A transport that records, in order, the {@code tools/call} requests it sends ({@code "sent"}) and
 * the responses it receives ({@code "answer"}); a test's window on the wire.
 */
public final class RecordingTransport implements McpClientTransport {

  private final McpClientTransport delegate;
  private final List<String> events = new CopyOnWriteArrayList<>();
  private final Set<Object> toolCallIds = ConcurrentHashMap.newKeySet();

  public RecordingTransport(McpClientTransport delegate) {
    this.delegate = delegate;
  }

  /** The recorded events, in order. */
  public List<String> events() {
    return List.copyOf(events);
  }

  @Override
  public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
    return delegate.connect(
        inbound ->
            handler.apply(
                inbound.doOnNext(
                    m -> {
                      // only answers to tools/call: the SDK also refreshes tools/list in the
                      // background when the server announces a list change
                      if (m instanceof McpSchema.JSONRPCResponse r
                          && r.id() != null
                          && toolCallIds.contains(r.id())) {
                        events.add("answer");
                      }
                    })));
  }

  @Override
  public Mono<Void> sendMessage(JSONRPCMessage message) {
    if (message instanceof McpSchema.JSONRPCRequest r
        && McpSchema.METHOD_TOOLS_CALL.equals(r.method())) {
      toolCallIds.add(r.id());
      events.add("sent");
    }
    return delegate.sendMessage(message);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return delegate.unmarshalFrom(data, typeRef);
  }
}
