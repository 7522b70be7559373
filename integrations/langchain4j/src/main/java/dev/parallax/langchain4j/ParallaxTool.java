package dev.parallax.langchain4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What Parallax may assume about a LangChain4j {@code @Tool} method, next to its {@code @Tool}
 * annotation. Without it a tool is not idempotent (never retried), not cacheable and safe to run
 * concurrently — Parallax's defaults. The same can be declared for tools without methods (a {@code
 * ToolSpecification} with a {@code ToolExecutor}) by name on {@link ParallaxLangChain4j.Builder}.
 *
 * <pre>{@code
 * @Tool("Current weather of a city")
 * @ParallaxTool(idempotent = true, cacheable = true)
 * String weather(String city) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ParallaxTool {

  /** Running it twice with the same arguments has the effect of running it once: may be retried. */
  boolean idempotent() default false;

  /** Its result for given arguments may be reused (by a result cache, when one is configured). */
  boolean cacheable() default false;

  /** Several calls of it may run at once (default {@code true}). */
  boolean concurrencySafe() default true;
}
