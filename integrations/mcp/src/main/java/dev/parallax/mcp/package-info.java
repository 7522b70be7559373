/**
 * The tools of an MCP server as Parallax tools: {@link dev.parallax.mcp.McpToolRegistry} connects
 * (or borrows a client), lists the server's tools and calls them through the MCP Java SDK's {@code
 * callTool}.
 */
@NullMarked
package dev.parallax.mcp;

import org.jspecify.annotations.NullMarked;
