/**
 * The result cache: {@link dev.parallax.planner.cache.CaffeineResultCache}, a Caffeine-based {@link
 * dev.parallax.core.spi.ResultCache} with single flight, a time to live per tool, a size or weight
 * bound and OpenTelemetry counters.
 *
 * <p>Only tools declared both cacheable and idempotent are cached:
 *
 * <pre>{@code
 * Tool<JsonNode, String> weather = Tools.named("weather")
 *     .idempotent(true)
 *     .cacheable(true)
 *     .function((args, ctx) -> forecast(args.get("city").asText()));
 *
 * CaffeineResultCache cache = CaffeineResultCache.builder()
 *     .maximumSize(10_000)                            // or maximumWeight(chars)
 *     .defaultTimeToLive(Duration.ofMinutes(10))
 *     .timeToLive("weather", Duration.ofMinutes(1))   // per tool
 *     .openTelemetry(openTelemetry)                   // parallax.cache.hits / misses / uncacheable
 *     .build();
 *
 * try (ToolExecutor executor = ToolExecutor.builder().resultCache(cache).build()) {
 *   RunResult run = executor.executeParallel(List.of(
 *       registry.call("a", "weather", "{\"city\":\"Lisbon\",\"days\":2}"),
 *       registry.call("b", "weather", "{\"days\":2,\"city\":\"Lisbon\"}")));  // same key
 *   // the tool ran once; one result has cacheHit() == true
 * }
 * }</pre>
 *
 * <p>One cache may serve several executors and runs at once; identical calls among all of them
 * share one computation. Tests inject time with {@code ticker(...)} and run evictions on the
 * calling thread with {@code executor(Runnable::run)} and {@code cleanUp()}.
 */
@NullMarked
package dev.parallax.planner.cache;

import org.jspecify.annotations.NullMarked;
