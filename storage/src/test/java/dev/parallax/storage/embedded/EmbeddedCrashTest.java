package dev.parallax.storage.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.HistoryPage;
import dev.parallax.storage.HistoryQuery;
import dev.parallax.storage.testing.Records;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a process in the middle of appending loses no acknowledged record: a child JVM
 * ({@link AppendingChild}) appends and prints what was acknowledged; it is killed with {@code
 * destroyForcibly} (SIGKILL) while it writes; the store is reopened here.
 */
class EmbeddedCrashTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killDashNine_midStream_losesNoAcknowledgedRecord() throws Exception {
    Path history = dir.resolve("history");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                AppendingChild.class.getName(),
                history.toString())
            .redirectError(dir.resolve("child.err").toFile())
            .start();
    long acknowledged = 0;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      // kill it after a good number of acknowledged batches, while it is writing the next
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acknowledged = Long.parseLong(line.substring(4));
          if (acknowledged >= 40L * AppendingChild.BATCH) {
            break;
          }
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged)
        .as("acknowledged before the kill; child stderr in %s", dir.resolve("child.err"))
        .isGreaterThanOrEqualTo(40L * AppendingChild.BATCH);
    assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

    try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(history, Records.XYZ)) {
      Map<String, ExecutionRecord> byCall = new HashMap<>();
      String token = null;
      do {
        HistoryPage page = store.scan(HistoryQuery.all().withLimit(5000).after(token));
        page.records().forEach(r -> byCall.put(r.callId(), r));
        token = page.nextPageToken();
      } while (token != null);
      assertThat(store.count()).isEqualTo(byCall.size()).isGreaterThanOrEqualTo(acknowledged);
      for (long n = 0; n < acknowledged; n++) {
        ExecutionRecord expected = Records.record(n, "tool-" + ((n + 1) % 3));
        assertThat(byCall.get(expected.callId())).as("record %d", n).isEqualTo(expected);
      }
      // the store still takes writes after the crash
      store.append(List.of(Records.record(1_000_000, "after")));
      assertThat(store.count()).isEqualTo(byCall.size() + 1);
    }
  }
}
