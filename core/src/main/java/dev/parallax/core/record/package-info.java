/**
 * {@link dev.parallax.core.record.ExecutionRecord}: what one tool call looked like, as the models
 * learn it and the history keeps it. A plain value, so storage and adaptive need not depend on
 * telemetry.
 */
@NullMarked
package dev.parallax.core.record;

import org.jspecify.annotations.NullMarked;
