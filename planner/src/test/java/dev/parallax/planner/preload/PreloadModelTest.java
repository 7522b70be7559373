package dev.parallax.planner.preload;

import static dev.parallax.planner.preload.Sessions.reservation;
import static dev.parallax.planner.preload.Sessions.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class PreloadModelTest {

  private static final Set<String> READS = Set.of("get_user", "get_reservation");

  @Test
  void learn_idInAResult_becomesTheNextCallsArgument() {
    PreloadModel model =
        PreloadModel.learner().targets(READS::contains).learn(Sessions.walkingReservations(10));

    List<PredictedCall> predicted = model.predict(List.of(user("zoe", "X1", "X2")));

    assertThat(predicted).isNotEmpty();
    assertThat(predicted.get(0).tool()).isEqualTo("get_reservation");
    assertThat(predicted.get(0).arguments())
        .isEqualTo(Sessions.json("{\"reservation_id\":\"X1\"}"));
    assertThat(predicted.get(0).probability()).isEqualTo(1.0);
    assertThat(model.rules())
        .anySatisfy(
            r -> {
              assertThat(r.trigger()).isEqualTo("get_user");
              assertThat(r.arguments()).containsEntry("reservation_id", "result/reservations/0");
              assertThat(r.support()).isEqualTo(10);
            });
  }

  @Test
  void learn_walkingAList_predictsTheNextElement() {
    PreloadModel model =
        PreloadModel.learner().targets(READS::contains).learn(Sessions.walkingReservations(10));

    List<PredictedCall> predicted =
        model.predict(List.of(user("zoe", "X1", "X2", "X3"), reservation("X2", "zoe")));

    assertThat(predicted)
        .extracting(p -> p.arguments().get("reservation_id").asText())
        .contains("X3")
        .doesNotContain("X2");
  }

  @Test
  void learn_targetsExcludeToolsWithSideEffects() {
    PreloadModel all = PreloadModel.learner().learn(Sessions.walkingReservations(10));
    PreloadModel reads =
        PreloadModel.learner().targets(READS::contains).learn(Sessions.walkingReservations(10));

    assertThat(all.rules()).anySatisfy(r -> assertThat(r.target()).isEqualTo("cancel_reservation"));
    assertThat(reads.rules()).allSatisfy(r -> assertThat(r.target()).isIn(READS));
  }

  @Test
  void learn_repeatedSessionsCountOnce_soAConstantOfOneUserIsNoRule() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    // the same session five times: "after get_user(ann): get_reservation(R9)" looks certain
    List<ObservedCall> one = List.of(user("ann", "R9"), reservation("R9", "ann"));
    sessions.addAll(Collections.nCopies(5, one));

    PreloadModel model = PreloadModel.learner().minSupport(3).learn(sessions);

    assertThat(model.rules()).isEmpty();
  }

  @Test
  void learn_belowMinConfidence_keepsNoRule() {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int u = 0; u < 10; u++) {
      // only every third user's first reservation is looked up
      List<ObservedCall> s = new ArrayList<>(List.of(user("u" + u, "R" + u)));
      if (u % 3 == 0) {
        s.add(reservation("R" + u, "u" + u));
      }
      sessions.add(s);
    }

    assertThat(PreloadModel.learner().minConfidence(0.5).learn(sessions).rules()).isEmpty();
    assertThat(PreloadModel.learner().minConfidence(0.3).learn(sessions).rules())
        .singleElement()
        .satisfies(r -> assertThat(r.probability()).isEqualTo(0.4));
  }

  @Test
  void predict_unknownTrigger_predictsNothing() {
    PreloadModel model = PreloadModel.learner().learn(Sessions.walkingReservations(5));

    assertThat(model.predict(List.of(Sessions.cancel("R1")))).isEmpty();
    assertThat(PreloadModel.empty().predict(List.of(user("a", "R1")))).isEmpty();
  }

  @Test
  void learn_argumentsWithMembersInAnotherOrder_countAsTheSameCall() {
    // the real searches name their members origin first; the predicted ones are built in name
    // order: the same call all the same (compared as JSON trees, as canonical keys compare)
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int u = 0; u < 6; u++) {
      String from = "A" + u;
      String to = "B" + u;
      sessions.add(
          List.of(
              Sessions.call(
                  "get_reservation",
                  "{\"reservation_id\":\"R" + u + "\"}",
                  "{\"origin\":\"" + from + "\",\"destination\":\"" + to + "\"}"),
              Sessions.call(
                  "search", "{\"origin\":\"" + from + "\",\"destination\":\"" + to + "\"}", "[]")));
    }

    PreloadModel model = PreloadModel.learner().learn(sessions);

    assertThat(model.rules())
        .anySatisfy(
            r -> {
              assertThat(r.target()).isEqualTo("search");
              assertThat(r.arguments())
                  .containsEntry("origin", "result/origin")
                  .containsEntry("destination", "result/destination");
              assertThat(r.support()).isEqualTo(6);
              assertThat(r.probability()).isEqualTo(1.0);
            });
  }

  @Test
  void invalidOptions_failWithTheBadValue() {
    assertThatThrownBy(() -> PreloadModel.learner().minConfidence(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minConfidence must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> PreloadModel.learner().minConfidence(Double.NaN))
        .hasMessageContaining("was NaN");
    assertThatThrownBy(() -> PreloadModel.learner().horizon(0))
        .hasMessage("horizon must be at least 1, was 0");
    assertThatThrownBy(() -> PreloadModel.learner().minSupport(0))
        .hasMessage("minSupport must be at least 1, was 0");
    assertThatThrownBy(() -> PreloadModel.empty().predict(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no call");
    assertThatThrownBy(() -> Preloading.builder().minProbability(1.5))
        .hasMessage("minProbability must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> Preloading.builder().wastePerCall(-1))
        .hasMessage("wastePerCall must be in [0, 100], was -1.0");
    assertThatThrownBy(() -> Preloading.builder().maxInFlight(0))
        .hasMessage("maxInFlight must be at least 1, was 0");
    assertThatThrownBy(() -> Preloading.builder().burst(0))
        .hasMessage("burst must be at least 1, was 0");
  }
}
