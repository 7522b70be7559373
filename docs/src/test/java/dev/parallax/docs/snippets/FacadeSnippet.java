package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.call.RunResult;
import java.nio.file.Path;

/** The README's facade snippet. */
public class FacadeSnippet extends Fixtures {

  /** Runs the snippet with its history in {@code directory}. */
  public RunResult run(Path directory) {
    Path history = directory.resolve("history");
    // README:begin
    try (Parallax parallax =
        Parallax.builder()
            .historyDirectory(history) // optional: history on disk (default: in memory)
            .build()) {
      RunResult run = parallax.executor().executeGraph(graph);
      // README:end
      return run;
    }
  }
}
