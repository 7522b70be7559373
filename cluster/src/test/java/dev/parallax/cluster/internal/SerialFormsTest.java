package dev.parallax.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parallax.cluster.MemberLostException;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamField;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The serialized forms that travel between members, pinned with their {@code serialVersionUID}: a
 * field added or removed without bumping the UID fails here (members of two versions would
 * otherwise misread each other's permits silently). When this fails, bump the class's UID and
 * update the line.
 */
@Timeout(30)
class SerialFormsTest {

  private static final Map<Class<?>, String> FORMS = new LinkedHashMap<>();

  static {
    FORMS.put(Permits.class, "2 held:Ljava/util/HashMap;,waiting:Ljava/util/HashSet;");
    FORMS.put(AcquirePermit.class, "2 limit:I,member:Ljava/lang/String;,units:I");
    FORMS.put(ReleasePermit.class, "1 count:I,member:Ljava/lang/String;");
    FORMS.put(ReleaseMember.class, "1 member:Ljava/lang/String;");
    FORMS.put(StopWaiting.class, "1 member:Ljava/lang/String;");
    FORMS.put(MemberLostException.class, "1 ");
    FORMS.put(AcquireUpTo.class, "1 limit:I,max:I,member:Ljava/lang/String;");
    FORMS.put(
        Rejoin.class,
        "1 newMember:Ljava/lang/String;,oldMember:Ljava/lang/String;,units:Ljava/util/HashMap;");
    FORMS.put(Cached.class, "1 value:Ljava/lang/Object;");
    FORMS.put(
        SharedRecord.class,
        ""
            + "1 attempt:I,attempts:I,cacheHit:Z,callId:Ljava/lang/String;,duration:Ljava/time/Duration;,errorType:Ljava/lang/String;,fallbackFrom:Ljava/lang/String;,features:Ljava/util/HashMap;,finalAttempt:Z,inFlight:I,member:Ljava/lang/String;,predictedLatency:Ljava/time/Duration;,predictedSuccess:Ljava/lang/Double;,predictionSource:Ljava/lang/String;,queueWait:Ljava/time/Duration;,runId:Ljava/lang/String;,spanId:Ljava/lang/String;,start:Ljava/time/Instant;,status:Ldev/parallax/core/call/CallStatus;,tool:Ljava/lang/String;,traceId:Ljava/lang/String;");
    FORMS.put(
        ModelVersion.class,
        "1 files:Ljava/util/HashMap;,records:J,trainer:Ljava/lang/String;,version:J");
    FORMS.put(
        PublishModel.class, "1 files:Ljava/util/HashMap;,records:J,trainer:Ljava/lang/String;");
    FORMS.put(
        RemoteCall.class,
        "1 arguments:Ljava/lang/String;,attempt:I,callId:Ljava/lang/String;,runId:Ljava/lang/String;,tool:Ljava/lang/String;");
  }

  @Test
  void serializedClusterTypes_bumpTheirSerialVersionUid_whenTheirFieldsChange() {
    for (Map.Entry<Class<?>, String> e : FORMS.entrySet()) {
      assertThat(form(e.getKey())).as(e.getKey().getSimpleName()).isEqualTo(e.getValue());
    }
  }

  private static String form(Class<?> type) {
    ObjectStreamClass c = ObjectStreamClass.lookup(type);
    return c.getSerialVersionUID()
        + " "
        + Arrays.stream(c.getFields())
            .sorted((a, b) -> a.getName().compareTo(b.getName()))
            .map(SerialFormsTest::field)
            .collect(Collectors.joining(","));
  }

  private static String field(ObjectStreamField f) {
    return f.getName()
        + ":"
        + (f.isPrimitive() ? String.valueOf(f.getTypeCode()) : f.getTypeString());
  }
}
