/** Implementation of the LangChain4j integration. Internal; may change at any time. */
@NullMarked
package dev.parallax.langchain4j.internal;

import org.jspecify.annotations.NullMarked;
