package dev.parallax.docs.snippets;

import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.policy.RetryPolicy;
import dev.parallax.core.policy.ToolPolicy;
import java.time.Duration;

/** The README's per-tool and per-capability policies. */
public class ToolPoliciesSnippet extends Fixtures {

  /** Builds the executor of the snippet. */
  public ToolExecutor build() {
    // README:begin
    ToolExecutor executor =
        ToolExecutor.builder()
            .attemptTimeout(Duration.ofSeconds(30)) // default for every tool
            .capabilityPolicy(
                "web",
                ToolPolicy.builder()
                    .attemptTimeout(Duration.ofSeconds(5))
                    .retry(RetryPolicy.ofDefaults())
                    .build())
            .toolPolicy("fetch", ToolPolicy.builder().maxConcurrency(4).build()) // per run
            .knownTools(tools) // optional: build() rejects policies naming unknown tools
            .build();
    // README:end
    return executor;
  }
}
