/**
 * Spring Boot auto-configuration: with this module on the class path, Spring AI's tool calls run
 * through a {@link dev.parallax.springai.ParallaxToolCallingManager} configured by the {@code
 * parallax.tools.*} properties ({@link
 * dev.parallax.springai.autoconfigure.ParallaxToolsProperties}).
 */
@NullMarked
package dev.parallax.springai.autoconfigure;

import org.jspecify.annotations.NullMarked;
