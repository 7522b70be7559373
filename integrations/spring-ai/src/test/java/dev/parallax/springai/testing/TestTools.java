package dev.parallax.springai.testing;

import java.util.function.Function;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;
import org.springframework.ai.tool.metadata.ToolMetadata;

/** Spring AI tool callbacks for tests, built from a function of the JSON arguments. */
public final class TestTools {

  private TestTools() {}

  /** A tool named {@code name} whose result is {@code body} applied to the JSON arguments. */
  public static ToolCallback tool(String name, Function<String, String> body) {
    return tool(name, false, body);
  }

  /** As {@link #tool(String, Function)}, with Spring AI's {@code returnDirect} flag. */
  public static ToolCallback tool(
      String name, boolean returnDirect, Function<String, String> body) {
    ToolDefinition definition =
        ToolDefinition.builder()
            .name(name)
            .description("test tool " + name)
            .inputSchema("{\"type\":\"object\",\"properties\":{}}")
            .build();
    ToolMetadata metadata = ToolMetadata.builder().returnDirect(returnDirect).build();
    return new ToolCallback() {
      @Override
      public ToolDefinition getToolDefinition() {
        return definition;
      }

      @Override
      public ToolMetadata getToolMetadata() {
        return metadata;
      }

      @Override
      public String call(String toolInput) {
        return body.apply(toolInput);
      }

      @Override
      public String toString() {
        return "TestTool[" + name + "]";
      }
    };
  }
}
