package dev.parallax.docs.snippets;

import dev.parallax.Parallax;
import dev.parallax.core.exec.ToolExecutor;
import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The README's preload marks in records: which real calls a preload answered. */
public class PreloadRecordsSnippet extends Fixtures {

  /** Runs the snippet; the ids of the calls whose records say a preload answered them. */
  public List<String> run() {
    PreloadModel model = PreloadModel.learner().learn(pastSessions());
    // README:begin
    List<ExecutionRecord> records = new CopyOnWriteArrayList<>();
    try (Parallax parallax =
        Parallax.builder()
            .preloading(Preloading.builder().model(model).tools(getReservation).build())
            .executor(b -> b.recordSink(records::add))
            .build()) {
      ToolExecutor executor = parallax.executor();
      executor.executeSequential(
          List.of(airlineTools.call("1", "get_user", "{\"user_id\":\"zoe\"}")));
      executor.executeSequential(
          List.of(airlineTools.call("2", "get_reservation", "{\"reservation_id\":\"R-zoe\"}")));
    }
    List<String> preloaded =
        records.stream().filter(ExecutionRecord::preloadHit).map(ExecutionRecord::callId).toList();
    // README:end
    return preloaded;
  }
}
