package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.Gain;
import dev.parallax.adaptive.LatencyModelType;
import dev.parallax.adaptive.ToolModelChoice;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.regression.Regressor;
import org.tribuo.transform.TransformationMap;

/*
 * Latency candidates, the per-tool choice and the gate, on out-of-fold errors: every row of the
 * window is scored by models that did not see it, so a tool's gate has all of its rows as evidence
 * rather than a test half of the newest fifth.
 *
 * Folds: K contiguous blocks in arrival order (time blocks: a model is judged on a stretch of time
 * it did not see, so a drift between blocks counts against it), or, where the rows carry groups
 * (the record's run id, opt-in; the analysis passes the workflow instance), whole groups per fold,
 * balanced by size (K = min(folds, groups)): a shift between groups is seen by the gate.
 *
 * For every fold f, every candidate (LatencySelection's: Tribuo regressions on the log latency, on
 * its deviation from the moving average, on the newest quarter; k nearest neighbours per tool) is
 * trained on the rows of the other folds and predicts the rows of f.
 *   1. Choice, per tool and fold: the candidate × shrinkage with the lowest MAE of log latency on the
 *      tool's out-of-fold rows of other folds — with groups, all other folds; with time blocks, the
 *      blocks just before and after (a drift makes distant blocks a poor guide). A fold's rows play
 *      no part in choosing the candidate that is scored on them, so taking the best of several
 *      candidates cannot pass noise through (the same reason the held-out split chose on one half
 *      and gated on the other). The gate thus judges the procedure "choose, then predict".
 *   2. Gate, per tool, on all of its scored rows (a row is scored if its fold's training rows hold
 *      the tool): the model answers iff there are at least minRows of them, the 95% paired
 *      bootstrap interval of MAE(model) / MAE(moving average before the row) lies wholly below
 *      1 − margin, and that against the tool's mean over the fold's training rows lies below 1.
 *      With groups the bootstrap resamples whole groups (runs), not rows: the calls of one run
 *      share its machine and its inputs, so a model that wins on most runs and loses on one is not
 *      confidently better however many rows each run has (a row bootstrap would count 600 rows of
 *      9 runs as 600 independent pieces of evidence). With groups, a model confidently worse than
 *      the tool's training mean on the runs of any one fold is refused as well.
 *   3. Refit: a tool that passes answers with the candidate × shrinkage that is best over all its
 *      scored rows (groups) or over its rows of the newest block (time blocks: the regime that
 *      will be predicted), refitted on every row of the window (only the candidates some tool uses).
 *      A k-nearest-neighbour choice answers only within its reach (KnnIndex): the farthest k-th
 *      neighbour distance among the tool's out-of-fold rows, the calls its gate judged. A call
 *      farther from every training call than those (a feature combination no training run had) is
 *      answered by the tool's average: the gate never measured the model's error there.
 * Cost: K + (used candidates) fits instead of one fit per candidate: about K + 1 times the
 * held-out split's training time, on the background trainer.
 */
/** Out-of-fold choice and gate of the latency candidates. Internal: may change at any time. */
final class OutOfFoldSelection {

  private OutOfFoldSelection() {}

  /** The fold of every row, 0 to the returned count − 1 (a row's fold is {@code fold[i]}). */
  static int[] folds(List<Row> rows, int folds, boolean grouped) {
    int n = rows.size();
    int[] fold = new int[n];
    if (grouped) {
      Map<String, Integer> size = new LinkedHashMap<>();
      rows.forEach(r -> size.merge(r.group(), 1, Integer::sum));
      if (size.size() >= 2) {
        int k = Math.min(folds, size.size());
        // largest group first into the emptiest fold (ties: lowest fold), deterministic
        List<Map.Entry<String, Integer>> groups = new ArrayList<>(size.entrySet());
        groups.sort((a, b) -> b.getValue() - a.getValue());
        int[] load = new int[k];
        Map<String, Integer> foldOf = new HashMap<>();
        for (Map.Entry<String, Integer> g : groups) {
          int best = 0;
          for (int f = 1; f < k; f++) {
            if (load[f] < load[best]) {
              best = f;
            }
          }
          foldOf.put(g.getKey(), best);
          load[best] += g.getValue();
        }
        for (int i = 0; i < n; i++) {
          fold[i] = foldOf.get(rows.get(i).group());
        }
        return fold;
      }
    }
    for (int i = 0; i < n; i++) {
      fold[i] = (int) ((long) i * folds / n);
    }
    return fold;
  }

  static LatencySelection.Result run(
      List<Row> rows, ModelTraining.Settings settings, OffsetDateTime when) {
    boolean byGroup =
        settings.groupedFolds() && rows.stream().map(Row::group).distinct().count() >= 2;
    int[] fold = folds(rows, settings.folds(), byGroup);
    int k = Arrays.stream(fold).max().orElse(0) + 1;
    int n = rows.size();
    int[] foldSize = new int[k];
    for (int f : fold) {
      foldSize[f]++;
    }
    // the recent candidates only if every fold's training rows have enough newest ones, so that
    // every fold has the same candidates
    int fewestTraining = n - Arrays.stream(foldSize).max().orElse(0);
    boolean recent = fewestTraining / 4 >= LatencySelection.MIN_RECENT_ROWS;
    List<String> keys = null;
    double[][] predictions = null; // [candidate][row], NaN: not scored
    double[][] kth = null; // [candidate][row], k-nearest-neighbour candidates: k-th distance
    // per fold, per tool: sum and count of log latency of the fold's training rows
    List<Map<String, double[]>> trainMeans = new ArrayList<>();
    for (int f = 0; f < k; f++) {
      List<Row> train = new ArrayList<>();
      List<Integer> test = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (fold[i] == f) {
          test.add(i);
        } else {
          train.add(rows.get(i));
        }
      }
      Map<String, double[]> means = new HashMap<>();
      for (Row r : train) {
        double[] m = means.computeIfAbsent(r.tool(), t -> new double[2]);
        m[0] += r.logLatency();
        m[1]++;
      }
      trainMeans.add(means);
      if (train.size() < 2) {
        continue;
      }
      Candidates c = Candidates.fit(train, settings, when, recent, null);
      if (keys == null) {
        keys = c.keys();
        predictions = new double[keys.size()][n];
        kth = new double[keys.size()][n];
        for (double[] p : predictions) {
          Arrays.fill(p, Double.NaN);
        }
        for (double[] p : kth) {
          Arrays.fill(p, Double.NaN);
        }
      }
      for (int i : test) {
        Row r = rows.get(i);
        if (!means.containsKey(r.tool())) {
          continue; // the tool is unknown to this fold's models: not scored
        }
        for (int ci = 0; ci < keys.size(); ci++) {
          predictions[ci][i] = c.predict(keys.get(ci), r);
          kth[ci][i] = c.kthDistance(keys.get(ci), r);
        }
      }
    }
    if (keys == null) {
      return empty();
    }

    Map<String, List<Integer>> scoredByTool = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      if (!Double.isNaN(predictions[0][i])) {
        scoredByTool.computeIfAbsent(rows.get(i).tool(), t -> new ArrayList<>()).add(i);
      }
    }
    Map<String, ToolModelChoice> byTool = new TreeMap<>();
    Map<String, TrainedModels.Choice> choices = new HashMap<>();
    Map<String, Double> reach = new HashMap<>();
    List<Double> modelErrors = new ArrayList<>();
    List<Double> baselineErrors = new ArrayList<>();
    List<Double> usedResiduals = new ArrayList<>();
    for (Map.Entry<String, List<Integer>> e : scoredByTool.entrySet()) {
      String tool = e.getKey();
      List<Integer> scored = e.getValue();
      // sums[f][candidate * S + shrinkage]: absolute error summed over the tool's rows of fold f
      int options = keys.size() * LatencySelection.SHRINKAGE.length;
      double[][] sums = new double[k][options];
      for (int i : scored) {
        Row r = rows.get(i);
        for (int ci = 0; ci < keys.size(); ci++) {
          for (int s = 0; s < LatencySelection.SHRINKAGE.length; s++) {
            sums[fold[i]][ci * LatencySelection.SHRINKAGE.length + s] +=
                error(r, predictions[ci][i], LatencySelection.SHRINKAGE[s]);
          }
        }
      }
      double[] total = new double[options];
      for (double[] s : sums) {
        for (int o = 0; o < options; o++) {
          total[o] += s[o];
        }
      }
      int[] choiceByFold = new int[k];
      for (int f = 0; f < k; f++) {
        double[] others = new double[options];
        for (int o = 0; o < options; o++) {
          // groups: every other fold; time blocks: the blocks next to it (the same regime)
          others[o] =
              byGroup
                  ? total[o] - sums[f][o]
                  : (f > 0 ? sums[f - 1][o] : 0) + (f + 1 < k ? sums[f + 1][o] : 0);
        }
        choiceByFold[f] = argmin(others);
      }
      double[] model = new double[scored.size()];
      double[] baseline = new double[scored.size()];
      double[] constant = new double[scored.size()];
      for (int j = 0; j < scored.size(); j++) {
        int i = scored.get(j);
        Row r = rows.get(i);
        int o = choiceByFold[fold[i]];
        int ci = o / LatencySelection.SHRINKAGE.length;
        model[j] =
            error(
                r,
                predictions[ci][i],
                LatencySelection.SHRINKAGE[o % LatencySelection.SHRINKAGE.length]);
        baseline[j] = Math.abs(r.logLatency() - LatencySelection.base(r));
        double[] m = trainMeans.get(fold[i]).get(tool);
        constant[j] = Math.abs(r.logLatency() - m[0] / m[1]);
      }
      long seed = settings.seed() * 31 + tool.hashCode();
      String[] run = new String[scored.size()];
      for (int j = 0; j < run.length; j++) {
        run[j] = rows.get(scored.get(j)).group();
      }
      // folds of runs: the rows of one run go together (its machine, its inputs), so the interval
      // resamples runs, not rows
      long runs = byGroup ? Arrays.stream(run).distinct().count() : 0;
      boolean clustered = runs >= 2;
      Gain gain =
          clustered
              ? Gain.clusterBootstrap(model, baseline, run, seed)
              : Gain.bootstrap(model, baseline, seed);
      Gain vsMean =
          clustered
              ? Gain.clusterBootstrap(model, constant, run, seed + 1)
              : Gain.bootstrap(model, constant, seed + 1);
      String reason =
          LatencySelection.gateRefusal(settings, scored.size(), "out-of-fold rows", gain, vsMean);
      if (!reason.isEmpty() && clustered && !reason.startsWith("only")) {
        reason += " (interval from resampling its " + runs + " held-out runs)";
      }
      if (reason.isEmpty() && byGroup) {
        int worse = worseFold(scored, fold, model, constant, seed + 2);
        if (worse >= 0) {
          reason =
              "confidently worse than the tool's training mean on the held-out runs of fold "
                  + worse;
        }
      }
      boolean pass = reason.isEmpty();
      // what answers from now on: best on every row (groups), on the newest block (time blocks)
      int best = argmin(byGroup ? total : sums[k - 1]);
      int bestC = best / LatencySelection.SHRINKAGE.length;
      double bestS = LatencySelection.SHRINKAGE[best % LatencySelection.SHRINKAGE.length];
      String key = keys.get(bestC);
      byTool.put(tool, new ToolModelChoice(key, bestS, gain, pass, reason));
      for (int j = 0; j < scored.size(); j++) {
        modelErrors.add(pass ? model[j] : baseline[j]);
        baselineErrors.add(baseline[j]);
      }
      if (pass) {
        reach.put(tool, reach(scored, kth[bestC]));
        choices.put(tool, new TrainedModels.Choice(key, TrainedModels.isResidual(key), bestS));
        for (int i : scored) {
          Row r = rows.get(i);
          usedResiduals.add(
              r.logLatency() - LatencySelection.shrunk(r, predictions[bestC][i], bestS));
        }
      }
    }

    // 3. refit what is used on every row
    Map<String, Model<Regressor>> used = new HashMap<>();
    Map<String, KnnIndex> neighbours = new HashMap<>();
    if (!choices.isEmpty()) {
      List<String> usedKeys = choices.values().stream().map(TrainedModels.Choice::key).toList();
      Candidates all = Candidates.fit(rows, settings, when, recent, usedKeys);
      for (String tool : List.copyOf(choices.keySet())) {
        String key = choices.get(tool).key();
        Map<String, KnnIndex> indexes = all.knn.get(key);
        if (indexes != null) {
          KnnIndex index = indexes.get(tool);
          if (index != null) {
            neighbours.put(tool, index.withReach(reach.get(tool)));
          } else {
            choices.remove(tool); // no index on all rows (no varying feature): the average
          }
        } else {
          used.put(key, all.models.get(key));
        }
      }
    }
    return LatencySelection.Result.of(
        used,
        choices,
        neighbours,
        byTool,
        modelErrors,
        baselineErrors,
        usedResiduals,
        settings.seed());
  }

  /**
   * The farthest k-th-neighbour distance among the tool's scored rows that a fold's index answered
   * (positive infinity if none did: the candidate is not a k-nearest-neighbour one).
   */
  private static double reach(List<Integer> scored, double[] kth) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i : scored) {
      if (!Double.isNaN(kth[i])) {
        max = Math.max(max, kth[i]);
      }
    }
    return max == Double.NEGATIVE_INFINITY ? Double.POSITIVE_INFINITY : max;
  }

  private static LatencySelection.Result empty() {
    return new LatencySelection.Result(
        Map.of(), Map.of(), Map.of(), Map.of(), Gain.none(), Double.NaN, Double.NaN, 0);
  }

  /**
   * A fold on whose rows the model is confidently worse than the constant (the 95% interval of the
   * error ratio wholly above 1), or -1 if none.
   */
  private static int worseFold(
      List<Integer> scored, int[] fold, double[] model, double[] constant, long seed) {
    Map<Integer, List<Integer>> byFold = new TreeMap<>();
    for (int j = 0; j < scored.size(); j++) {
      byFold.computeIfAbsent(fold[scored.get(j)], f -> new ArrayList<>()).add(j);
    }
    for (Map.Entry<Integer, List<Integer>> e : byFold.entrySet()) {
      double[] m = e.getValue().stream().mapToDouble(j -> model[j]).toArray();
      double[] c = e.getValue().stream().mapToDouble(j -> constant[j]).toArray();
      if (Gain.bootstrap(m, c, seed + e.getKey()).low() > 1) {
        return e.getKey();
      }
    }
    return -1;
  }

  private static double error(Row r, double prediction, double shrinkage) {
    return Math.abs(r.logLatency() - LatencySelection.shrunk(r, prediction, shrinkage));
  }

  private static int argmin(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] < v[best]) {
        best = i;
      }
    }
    return best;
  }

  /** The candidates fitted on one set of rows. */
  private static final class Candidates {
    final Map<String, Model<Regressor>> models = new LinkedHashMap<>();
    final Map<String, Map<String, KnnIndex>> knn = new LinkedHashMap<>(); // by key, by tool

    /** Fits the candidates (the recent ones if {@code withRecent}), only {@code only} if given. */
    static Candidates fit(
        List<Row> train,
        ModelTraining.Settings settings,
        OffsetDateTime when,
        boolean withRecent,
        @Nullable List<String> only) {
      Candidates c = new Candidates();
      TransformationMap scaling = ModelTraining.scaling(train);
      List<Row> recent = train.subList(train.size() - train.size() / 4, train.size());
      TransformationMap recentScaling = null;
      for (LatencyModelType type : settings.latencyModels()) {
        if (type == LatencyModelType.NEAREST_NEIGHBOURS) {
          continue;
        }
        String key = type.name().toLowerCase(Locale.ROOT);
        if (only == null || only.contains(key)) {
          c.models.put(key, LatencySelection.fit(train, false, type, scaling, settings, when));
        }
        String residual = key + TrainedModels.RESIDUAL;
        if (only == null || only.contains(residual)) {
          c.models.put(residual, LatencySelection.fit(train, true, type, scaling, settings, when));
        }
        String recentKey = key + LatencySelection.RECENT;
        if (withRecent && (only == null || only.contains(recentKey))) {
          if (recentScaling == null) {
            recentScaling = ModelTraining.scaling(recent);
          }
          c.models.put(
              recentKey, LatencySelection.fit(recent, false, type, recentScaling, settings, when));
        }
      }
      if (settings.latencyModels().contains(LatencyModelType.NEAREST_NEIGHBOURS)) {
        Map<String, List<Row>> byTool = new TreeMap<>();
        for (Row r : train) {
          byTool.computeIfAbsent(r.tool(), t -> new ArrayList<>()).add(r);
        }
        for (int k : LatencySelection.NEIGHBOURS) {
          String key = LatencySelection.KNN + k;
          if (only != null && !only.contains(key)) {
            continue;
          }
          Map<String, KnnIndex> indexes = new HashMap<>();
          byTool.forEach(
              (tool, rows) -> {
                KnnIndex index = KnnIndex.build(rows, k);
                if (index != null) {
                  indexes.put(tool, index);
                }
              });
          c.knn.put(key, indexes);
        }
      }
      return c;
    }

    /** Every candidate key, in a fixed order. */
    List<String> keys() {
      List<String> keys = new ArrayList<>(models.keySet());
      keys.addAll(knn.keySet());
      return keys;
    }

    /**
     * The squared distance of the row's k-th nearest neighbour by a k-nearest-neighbour candidate;
     * NaN for another candidate or a tool without an index.
     */
    double kthDistance(String key, Row r) {
      Map<String, KnnIndex> indexes = knn.get(key);
      KnnIndex index = indexes == null ? null : indexes.get(r.tool());
      return index == null ? Double.NaN : index.kthDistance(r.names(), r.values());
    }

    /** The candidate's log latency for the row; the moving average's where it cannot answer. */
    double predict(String key, Row r) {
      Map<String, KnnIndex> indexes = knn.get(key);
      if (indexes != null) {
        KnnIndex index = indexes.get(r.tool());
        return index == null ? LatencySelection.base(r) : index.predict(r.names(), r.values());
      }
      Model<Regressor> model = models.get(key);
      if (model == null) {
        return LatencySelection.base(r);
      }
      double p = TrainedModels.predictLogLatency(model, r.names(), r.values());
      if (!Double.isFinite(p)) {
        return LatencySelection.base(r);
      }
      return TrainedModels.isResidual(key) ? p + LatencySelection.base(r) : p;
    }
  }
}
