package dev.parallax.samples.bench.workload;

/** Told how far a workload has got, for a progress bar. Called on the workload's thread. */
public interface ProgressListener {

  /** Ignores everything. */
  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void phase(String label, long steps) {}

        @Override
        public void step() {}
      };

  /** A new phase of {@code steps} steps begins (for example {@code "warm-up", 1000}). */
  void phase(String label, long steps);

  /** One step of the current phase is done. */
  void step();
}
