package dev.parallax.springai.internal;

import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolContext;
import dev.parallax.core.tool.ToolSpec;
import java.util.Collection;

/**
 * Stands in for a tool the model asked for but the request does not offer: it fails with a message
 * naming the tools that exist, so the call ends {@code FAILED} (with its span and record) while the
 * other calls of the message run. May change at any time.
 */
public final class UnknownTool implements Tool<String, String> {

  private final ToolSpec spec;
  private final String message;

  /**
   * @param requestedName the name the model used
   * @param available the names of the tools the request offers
   */
  public UnknownTool(String requestedName, Collection<String> available) {
    this(
        requestedName,
        "Error: there is no tool named '"
            + requestedName
            + "'. Available tools: "
            + (available.isEmpty() ? "none" : String.join(", ", available))
            + ".");
  }

  /**
   * @param requestedName the name the model used
   * @param message what the model reads
   */
  public UnknownTool(String requestedName, String message) {
    this.spec =
        ToolSpec.builder(ToolNames.parallaxName(requestedName))
            .description("a tool the model asked for that could not be found")
            .inputType(String.class)
            .build();
    this.message = message;
  }

  @Override
  public ToolSpec spec() {
    return spec;
  }

  @Override
  public String call(String input, ToolContext context) {
    throw new UnknownToolException(message);
  }
}
