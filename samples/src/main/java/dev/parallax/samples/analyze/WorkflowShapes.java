package dev.parallax.samples.analyze;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/*
 * Three workflow shapes after the WfCommons recipes of real scientific workflows:
 *
 *   Montage (astronomy mosaics): mProject re-projects every input image (fan-out); mDiffFit fits
 *   each pair of overlapping images; mConcatFit and mBgModel gather the fits into one background
 *   model (fan-in); mBackground corrects every image (fan-out again); mImgtbl, mAdd, mShrink and
 *   mJPEG assemble the mosaic (fan-in, then a short chain).
 *
 *   Epigenomics (genome sequencing): per lane, fastqSplit cuts the reads into chunks; each chunk
 *   goes through a chain filterContams -> sol2sanger -> fast2bfq -> map (parallel chains); mapMerge
 *   joins a lane's chunks, then all lanes; maqIndex and pileup finish.
 *
 *   BLAST (sequence search): split_fasta cuts the queries into chunks; blastall searches each chunk
 *   against a shared database; cat_blast and cat merge the results (split/merge).
 *
 * Each program has one cost (ToolCost) for every instance, so a model can learn across instances;
 * file sizes are drawn log-uniformly so that runtimes within one program spread over one to two
 * orders of magnitude, which a per-program mean cannot follow.
 */
/** Builds synthetic WfFormat instances shaped like Montage, Epigenomics and BLAST. Stateless. */
final class WorkflowShapes {

  private static final double KB = 1e3;
  private static final double MB = 1e6;
  private static final double GB = 1e9;
  private static final int WORKERS = 8;
  private static final Instant START = Instant.parse("2025-03-03T09:00:00Z");

  private static final ToolCost M_PROJECT = new ToolCost(12, 10 * MB, 0.9, 0.12);
  private static final ToolCost M_DIFF_FIT = new ToolCost(2.5, 40 * MB, 0.7, 0.15);
  private static final ToolCost M_CONCAT_FIT = new ToolCost(1.5, 100 * KB, 0.8, 0.1);
  private static final ToolCost M_BG_MODEL = new ToolCost(6, 100 * KB, 1.1, 0.1);
  private static final ToolCost M_BACKGROUND = new ToolCost(1.5, 20 * MB, 1.0, 0.12);
  private static final ToolCost M_IMGTBL = new ToolCost(2, 500 * MB, 0.5, 0.1);
  private static final ToolCost M_ADD = new ToolCost(30, GB, 1.0, 0.1);
  private static final ToolCost M_SHRINK = new ToolCost(4, 500 * MB, 0.9, 0.1);
  private static final ToolCost M_JPEG = new ToolCost(1.5, 30 * MB, 0.8, 0.1);

  private static final ToolCost FASTQ_SPLIT = new ToolCost(20, GB, 1.0, 0.1);
  private static final ToolCost FILTER_CONTAMS = new ToolCost(3, 50 * MB, 0.95, 0.12);
  private static final ToolCost SOL2SANGER = new ToolCost(1.5, 50 * MB, 1.0, 0.12);
  private static final ToolCost FAST2BFQ = new ToolCost(2, 50 * MB, 0.9, 0.12);
  private static final ToolCost MAP = new ToolCost(40, 20 * MB, 1.2, 0.15);
  private static final ToolCost MAP_MERGE = new ToolCost(5, 200 * MB, 1.0, 0.1);
  private static final ToolCost MAQ_INDEX = new ToolCost(20, 500 * MB, 1.0, 0.1);
  private static final ToolCost PILEUP = new ToolCost(40, GB, 1.0, 0.1);

  private static final ToolCost SPLIT_FASTA = new ToolCost(3, 100 * MB, 0.8, 0.1);
  private static final ToolCost BLASTALL = new ToolCost(60, MB, 0.95, 0.15);
  private static final ToolCost CAT_BLAST = new ToolCost(2, 200 * MB, 1.0, 0.1);
  private static final ToolCost CAT = new ToolCost(1, 200 * MB, 1.0, 0.1);

  private WorkflowShapes() {}

  /** A Montage-like instance over {@code images} input images. */
  static ObjectNode montage(String name, long seed, int images) {
    InstanceBuilder b =
        new InstanceBuilder(
            name,
            "Montage-like mosaic of " + images + " images (synthetic, Parallax WorkflowInstances)",
            seed,
            WORKERS);
    String header = b.sharedInput("region.hdr", 2 * KB);
    List<String> projected = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      String raw = b.input(file("raw_%04d.fits", i), b.logUniform(4 * MB, 40 * MB));
      String out = file("p_%04d.fits", i);
      b.task(
          "mProject",
          List.of(raw, header),
          Map.of(out, b.size(raw) * (1.6 + 0.6 * b.random().nextDouble())),
          M_PROJECT);
      projected.add(out);
    }
    List<String> fits = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      for (int step : new int[] {1, 3}) {
        int j = i + step;
        if (j >= images || (step == 3 && i % 2 == 1)) {
          continue;
        }
        String fit = file("fit_%04d_%04d.txt", i, j);
        b.task(
            "mDiffFit",
            List.of(projected.get(i), projected.get(j), header),
            Map.of(fit, b.logUniform(1 * KB, 4 * KB)),
            M_DIFF_FIT);
        fits.add(fit);
      }
    }
    String fitsTable = "fits.tbl";
    b.task("mConcatFit", fits, Map.of(fitsTable, 120.0 * fits.size()), M_CONCAT_FIT);
    String corrections = "corrections.tbl";
    b.task("mBgModel", List.of(fitsTable), Map.of(corrections, 80.0 * images), M_BG_MODEL);
    List<String> corrected = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      String out = file("c_%04d.fits", i);
      b.task(
          "mBackground",
          List.of(projected.get(i), corrections),
          Map.of(out, b.size(projected.get(i))),
          M_BACKGROUND);
      corrected.add(out);
    }
    b.task("mImgtbl", corrected, Map.of("cimages.tbl", 150.0 * images), M_IMGTBL);
    List<String> addInputs = new ArrayList<>(corrected);
    addInputs.add("cimages.tbl");
    double total = corrected.stream().mapToDouble(b::size).sum();
    b.task("mAdd", addInputs, Map.of("mosaic.fits", total * 0.6), M_ADD);
    b.task("mShrink", List.of("mosaic.fits"), Map.of("small.fits", total * 0.6 / 16), M_SHRINK);
    b.task("mJPEG", List.of("small.fits"), Map.of("mosaic.jpg", total * 0.6 / 160), M_JPEG);
    return b.build(START);
  }

  /** An Epigenomics-like instance of {@code lanes} lanes cut into {@code chunks} chunks each. */
  static ObjectNode epigenomics(String name, long seed, int lanes, int chunks) {
    InstanceBuilder b =
        new InstanceBuilder(
            name,
            "Epigenomics-like pipeline of "
                + lanes
                + " lanes x "
                + chunks
                + " chunks (synthetic, Parallax WorkflowInstances)",
            seed,
            WORKERS);
    String reference = b.sharedInput("reference.bfa", 60 * MB);
    List<String> laneMaps = new ArrayList<>();
    for (int l = 0; l < lanes; l++) {
      String fastq = b.input(file("lane_%02d.fastq", l), b.logUniform(0.3 * GB, 1.5 * GB));
      Map<String, Double> parts = new LinkedHashMap<>();
      double[] weights = new double[chunks];
      double sum = 0;
      for (int c = 0; c < chunks; c++) {
        weights[c] = b.logUniform(0.2, 2);
        sum += weights[c];
      }
      for (int c = 0; c < chunks; c++) {
        parts.put(file("chunk_%02d_%03d.sfq", l, c), b.size(fastq) * weights[c] / sum);
      }
      b.task("fastqSplit", List.of(fastq), parts, FASTQ_SPLIT);
      List<String> maps = new ArrayList<>();
      for (String chunk : parts.keySet()) {
        String stem = chunk.substring(0, chunk.length() - 4);
        String filtered = stem + ".filtered.sfq";
        b.task(
            "filterContams", List.of(chunk), Map.of(filtered, b.size(chunk) * 0.9), FILTER_CONTAMS);
        String sanger = stem + ".fq";
        b.task(
            "sol2sanger", List.of(filtered), Map.of(sanger, b.size(filtered) * 0.95), SOL2SANGER);
        String bfq = stem + ".bfq";
        b.task("fast2bfq", List.of(sanger), Map.of(bfq, b.size(sanger) * 0.35), FAST2BFQ);
        String map = stem + ".map";
        b.task("map", List.of(bfq, reference), Map.of(map, b.size(bfq) * 0.5), MAP);
        maps.add(map);
      }
      String laneMap = file("lane_%02d.map", l);
      b.task(
          "mapMerge", maps, Map.of(laneMap, maps.stream().mapToDouble(b::size).sum()), MAP_MERGE);
      laneMaps.add(laneMap);
    }
    double merged = laneMaps.stream().mapToDouble(b::size).sum();
    b.task("mapMerge", laneMaps, Map.of("all.map", merged), MAP_MERGE);
    b.task("maqIndex", List.of("all.map"), Map.of("all.map.index", merged * 0.2), MAQ_INDEX);
    b.task(
        "pileup",
        List.of("all.map", "all.map.index", reference),
        Map.of("all.pileup", merged * 0.3),
        PILEUP);
    return b.build(START);
  }

  /** A BLAST-like instance that splits the queries into {@code splits} chunks. */
  static ObjectNode blast(String name, long seed, int splits) {
    InstanceBuilder b =
        new InstanceBuilder(
            name,
            "BLAST-like split/merge over "
                + splits
                + " chunks (synthetic, Parallax WorkflowInstances)",
            seed,
            WORKERS);
    String database = b.sharedInput("nt.db", 5 * MB);
    Map<String, Double> chunks = new LinkedHashMap<>();
    for (int i = 0; i < splits; i++) {
      chunks.put(file("query_%04d.fasta", i), b.logUniform(0.5 * MB, 20 * MB));
    }
    double queries = chunks.values().stream().mapToDouble(Double::doubleValue).sum();
    String fasta = b.input("queries.fasta", queries);
    b.task("split_fasta", List.of(fasta), chunks, SPLIT_FASTA);
    List<String> outputs = new ArrayList<>();
    for (String chunk : chunks.keySet()) {
      String out = chunk.replace(".fasta", ".blast");
      b.task(
          "blastall",
          List.of(chunk, database),
          Map.of(out, b.size(chunk) * (2 + 4 * b.random().nextDouble())),
          BLASTALL);
      outputs.add(out);
    }
    double all = outputs.stream().mapToDouble(b::size).sum();
    b.task("cat_blast", outputs, Map.of("blast.out", all), CAT_BLAST);
    b.task("cat", List.of("blast.out"), Map.of("blast.summary", all * 0.01), CAT);
    return b.build(START);
  }

  private static String file(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
