/**
 * From spans to {@link dev.parallax.core.record.ExecutionRecord}s: {@link
 * dev.parallax.telemetry.record.ToolSpanReader} maps one span, {@link
 * dev.parallax.telemetry.record.ExecutionRecordProcessor} does it for every span the SDK ends and
 * hands the records to subscribers, holding back the threads ending spans only while the
 * subscribers are behind.
 */
@NullMarked
package dev.parallax.telemetry.record;

import org.jspecify.annotations.NullMarked;
