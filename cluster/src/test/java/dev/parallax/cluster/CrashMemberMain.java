package dev.parallax.cluster;

import com.hazelcast.map.IMap;
import dev.parallax.core.tool.Tool;
import dev.parallax.core.tool.ToolRegistry;
import dev.parallax.core.tool.Tools;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * A member in a JVM of its own, for {@link MemberCrashTest}: joins the cluster named by its
 * arguments, registers the same tools as the test, whose bodies here note that they started and
 * then block until the process is killed. Prints {@code READY} once it has joined.
 */
public final class CrashMemberMain {

  private CrashMemberMain() {}

  /** The name of the map in which every tool body notes its start. */
  static final String STARTS = "test.starts";

  /**
   * Starts the member.
   *
   * @param args the cluster's name and first port
   */
  public static void main(String[] args) throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    ParallaxClusterBuilder b =
        ParallaxCluster.builder().clusterName(args[0]).port(Integer.parseInt(args[1]), 10);
    TestMembers.quick(b);
    ParallaxCluster[] self = new ParallaxCluster[1];
    ToolRegistry tools = tools("child", never::await, () -> self[0].hazelcast().getMap(STARTS));
    self[0] = b.tools(tools).start();
    System.out.println("READY " + self[0].memberId());
    System.out.flush();
    never.await();
  }

  /** What a tool body does after noting its start. */
  interface Body {
    void run() throws Exception;
  }

  /** Where a body notes its start. */
  interface Starts {
    IMap<String, String> map();
  }

  /** The test's tools: {@code fetch} is idempotent, {@code charge} is not. */
  static ToolRegistry tools(String member, Body body, Starts starts) {
    return ToolRegistry.of(
        tool("fetch", true, member, body, starts), tool("charge", false, member, body, starts));
  }

  private static Tool<Integer, String> tool(
      String name, boolean idempotent, String member, Body body, Starts starts) {
    return Tools.named(name)
        .idempotent(idempotent)
        .input(Integer.class)
        .function(
            (n, ctx) -> {
              starts.map().set(ctx.callId() + "@" + member + "#" + UUID.randomUUID(), member);
              body.run();
              return name + " " + n + " on " + member;
            });
  }
}
