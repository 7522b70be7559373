package dev.parallax.cluster.internal;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends the lease of a member that left: on another thread (Hazelcast's event thread must not block
 * on the cluster operations this takes), drops its permits and its cache claims. Every survivor
 * does this; the operations are idempotent. Internal; may change at any time.
 */
public final class ClusterMembers implements MembershipListener {

  private static final Logger LOG = Logger.getLogger(ClusterMembers.class.getName());

  private final Consumer<String> onLeft;

  /**
   * A listener.
   *
   * @param onLeft what to do with the UUID (as text) of a member that left
   */
  public ClusterMembers(Consumer<String> onLeft) {
    this.onLeft = onLeft;
  }

  @Override
  public void memberAdded(MembershipEvent event) {}

  @Override
  public void memberRemoved(MembershipEvent event) {
    String uuid = event.getMember().getUuid().toString();
    Thread.ofVirtual()
        .name("parallax-lease-end-" + uuid)
        .start(
            () -> {
              try {
                onLeft.accept(uuid);
              } catch (Throwable e) {
                if (belowMinimum(e)) { // this side is the minority: the majority ends the lease
                  LOG.info(
                      "lease of member "
                          + uuid
                          + " not ended here: this member sees fewer members than the split-brain"
                          + " minimum");
                } else {
                  LOG.log(Level.WARNING, "could not end the lease of member " + uuid, e);
                }
              }
            });
  }

  private static boolean belowMinimum(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SplitBrainProtectionException) {
        return true;
      }
    }
    return false;
  }
}
