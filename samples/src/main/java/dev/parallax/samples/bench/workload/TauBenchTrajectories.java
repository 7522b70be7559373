package dev.parallax.samples.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.parallax.planner.preload.ObservedCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The committed τ-bench airline trajectories ({@code
 * examples/trajectories/tau-bench-airline-gpt-4o.jsonl}, see the README there): real tool-call
 * sequences of a GPT-4o agent, found at {@code -Dparallax.trajectories=FILE}, else under the
 * working directory or one of its parents.
 */
public final class TauBenchTrajectories {

  /** System property naming the JSONL file. */
  public static final String PROPERTY = "parallax.trajectories";

  /**
   * The tools of τ-bench's airline domain without side effects (reads, searches, a calculator and a
   * no-op "think"); the others book, cancel, update, send or transfer.
   */
  public static final Set<String> READ_ONLY =
      Set.of(
          "get_user_details",
          "get_reservation_details",
          "search_direct_flight",
          "search_onestop_flight",
          "list_all_airports",
          "calculate",
          "think");

  /** Tools that run locally in the agent (no backend): {@code calculate} and {@code think}. */
  public static final Set<String> LOCAL = Set.of("calculate", "think");

  private static final Path RELATIVE =
      Path.of("examples", "trajectories", "tau-bench-airline-gpt-4o.jsonl");
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  /**
   * One recorded call.
   *
   * @param call the tool, arguments and recorded result ({@code null} result when it was an error
   *     text)
   * @param userTurn user messages before the call
   */
  public record Call(ObservedCall call, int userTurn) {}

  /**
   * One trajectory: an agent serving one user.
   *
   * @param taskId τ-bench's task id (0 to 49)
   * @param trial the trial (0 to 3)
   * @param calls the tool calls in order
   */
  public record Trajectory(int taskId, int trial, List<Call> calls) {}

  private TauBenchTrajectories() {}

  /** Where the file is, or {@code null} if it is not found. */
  public static @Nullable Path locate() {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return Path.of(property);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** What {@link #locate()} looked for, for messages. */
  public static String lookedFor() {
    return "no "
        + RELATIVE
        + " in "
        + Path.of("").toAbsolutePath()
        + " or its parents; set -D"
        + PROPERTY
        + "=FILE";
  }

  /**
   * Reads the trajectories of a file.
   *
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalArgumentException naming the line if a line is not a trajectory
   */
  public static List<Trajectory> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    List<Trajectory> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        out.add(trajectory(JSON.readTree(lines.get(i))));
      } catch (IOException | RuntimeException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  private static Trajectory trajectory(JsonNode line) {
    List<Call> calls = new ArrayList<>();
    for (JsonNode c : required(line, "calls")) {
      JsonNode result = c.get("result");
      boolean failed =
          result == null || (result.isTextual() && result.asText().startsWith("Error"));
      calls.add(
          new Call(
              new ObservedCall(
                  required(c, "tool").asText(), required(c, "arguments"), failed ? null : result),
              required(c, "user_turn").asInt()));
    }
    return new Trajectory(
        required(line, "task_id").asInt(), required(line, "trial").asInt(), calls);
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
    return v;
  }
}
