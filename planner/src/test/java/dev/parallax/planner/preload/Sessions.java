package dev.parallax.planner.preload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;

/** Agent sessions for the preloading tests: a user is looked up, then their reservations. */
final class Sessions {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private Sessions() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static ObservedCall call(String tool, String arguments, String result) {
    return new ObservedCall(tool, json(arguments), json(result));
  }

  static ObservedCall user(String id, String... reservations) {
    return call(
        "get_user",
        "{\"user_id\":\"" + id + "\"}",
        "{\"name\":\"" + id + "\",\"reservations\":" + quoted(reservations) + "}");
  }

  static ObservedCall reservation(String id, String user) {
    return call(
        "get_reservation",
        "{\"reservation_id\":\"" + id + "\"}",
        "{\"id\":\"" + id + "\",\"user_id\":\"" + user + "\"}");
  }

  static ObservedCall cancel(String id) {
    return call("cancel_reservation", "{\"reservation_id\":\"" + id + "\"}", "{\"ok\":true}");
  }

  /**
   * {@code n} sessions of distinct users: look the user up, look up every reservation in order,
   * cancel the last.
   */
  static List<List<ObservedCall>> walkingReservations(int n) {
    List<List<ObservedCall>> sessions = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      String user = "user" + u;
      String[] res = {"R" + u + "a", "R" + u + "b", "R" + u + "c"};
      List<ObservedCall> s = new ArrayList<>();
      s.add(user(user, res));
      for (String r : res) {
        s.add(reservation(r, user));
      }
      s.add(cancel(res[2]));
      sessions.add(s);
    }
    return sessions;
  }

  private static String quoted(String[] values) {
    List<String> q = new ArrayList<>();
    for (String v : values) {
      q.add("\"" + v + "\"");
    }
    return "[" + String.join(",", q) + "]";
  }
}
