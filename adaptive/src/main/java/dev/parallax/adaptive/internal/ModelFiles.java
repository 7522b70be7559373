package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.ModelFileException;
import dev.parallax.adaptive.ModelReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Model files: each Tribuo model in its protobuf form ({@code Model.serializeToFile}, provenance
 * included) and a properties file with what Tribuo does not hold (format version, upper-latency
 * offset, known tools, the held-out comparison).
 *
 * <p>Internal: may change at any time.
 */
public final class ModelFiles {

  /** The latency model's file name. */
  public static final String LATENCY = "latency.tribuo";

  /** The success model's file name. */
  public static final String SUCCESS = "success.tribuo";

  /** The properties file's name. */
  public static final String META = "parallax-models.properties";

  private static final String FORMAT = "1";

  private ModelFiles() {}

  /** Writes {@code models} into {@code dir}. */
  public static void save(TrainedModels models, Path dir) {
    if (models.latency() == null && models.success() == null) {
      throw new ModelFileException(dir, "nothing to save: " + models.report().note());
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(LATENCY));
      Files.deleteIfExists(dir.resolve(SUCCESS));
      if (models.latency() != null) {
        models.latency().serializeToFile(dir.resolve(LATENCY));
      }
      if (models.success() != null) {
        models.success().serializeToFile(dir.resolve(SUCCESS));
      }
      ModelReport r = models.report();
      Properties p = new Properties();
      p.setProperty("format", FORMAT);
      p.setProperty("upperLogOffset", Double.toString(models.upperLogOffset()));
      p.setProperty("tools", String.join("\n", models.tools()));
      p.setProperty("latencyTools", String.join("\n", models.latencyTools()));
      p.setProperty("trainRows", Integer.toString(r.trainRows()));
      p.setProperty("heldOutRows", Integer.toString(r.heldOutRows()));
      p.setProperty("latencyMaeModel", Double.toString(r.latencyMaeModel()));
      p.setProperty("latencyMaeBaseline", Double.toString(r.latencyMaeBaseline()));
      p.setProperty("latencyModelUsed", Boolean.toString(r.latencyModelUsed()));
      p.setProperty("successBrierModel", Double.toString(r.successBrierModel()));
      p.setProperty("successBrierBaseline", Double.toString(r.successBrierBaseline()));
      p.setProperty("successAuc", Double.toString(r.successAuc()));
      p.setProperty("successModelUsed", Boolean.toString(r.successModelUsed()));
      p.setProperty("note", r.note());
      try (OutputStream out = Files.newOutputStream(dir.resolve(META))) {
        p.store(out, "Parallax adaptive models");
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ModelFileException m) {
        throw m;
      }
      throw new ModelFileException(dir, "could not write model files: " + e, e);
    }
  }

  /** Reads models written by {@link #save}. */
  public static TrainedModels load(Path dir) {
    Path metaPath = dir.resolve(META);
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(metaPath)) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(metaPath, "cannot read the model properties: " + e, e);
    }
    if (!FORMAT.equals(p.getProperty("format"))) {
      throw new ModelFileException(
          metaPath,
          "unsupported model file format " + p.getProperty("format") + ", expected " + FORMAT);
    }
    Model<Regressor> latency = read(dir.resolve(LATENCY), Regressor.class, "latency regression");
    Model<Label> success = read(dir.resolve(SUCCESS), Label.class, "success classifier");
    try {
      Set<String> tools = lines(p.getProperty("tools", ""));
      ModelReport report =
          new ModelReport(
              Integer.parseInt(p.getProperty("trainRows")),
              Integer.parseInt(p.getProperty("heldOutRows")),
              Double.parseDouble(p.getProperty("latencyMaeModel")),
              Double.parseDouble(p.getProperty("latencyMaeBaseline")),
              latency != null && Boolean.parseBoolean(p.getProperty("latencyModelUsed")),
              Double.parseDouble(p.getProperty("successBrierModel")),
              Double.parseDouble(p.getProperty("successBrierBaseline")),
              Double.parseDouble(p.getProperty("successAuc")),
              success != null && Boolean.parseBoolean(p.getProperty("successModelUsed")),
              p.getProperty("note", ""));
      double upper = Double.parseDouble(p.getProperty("upperLogOffset"));
      if (!Double.isFinite(upper)) {
        throw new NumberFormatException("upperLogOffset " + upper);
      }
      // files written before the per-tool choice use the model for every tool or none
      Set<String> latencyTools =
          p.containsKey("latencyTools")
              ? lines(p.getProperty("latencyTools"))
              : report.latencyModelUsed() ? tools : Set.of();
      return new TrainedModels(latency, success, upper, tools, latencyTools, report);
    } catch (RuntimeException e) {
      throw new ModelFileException(metaPath, "malformed model properties: " + e, e);
    }
  }

  private static Set<String> lines(String text) {
    return Arrays.stream(text.split("\n"))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  private static <T extends org.tribuo.Output<T>> @Nullable Model<T> read(
      Path path, Class<T> type, String what) {
    if (!Files.exists(path)) {
      return null;
    }
    Model<?> model;
    try {
      model = Model.deserializeFromFile(path);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(
          path, "not a readable Tribuo model file (corrupt or incompatible): " + e, e);
    }
    if (!model.validate(type)) {
      throw new ModelFileException(
          path,
          "expected a "
              + what
              + " ("
              + type.getSimpleName()
              + " output), found a "
              + model.getClass().getSimpleName()
              + " over "
              + model.getOutputIDInfo().getDomain());
    }
    @SuppressWarnings("unchecked")
    Model<T> typed = (Model<T>) model;
    return typed;
  }
}
