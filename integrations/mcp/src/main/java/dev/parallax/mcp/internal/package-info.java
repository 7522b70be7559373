/** Implementation of the MCP integration; may change at any time. */
@NullMarked
package dev.parallax.mcp.internal;

import org.jspecify.annotations.NullMarked;
