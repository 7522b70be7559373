/**
 * Runs the tool calls of Spring AI through Parallax: {@link
 * dev.parallax.springai.ParallaxToolCallingManager} is a {@code ToolCallingManager} that runs the
 * tool calls of one assistant message as one Parallax run (in parallel, with the executor's limits,
 * retries, timeouts, spans, records, cache and fallbacks).
 */
@NullMarked
package dev.parallax.springai;

import org.jspecify.annotations.NullMarked;
