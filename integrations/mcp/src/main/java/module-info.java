/**
 * Parallax for MCP: the tools of a Model Context Protocol server as a Parallax {@code
 * ToolRegistry}, called through the MCP Java SDK.
 */
module dev.parallax.mcp {
  requires transitive dev.parallax.core;
  requires transitive io.modelcontextprotocol.sdk.mcp.core;
  requires reactor.core;
  requires org.reactivestreams;

  exports dev.parallax.mcp;
}
