package dev.parallax.adaptive.internal;

import dev.parallax.adaptive.Gain;
import dev.parallax.adaptive.ModelFileException;
import dev.parallax.adaptive.ModelReport;
import dev.parallax.adaptive.ToolModelChoice;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;

/**
 * Model files: each Tribuo model in its protobuf form ({@code Model.serializeToFile}, provenance
 * included; one file per latency candidate some tool uses, {@code latency-KEY.tribuo}, and {@code
 * success.tribuo}) and a properties file with what Tribuo does not hold (format version,
 * upper-latency offset, known tools, the held-out comparison) and the SHA-256 of each model file
 * written.
 *
 * <p>Loading verifies the checksums: a model file that was deleted, changed or damaged since it was
 * saved (a protobuf with flipped bytes can still deserialize, into other weights) fails with a
 * {@link ModelFileException} naming the file, instead of loading silently without that model or
 * with wrong weights. Files of format 1 (written before checksums) load unverified, with a logged
 * warning.
 *
 * <p>Internal: may change at any time.
 */
public final class ModelFiles {

  /** The latency model's file name in formats 1 and 2 (one latency model for every tool). */
  public static final String LATENCY = "latency.tribuo";

  /** The success model's file name. */
  public static final String SUCCESS = "success.tribuo";

  /** The properties file's name. */
  public static final String META = "parallax-models.properties";

  private static final String FORMAT = "3";

  /** One latency model for every tool, with checksums. */
  private static final String FORMAT_SINGLE_LATENCY = "2";

  /** Files written before checksums; loaded unverified. */
  private static final String FORMAT_WITHOUT_CHECKSUMS = "1";

  private static final Logger LOG = Logger.getLogger(ModelFiles.class.getName());

  /** The file of a latency candidate, for example {@code latency-cart.tribuo}. */
  public static String latencyFile(String key) {
    return "latency-" + key + ".tribuo";
  }

  /** The property holding the SHA-256 of a model file, or {@code absent} if none was written. */
  private static String checksumKey(String file) {
    return "sha256." + file;
  }

  private static final String ABSENT = "absent";

  private ModelFiles() {}

  /** Writes {@code models} into {@code dir}. */
  public static void save(TrainedModels models, Path dir) {
    if (models.latencyModels().isEmpty()
        && models.neighbours().isEmpty()
        && models.success() == null) {
      throw new ModelFileException(dir, "nothing to save: " + models.report().note());
    }
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "latency*.tribuo")) {
        for (Path f : old) {
          Files.delete(f);
        }
      }
      Files.deleteIfExists(dir.resolve(SUCCESS));
      List<String> keys = new ArrayList<>(new TreeSet<>(models.latencyModels().keySet()));
      for (String key : keys) {
        models.latencyModels().get(key).serializeToFile(dir.resolve(latencyFile(key)));
      }
      if (models.success() != null) {
        models.success().serializeToFile(dir.resolve(SUCCESS));
      }
      ModelReport r = models.report();
      Properties p = new Properties();
      p.setProperty("format", FORMAT);
      p.setProperty("latencyModels", String.join("\n", keys));
      List<String> files = new ArrayList<>();
      keys.forEach(k -> files.add(latencyFile(k)));
      files.add(SUCCESS);
      for (String file : files) {
        Path path = dir.resolve(file);
        p.setProperty(checksumKey(file), Files.exists(path) ? sha256(path) : ABSENT);
      }
      int n = 0;
      for (Map.Entry<String, KnnIndex> e : new TreeMap<>(models.neighbours()).entrySet()) {
        String prefix = "knn." + n++ + ".";
        KnnIndex index = e.getValue();
        p.setProperty(prefix + "tool", e.getKey());
        p.setProperty(prefix + "k", Integer.toString(index.k()));
        p.setProperty(prefix + "features", String.join("\n", index.features()));
        p.setProperty(prefix + "mean", doubles(index.mean()));
        p.setProperty(prefix + "scale", doubles(index.scale()));
        p.setProperty(prefix + "points", doubles(index.points()));
        p.setProperty(prefix + "logLatency", doubles(index.logLatency()));
        p.setProperty(prefix + "reach", Double.toString(index.reach()));
      }
      p.setProperty("upperLogOffset", Double.toString(models.upperLogOffset()));
      p.setProperty("tools", String.join("\n", new TreeSet<>(models.tools())));
      int i = 0;
      for (Map.Entry<String, ToolModelChoice> e : r.latencyByTool().entrySet()) {
        ToolModelChoice c = e.getValue();
        String prefix = "tool." + i++ + ".";
        p.setProperty(prefix + "name", e.getKey());
        p.setProperty(prefix + "model", c.model());
        p.setProperty(prefix + "shrinkage", Double.toString(c.shrinkage()));
        p.setProperty(prefix + "used", Boolean.toString(c.used()));
        p.setProperty(prefix + "reason", c.reason());
        p.setProperty(prefix + "gain", gain(c.gain()));
      }
      p.setProperty("trainRows", Integer.toString(r.trainRows()));
      p.setProperty("heldOutRows", Integer.toString(r.heldOutRows()));
      p.setProperty("latencyMaeModel", Double.toString(r.latencyMaeModel()));
      p.setProperty("latencyMaeBaseline", Double.toString(r.latencyMaeBaseline()));
      p.setProperty("latencyModelUsed", Boolean.toString(r.latencyModelUsed()));
      p.setProperty("latencyGain", gain(r.latencyGain()));
      p.setProperty("successBrierModel", Double.toString(r.successBrierModel()));
      p.setProperty("successBrierBaseline", Double.toString(r.successBrierBaseline()));
      p.setProperty("successAuc", Double.toString(r.successAuc()));
      p.setProperty("successModelUsed", Boolean.toString(r.successModelUsed()));
      p.setProperty("successGain", gain(r.successGain()));
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

  /** Reads models written by {@link #save} (or by earlier versions, formats 1 and 2). */
  public static TrainedModels load(Path dir) {
    Path metaPath = dir.resolve(META);
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(metaPath)) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      throw new ModelFileException(metaPath, "cannot read the model properties: " + e, e);
    }
    String format = p.getProperty("format");
    if (FORMAT.equals(format)) {
      return loadFormat3(dir, p);
    }
    if (FORMAT_SINGLE_LATENCY.equals(format)) {
      verify(dir, LATENCY, p);
      verify(dir, SUCCESS, p);
    } else if (FORMAT_WITHOUT_CHECKSUMS.equals(format)) {
      LOG.warning(
          () ->
              metaPath
                  + ": model files of format 1 carry no checksums; loaded without verifying them"
                  + " (save the models again to add them)");
    } else {
      throw new ModelFileException(
          metaPath, "unsupported model file format " + format + ", expected " + FORMAT);
    }
    Model<Regressor> latency = read(dir.resolve(LATENCY), Regressor.class, "latency regression");
    Model<Label> success = read(dir.resolve(SUCCESS), Label.class, "success classifier");
    try {
      Set<String> tools = lines(p.getProperty("tools", ""));
      boolean latencyUsed =
          latency != null && Boolean.parseBoolean(p.getProperty("latencyModelUsed"));
      // files written before the per-tool choice use the model for every tool or none
      Set<String> latencyTools =
          p.containsKey("latencyTools")
              ? lines(p.getProperty("latencyTools"))
              : latencyUsed ? tools : Set.of();
      String key = "legacy";
      Map<String, TrainedModels.Choice> choices = new HashMap<>();
      Map<String, ToolModelChoice> byTool = new HashMap<>();
      if (latency != null) {
        for (String tool : latencyTools) {
          choices.put(tool, new TrainedModels.Choice(key, false, 1));
          byTool.put(tool, new ToolModelChoice(key, 1, Gain.none(), true, ""));
        }
      }
      ModelReport report = report(p, latency != null && latencyUsed, success != null, byTool);
      return new TrainedModels(
          latency == null ? Map.of() : Map.of(key, latency),
          success,
          upper(p),
          tools,
          choices,
          Map.of(),
          report);
    } catch (RuntimeException e) {
      throw new ModelFileException(metaPath, "malformed model properties: " + e, e);
    }
  }

  private static TrainedModels loadFormat3(Path dir, Properties p) {
    Path metaPath = dir.resolve(META);
    Set<String> keys = lines(p.getProperty("latencyModels", ""));
    for (String key : keys) {
      verify(dir, latencyFile(key), p);
    }
    verify(dir, SUCCESS, p);
    Map<String, Model<Regressor>> latency = new HashMap<>();
    for (String key : keys) {
      Model<Regressor> m =
          read(dir.resolve(latencyFile(key)), Regressor.class, "latency regression");
      if (m == null) {
        throw new ModelFileException(dir.resolve(latencyFile(key)), "the model file is missing");
      }
      latency.put(key, m);
    }
    Model<Label> success = read(dir.resolve(SUCCESS), Label.class, "success classifier");
    try {
      Set<String> tools = lines(p.getProperty("tools", ""));
      Map<String, KnnIndex> neighbours = new HashMap<>();
      for (int i = 0; p.containsKey("knn." + i + ".tool"); i++) {
        String prefix = "knn." + i + ".";
        neighbours.put(
            p.getProperty(prefix + "tool"),
            new KnnIndex(
                Integer.parseInt(p.getProperty(prefix + "k")),
                p.getProperty(prefix + "features").split("\n"),
                parseDoubles(p.getProperty(prefix + "mean")),
                parseDoubles(p.getProperty(prefix + "scale")),
                parseDoubles(p.getProperty(prefix + "points")),
                parseDoubles(p.getProperty(prefix + "logLatency")),
                // files written before the reach existed: unlimited, as they were
                Double.parseDouble(p.getProperty(prefix + "reach", "Infinity"))));
      }
      Map<String, TrainedModels.Choice> choices = new HashMap<>();
      Map<String, ToolModelChoice> byTool = new HashMap<>();
      for (int i = 0; p.containsKey("tool." + i + ".name"); i++) {
        String prefix = "tool." + i + ".";
        ToolModelChoice c =
            new ToolModelChoice(
                p.getProperty(prefix + "model"),
                Double.parseDouble(p.getProperty(prefix + "shrinkage")),
                parseGain(p.getProperty(prefix + "gain")),
                Boolean.parseBoolean(p.getProperty(prefix + "used")),
                p.getProperty(prefix + "reason", ""));
        String tool = p.getProperty(prefix + "name");
        byTool.put(tool, c);
        if (c.used()) {
          if (!latency.containsKey(c.model()) && !neighbours.containsKey(tool)) {
            throw new IllegalArgumentException(
                "tool " + tool + " uses latency model " + c.model() + ", which was not saved");
          }
          choices.put(
              tool,
              new TrainedModels.Choice(
                  c.model(), TrainedModels.isResidual(c.model()), c.shrinkage()));
        }
      }
      ModelReport report =
          report(
              p, Boolean.parseBoolean(p.getProperty("latencyModelUsed")), success != null, byTool);
      return new TrainedModels(latency, success, upper(p), tools, choices, neighbours, report);
    } catch (RuntimeException e) {
      throw new ModelFileException(metaPath, "malformed model properties: " + e, e);
    }
  }

  private static ModelReport report(
      Properties p,
      boolean latencyUsed,
      boolean successLoaded,
      Map<String, ToolModelChoice> byTool) {
    return new ModelReport(
        Integer.parseInt(p.getProperty("trainRows")),
        Integer.parseInt(p.getProperty("heldOutRows")),
        Double.parseDouble(p.getProperty("latencyMaeModel")),
        Double.parseDouble(p.getProperty("latencyMaeBaseline")),
        latencyUsed,
        Double.parseDouble(p.getProperty("successBrierModel")),
        Double.parseDouble(p.getProperty("successBrierBaseline")),
        Double.parseDouble(p.getProperty("successAuc")),
        successLoaded && Boolean.parseBoolean(p.getProperty("successModelUsed")),
        p.getProperty("note", ""),
        parseGain(p.getProperty("latencyGain")),
        parseGain(p.getProperty("successGain")),
        byTool);
  }

  private static double upper(Properties p) {
    double upper = Double.parseDouble(p.getProperty("upperLogOffset"));
    if (!Double.isFinite(upper)) {
      throw new NumberFormatException("upperLogOffset " + upper);
    }
    return upper;
  }

  private static String gain(Gain g) {
    return g.ratio() + " " + g.low() + " " + g.high() + " " + g.rows();
  }

  /** A gain written by {@link #gain}; none if absent (files of formats 1 and 2). */
  private static Gain parseGain(@Nullable String s) {
    if (s == null) {
      return Gain.none();
    }
    String[] f = s.trim().split(" ");
    return new Gain(
        Double.parseDouble(f[0]),
        Double.parseDouble(f[1]),
        Double.parseDouble(f[2]),
        Integer.parseInt(f[3]));
  }

  /**
   * Checks a model file against the checksum saved with it: present with the same SHA-256, or
   * absent when none was saved.
   */
  private static void verify(Path dir, String file, Properties p) {
    Path path = dir.resolve(file);
    String expected = p.getProperty(checksumKey(file));
    if (expected == null) {
      throw new ModelFileException(
          dir.resolve(META), "no checksum of " + file + " in the model properties (damaged?)");
    }
    boolean exists = Files.exists(path);
    if (expected.equals(ABSENT)) {
      if (exists) {
        throw new ModelFileException(
            path, "this model was not saved with these properties (left from another save?)");
      }
      return;
    }
    if (!exists) {
      throw new ModelFileException(
          path, "the model file is missing (deleted since it was saved?); save the models again");
    }
    String actual;
    try {
      actual = sha256(path);
    } catch (IOException e) {
      throw new ModelFileException(path, "cannot read the model file: " + e, e);
    }
    if (!actual.equals(expected)) {
      throw new ModelFileException(
          path,
          "the model file changed since it was saved (corrupt or replaced): SHA-256 "
              + actual
              + ", saved "
              + expected);
    }
  }

  private static String sha256(Path path) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
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

  private static String doubles(double[] values) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(values[i]);
    }
    return b.toString();
  }

  private static double[] parseDoubles(String text) {
    if (text.isEmpty()) {
      return new double[0];
    }
    String[] parts = text.split(",");
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Double.parseDouble(parts[i]);
    }
    return values;
  }
}
