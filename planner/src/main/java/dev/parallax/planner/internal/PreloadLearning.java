package dev.parallax.planner.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parallax.planner.preload.ObservedCall;
import dev.parallax.planner.preload.PreloadRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/*
 * Learning which calls follow which.
 *
 * 1. Candidates. For every call A of every session and every call B among the `horizon` calls after
 *    it, each argument of B is explained by where its value can be found when A has just finished:
 *    a scalar of A's arguments (a JSON pointer), a scalar of A's result (a pointer, list indices
 *    kept: "result/reservations/0"), the element after one of A's arguments in a list of a recent
 *    result (the agent walking a list: reservation after reservation), or, failing those, the
 *    constant itself. Each combination of explanations (at most MAX_TEMPLATES_PER_PAIR) is a
 *    candidate template "after A: B(args from these sources)"; one whose arguments all come from
 *    the data (no constant) is also a second-order candidate "after A that followed P: B(...)", P
 *    the tool of the call before A (an agent walking a list continues more often once it walks
 *    than after its first step). Constants get no second-order variant: under a narrower context
 *    they mostly memorize one conversation repeated.
 * 2. Scoring. Each candidate is applied to every call of its trigger tool in the history. An
 *    application that yields a call already made earlier in the session does not count (the result
 *    cache holds it already; preloading it would cost nothing and gain nothing). Otherwise it is a
 *    try, and a success when that exact call (tool and canonical arguments) is among the next
 *    `horizon` calls. Counts are per distinct trigger call (tool and arguments): the probability is
 *    the average over distinct trigger calls of their success share, the support the number of
 *    distinct trigger calls with a success. Real agent logs repeat sessions (the same user, the same
 *    task, tried again); counted per occurrence, a constant seen in four repeats of one session
 *    would look like a rule.
 * 3. Selection. A candidate with at least `minSupport` successes and success / tries at least
 *    `minConfidence` becomes a rule; each trigger keeps its `maxRulesPerTrigger` most probable rules.
 *
 * The model is thus a table an engineer can read: per tool, a few rules with their empirical
 * probability and counts. Cost: candidates x calls of the trigger, each a few pointer lookups.
 */

/**
 * Learns preload rules from sessions of observed calls; see the comment at the top of the source.
 * Internal; may change at any time.
 */
public final class PreloadLearning {

  /** Most explanations kept per argument (besides the constant). */
  static final int MAX_SOURCES_PER_ARGUMENT = 3;

  /** Most candidate templates made from one pair of calls. */
  static final int MAX_TEMPLATES_PER_PAIR = 16;

  /**
   * A learned rule and the template that applies it.
   *
   * @param rule the rule, for explanation
   * @param template how to build its predicted call
   */
  public record Learned(PreloadRule rule, PreloadTemplate template) {}

  private PreloadLearning() {}

  /** Learns the rules of the sessions, most probable first within each trigger. */
  public static List<Learned> learn(
      List<? extends List<ObservedCall>> sessions,
      Predicate<String> targets,
      int horizon,
      int contextSize,
      long minSupport,
      double minConfidence,
      int maxRulesPerTrigger) {
    Map<String, Set<PreloadTemplate>> candidates = new TreeMap<>();
    for (List<ObservedCall> session : sessions) {
      for (int i = 0; i < session.size(); i++) {
        List<ObservedCall> context = context(session, i, contextSize);
        ObservedCall a = session.get(i);
        for (int j = i + 1; j < Math.min(session.size(), i + 1 + horizon); j++) {
          if (!targets.test(session.get(j).tool())) {
            continue;
          }
          Set<PreloadTemplate> forA =
              candidates.computeIfAbsent(a.tool(), t -> new LinkedHashSet<>());
          List<PreloadTemplate> explained = explain(context, session.get(j));
          forA.addAll(explained);
          if (i > 0) { // data flow, second-order too: only after the call that came before A
            String previous = session.get(i - 1).tool();
            explained.stream()
                .filter(PreloadLearning::noConstant)
                .forEach(t -> forA.add(t.after(previous)));
          }
        }
      }
    }
    List<Indexed> indexed = sessions.stream().map(Indexed::of).toList();
    List<Learned> rules = new ArrayList<>();
    for (Map.Entry<String, Set<PreloadTemplate>> e : candidates.entrySet()) {
      List<PreloadTemplate> templates = new ArrayList<>(e.getValue());
      double[][] scores = score(indexed, e.getKey(), templates, horizon, contextSize);
      List<Learned> forTrigger = new ArrayList<>();
      for (int t = 0; t < templates.size(); t++) {
        PreloadTemplate template = templates.get(t);
        double[] counts = scores[t];
        long tries = (long) counts[0];
        long support = (long) counts[1];
        double probability = counts[2];
        if (support >= minSupport && probability >= minConfidence) {
          forTrigger.add(
              new Learned(
                  new PreloadRule(
                      template.trigger(),
                      template.target(),
                      template.describe(),
                      probability,
                      support,
                      tries,
                      template.previous()),
                  template));
        }
      }
      forTrigger.sort(
          (x, y) -> {
            int c = Double.compare(y.rule().probability(), x.rule().probability());
            return c != 0 ? c : Long.compare(y.rule().support(), x.rule().support());
          });
      rules.addAll(forTrigger.subList(0, Math.min(maxRulesPerTrigger, forTrigger.size())));
    }
    return rules;
  }

  /**
   * Whether every argument of the template comes from the data (none is a constant): only those get
   * a second-order variant. A constant under a narrower context mostly memorizes one conversation
   * repeated (the same task tried again), not a pattern.
   */
  private static boolean noConstant(PreloadTemplate t) {
    return t.arguments().values().stream().noneMatch(a -> a instanceof ArgSource.Constant);
  }

  /** The recent calls up to and including call {@code i}, at most {@code size}. */
  public static List<ObservedCall> context(List<ObservedCall> session, int i, int size) {
    return session.subList(Math.max(0, i + 1 - size), i + 1);
  }

  /** The candidate templates that would have predicted {@code b} when the context's last ended. */
  private static List<PreloadTemplate> explain(List<ObservedCall> context, ObservedCall b) {
    ObservedCall a = context.get(context.size() - 1);
    if (!b.arguments().isObject()) {
      return List.of();
    }
    Map<String, List<ArgSource>> options = new TreeMap<>();
    for (Map.Entry<String, JsonNode> arg : b.arguments().properties()) {
      options.put(arg.getKey(), sources(context, a, arg.getValue()));
    }
    List<PreloadTemplate> templates = new ArrayList<>();
    product(a.tool(), b.tool(), new ArrayList<>(options.entrySet()), 0, new TreeMap<>(), templates);
    return templates;
  }

  private static List<ArgSource> sources(List<ObservedCall> context, ObservedCall a, JsonNode v) {
    List<ArgSource> found = new ArrayList<>();
    if (v.isValueNode() && !v.isNull()) {
      for (String p : first(JsonLeaves.pointersOf(a.arguments(), v))) {
        found.add(new ArgSource.FromArguments(p));
      }
      if (a.result() != null) {
        for (String p : first(JsonLeaves.pointersOf(a.result(), v))) {
          found.add(new ArgSource.FromResult(p));
        }
      }
      for (String p : JsonLeaves.scalars(a.arguments()).keySet()) {
        ArgSource successor = new ArgSource.Successor(p);
        if (v.equals(successor.resolve(context))) {
          found.add(successor);
          break;
        }
      }
    }
    found.add(new ArgSource.Constant(v));
    return found;
  }

  private static List<String> first(List<String> pointers) {
    return pointers.subList(0, Math.min(MAX_SOURCES_PER_ARGUMENT, pointers.size()));
  }

  private static void product(
      String trigger,
      String target,
      List<Map.Entry<String, List<ArgSource>>> options,
      int at,
      TreeMap<String, ArgSource> chosen,
      List<PreloadTemplate> out) {
    if (out.size() >= MAX_TEMPLATES_PER_PAIR) {
      return;
    }
    if (at == options.size()) {
      out.add(new PreloadTemplate(trigger, target, chosen, null));
      return;
    }
    Map.Entry<String, List<ArgSource>> option = options.get(at);
    for (ArgSource source : option.getValue()) {
      chosen.put(option.getKey(), source);
      product(trigger, target, options, at + 1, chosen, out);
      chosen.remove(option.getKey());
    }
  }

  /**
   * Scores the templates of one trigger tool, each {@code [tries, support, probability]} counted
   * per distinct trigger call (tool and arguments), so that a session repeated many times (the same
   * user asking again) counts once. {@code tries}: distinct trigger calls after which the template
   * predicted a call not yet made; {@code support}: those after which the predicted call followed
   * at least once; {@code probability}: the average over them of the share of their occurrences
   * after which it followed.
   */
  private static double[][] score(
      List<Indexed> sessions,
      String trigger,
      List<PreloadTemplate> templates,
      int horizon,
      int contextSize) {
    List<Map<String, double[]>> byTrigger = new ArrayList<>(templates.size());
    for (int t = 0; t < templates.size(); t++) {
      byTrigger.add(new LinkedHashMap<>());
    }
    for (Indexed indexed : sessions) {
      List<ObservedCall> session = indexed.calls();
      for (int i = 0; i < session.size(); i++) {
        if (!session.get(i).tool().equals(trigger)) {
          continue;
        }
        List<ObservedCall> context = context(session, i, contextSize);
        // the templates of a trigger share their sources: resolve each once per trigger call
        Map<ArgSource, Optional<JsonNode>> resolved = new HashMap<>();
        Function<ArgSource, @Nullable JsonNode> resolve =
            source ->
                resolved
                    .computeIfAbsent(source, s -> Optional.ofNullable(s.resolve(context)))
                    .orElse(null);
        for (int t = 0; t < templates.size(); t++) {
          PreloadTemplate template = templates.get(t);
          ObjectNode args = template.instantiate(context, resolve);
          if (args == null) {
            continue;
          }
          Integer first = indexed.positions().get(new CallId(template.target(), args));
          if (first != null && first <= i) {
            continue; // made already in this session: the result cache holds it
          }
          double[] counts =
              byTrigger.get(t).computeIfAbsent(indexed.keys().get(i), k -> new double[2]);
          counts[0]++;
          if (first != null && first <= i + horizon) { // first made after i, within the horizon
            counts[1]++;
          }
        }
      }
    }
    double[][] out = new double[templates.size()][];
    for (int t = 0; t < templates.size(); t++) {
      double support = 0;
      double shares = 0;
      for (double[] counts : byTrigger.get(t).values()) {
        support += counts[1] > 0 ? 1 : 0;
        shares += counts[1] / counts[0];
      }
      int tries = byTrigger.get(t).size();
      out[t] = new double[] {tries, support, tries == 0 ? 0 : shares / tries};
    }
    return out;
  }

  /**
   * A session with the key of each call and, per call (tool and arguments), the position of its
   * first call, so that scoring a template asks "made before?" and "made within the horizon?" in
   * constant time (a call not made up to i is first made after i).
   */
  private record Indexed(
      List<ObservedCall> calls, List<String> keys, Map<CallId, Integer> positions) {

    static Indexed of(List<ObservedCall> session) {
      List<String> keys = PreloadLearning.keys(session);
      Map<CallId, Integer> positions = new java.util.HashMap<>();
      for (int i = 0; i < session.size(); i++) {
        positions.putIfAbsent(new CallId(session.get(i).tool(), session.get(i).arguments()), i);
      }
      return new Indexed(session, keys, positions);
    }
  }

  /**
   * A call's identity for scoring: the tool and the arguments compared as JSON trees (object
   * members in any order, like the canonical key of {@link PreloadTemplate#key}, without writing
   * the text: scoring looks a call up for every try). Trees parsed alike compare as their canonical
   * texts do.
   */
  private record CallId(String tool, JsonNode arguments) {}

  private static List<String> keys(List<ObservedCall> session) {
    List<String> keys = new ArrayList<>(session.size());
    for (ObservedCall c : session) {
      String key = PreloadTemplate.key(c.tool(), c.arguments());
      keys.add(key == null ? "" : key);
    }
    return keys;
  }

  /** Rules grouped by trigger, in the order given. */
  public static Map<String, List<Learned>> byTrigger(List<Learned> rules) {
    Map<String, List<Learned>> by = new LinkedHashMap<>();
    for (Learned l : rules) {
      by.computeIfAbsent(l.rule().trigger(), t -> new ArrayList<>()).add(l);
    }
    return by;
  }
}
