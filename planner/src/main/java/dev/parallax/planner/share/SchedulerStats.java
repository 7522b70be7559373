package dev.parallax.planner.share;

import java.util.Map;

/**
 * A snapshot of a {@link SharedScheduler}'s counters. Immutable.
 *
 * @param inUse capacity slots held now (by running calls and by grants not yet claimed)
 * @param peakInUse the most slots ever held at once
 * @param resourcesInUse units of each named resource held now
 * @param resourcePeaks the most units of each resource ever held at once
 * @param lanePeaks the most calls of each configured lane ever held at once
 * @param grants how many times capacity was taken for a call
 * @param overAllocations how many times taking capacity left a capacity or resource above its
 *     limit: zero unless the scheduler is broken; counted so tests and benchmarks can check it
 * @param waitingCalls calls waiting now
 * @param callbackFailures how many times a run's capacity callback threw (logged and ignored)
 */
public record SchedulerStats(
    int inUse,
    int peakInUse,
    Map<String, Integer> resourcesInUse,
    Map<String, Integer> resourcePeaks,
    Map<String, Integer> lanePeaks,
    long grants,
    long overAllocations,
    int waitingCalls,
    long callbackFailures) {}
