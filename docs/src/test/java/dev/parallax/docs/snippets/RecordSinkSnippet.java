package dev.parallax.docs.snippets;

import dev.parallax.core.exec.ToolExecutor;

/** The README's record sink line. */
public class RecordSinkSnippet extends Fixtures {

  /** Builds the executor of the snippet. */
  public ToolExecutor build() {
    // README:begin
    ToolExecutor executor =
        ToolExecutor.builder().recordSink(record -> history.add(record)).build();
    // README:end
    return executor;
  }
}
