/**
 * Runs the tool calls of LangChain4j {@code AiServices} through Parallax: {@link
 * dev.parallax.langchain4j.ParallaxLangChain4j} turns LangChain4j tools into Parallax tools and
 * runs the calls of each model turn as one Parallax run.
 */
@NullMarked
package dev.parallax.langchain4j;

import org.jspecify.annotations.NullMarked;
