package dev.parallax.samples.bench.model;

/**
 * The machine and JVM a benchmark ran on.
 *
 * @param cores processors available to the JVM
 * @param javaVersion the runtime version
 * @param vm the JVM's name
 * @param os operating system name and version
 * @param arch the architecture
 * @param maxHeapMb the most heap the JVM may use, in MiB
 */
public record Machine(
    int cores, String javaVersion, String vm, String os, String arch, long maxHeapMb) {

  /** This JVM. */
  public static Machine current() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        Runtime.version().toString(),
        System.getProperty("java.vm.name", "?"),
        System.getProperty("os.name", "?") + " " + System.getProperty("os.version", ""),
        System.getProperty("os.arch", "?"),
        Runtime.getRuntime().maxMemory() / (1024 * 1024));
  }
}
