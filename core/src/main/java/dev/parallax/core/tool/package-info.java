/**
 * The tool SPI: what a tool is ({@link dev.parallax.core.tool.Tool}, {@link
 * dev.parallax.core.tool.ToolSpec}), what it sees while it runs ({@link
 * dev.parallax.core.tool.ToolContext}) and how tools are found by name ({@link
 * dev.parallax.core.tool.ToolRegistry}).
 */
@NullMarked
package dev.parallax.core.tool;

import org.jspecify.annotations.NullMarked;
