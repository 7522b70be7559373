package dev.parallax.planner.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PredictedCall;
import dev.parallax.planner.preload.PreloadModel;
import dev.parallax.planner.preload.Preloading;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The planner's sessions, fed by hand: contexts apart, pending preloads per session. */
@Timeout(30)
class PreloadPlannerSessionsTest {

  private static ObservedCall list(String day, String... flights) {
    return ObservedCall.of("list_flights", Map.of("day", day), Map.of("flights", List.of(flights)));
  }

  private static ObservedCall get(String flight) {
    return ObservedCall.of("get_flight", Map.of("flight", flight), Map.of("flight", flight));
  }

  /** Sessions that list four flights and look each up in order. */
  private static PreloadModel model() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      String[] f = {s + "a", s + "b", s + "c", s + "d"};
      List<ObservedCall> calls = new ArrayList<>();
      calls.add(list("d" + s, f));
      for (String x : f) {
        calls.add(get(x));
      }
      sessions.add(calls);
    }
    return PreloadModel.learner().learn(sessions);
  }

  private static List<String> flights(List<PredictedCall> predicted) {
    return predicted.stream()
        .filter(p -> p.tool().equals("get_flight"))
        .map(p -> p.arguments().get("flight").asText())
        .toList();
  }

  private final PreloadPlanner planner =
      new PreloadPlanner(Preloading.builder().model(model()).maxWasteShare(1.0).burst(50).build());

  @Test
  void eachSessionPredictsFromItsOwnCalls() {
    PreloadPlanner.Session mon = planner.newSession();
    PreloadPlanner.Session tue = planner.newSession();
    planner.afterCall(mon, list("mon", "X", "Y", "Z"), 0, p -> true);
    planner.afterCall(tue, list("tue", "X", "Z", "Y"), 0, p -> true);

    assertThat(flights(planner.afterCall(mon, get("X"), 0, p -> true))).containsExactly("Y");
    assertThat(flights(planner.afterCall(tue, get("X"), 0, p -> true))).containsExactly("Z");
  }

  @Test
  void oneSharedSession_mixesTheLists() {
    // the control: the single-session API (as PreloadReplay uses it) reads the most recent list
    planner.afterCall(list("mon", "X", "Y", "Z"), 0, p -> true);
    planner.afterCall(list("tue", "X", "Z", "Y"), 0, p -> true);

    assertThat(flights(planner.afterCall(get("X"), 0, p -> true))).containsExactly("Z");
  }

  @Test
  void endingASession_missesOnlyItsOwnPendingPreloads() {
    PreloadPlanner.Session mon = planner.newSession();
    PreloadPlanner.Session tue = planner.newSession();
    planner.afterCall(mon, list("mon", "X", "Y", "Z"), 0, p -> true);
    planner.afterCall(tue, list("tue", "X", "Z", "Y"), 0, p -> true);
    PredictedCall monNext = planner.afterCall(mon, get("X"), 0, p -> true).get(0);
    PredictedCall tueNext = planner.afterCall(tue, get("X"), 0, p -> true).get(0);

    planner.endSession(mon);
    planner.used(monNext); // resolved already as a miss: not counted again
    planner.used(tueNext); // still pending: used

    // a session ended and used again starts from an empty context: get(Y) has no list to read
    assertThat(flights(planner.afterCall(mon, get("Y"), 0, p -> true))).isEmpty();
    assertThat(flights(planner.afterCall(tue, get("Z"), 0, p -> true))).containsExactly("Y");
  }
}
