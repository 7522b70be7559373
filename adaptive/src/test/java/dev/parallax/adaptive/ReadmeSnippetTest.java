package dev.parallax.adaptive;

import static dev.parallax.adaptive.LatencyModelType.CART;
import static dev.parallax.adaptive.LatencyModelType.LINEAR_SGD;
import static dev.parallax.adaptive.LatencyModelType.NEAREST_NEIGHBOURS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java snippet of adaptive/README.md, compiled and run. */
@Timeout(300)
class ReadmeSnippetTest {

  @Test
  void readmeSnippet_gateAndPerToolChoice() {
    var records = Families.records(Families.NONLINEAR, 0.15, 2000, 5, 0);
    // --- README snippet start
    AdaptivePredictor predictor =
        AdaptivePredictor.builder()
            .latencyModels(LINEAR_SGD, CART, NEAREST_NEIGHBOURS) // the default
            .gate(30, 0.02) // the default: 30 test rows, 2% margin, 95% interval
            .retrainEvery(Integer.MAX_VALUE)
            .trainingExecutor(Runnable::run)
            .build();
    records.forEach(predictor); // or register it as the executor's record sink
    predictor.retrain();
    ModelReport report = predictor.report();
    System.out.println("model vs moving average: " + report.latencyGain());
    report
        .latencyByTool()
        .forEach(
            (tool, choice) ->
                System.out.println(
                    tool
                        + ": "
                        + choice.model()
                        + " "
                        + choice.gain()
                        + (choice.used() ? " (answers)" : " (" + choice.reason() + ")")));
    // --- README snippet end
    assertThat(report.latencyGain().rows()).isPositive();
    assertThat(report.latencyByTool()).hasSize(3);
  }
}
