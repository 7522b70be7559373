package dev.parallax.storage.neighbours;

import dev.parallax.core.record.ExecutionRecord;
import dev.parallax.storage.InMemoryHistoryStore;
import dev.parallax.storage.Neighbor;
import dev.parallax.storage.embedded.EmbeddedHistoryStore;
import dev.parallax.storage.testing.TempFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;

class DiagnoseTest {

  @Test
  void diagnose() throws Exception {
    List<ExecutionRecord> history = NeighbourData.history(1500, 8);
    Path dir = Files.createTempDirectory("diag");
    ToolScaledVectorizer space = ToolScaledVectorizer.fit(history);
    InMemoryHistoryStore mem = new InMemoryHistoryStore(space);
    mem.append(history);
    int k = 5;
    try (EmbeddedHistoryStore store = EmbeddedHistoryStore.open(dir.resolve("store"), space)) {
      store.append(history);
      try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir.resolve("store")))) {
        System.out.println("segments " + reader.leaves().size() + " docs " + reader.maxDoc());
        for (LeafReaderContext c : reader.leaves()) {
          System.out.println(" leaf maxDoc " + c.reader().maxDoc());
        }
        IndexSearcher searcher = new IndexSearcher(reader);
        int mismatch = 0;
        int mismatchNoFilter = 0;
        int mismatchBig = 0;
        for (Map.Entry<String, Map<String, Double>> q : NeighbourData.queries(100, 99)) {
          float[] v = space.vector(q.getKey(), q.getValue());
          List<Neighbor> exact = mem.nearest(v, 2000, q.getKey());
          double kth = exact.get(k - 1).distance();
          long ties = exact.stream().filter(n -> n.distance() <= kth).count();
          List<Neighbor> got = store.nearest(v, 64, q.getKey());
          double gotKth = got.get(k - 1).distance();
          if (gotKth > kth) {
            mismatch++;
            // unfiltered search with a large k, then filter
            TopDocs unf = searcher.search(new KnnFloatVectorQuery("vec", v, 2000), 2000);
            TopDocs big =
                searcher.search(
                    new KnnFloatVectorQuery(
                        "vec", v, 1000, new TermQuery(new Term("tool", q.getKey()))),
                    1000);
            List<Neighbor> gotBig = store.nearest(v, 1000, q.getKey());
            boolean bigOk = gotBig.get(k - 1).distance() <= kth;
            if (!bigOk) mismatchBig++;
            System.out.printf(
                "MISMATCH %s %s vec=%s trueKth=%.6g (float %.6g) ties=%d gotKth=%.6g got5=%s exact5=%s bigOk=%s unfHits=%d%n",
                q.getKey(),
                q.getValue(),
                java.util.Arrays.toString(v),
                kth,
                (float) kth,
                ties,
                gotKth,
                got.subList(0, k).stream()
                    .map(n -> String.format("%.4g", n.distance()))
                    .collect(Collectors.joining(",")),
                exact.subList(0, Math.min(exact.size(), (int) ties + 2)).stream()
                    .map(n -> String.format("%.4g", n.distance()))
                    .collect(Collectors.joining(",")),
                bigOk,
                unf.scoreDocs.length);
          }
        }
        System.out.println(
            "mismatching k-th: " + mismatch + " of 200; with k=1000: " + mismatchBig);
        {
          org.apache.lucene.index.LeafReader leaf = reader.leaves().get(0).reader();
          org.apache.lucene.codecs.KnnVectorsReader kr =
              ((org.apache.lucene.index.CodecReader) leaf).getVectorReader();
          if (kr
              instanceof
              org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat.FieldsReader fr) {
            kr = fr.getFieldReader("vec");
          }
          org.apache.lucene.util.hnsw.HnswGraph g =
              ((org.apache.lucene.codecs.hnsw.HnswGraphProvider) kr).getGraph("vec");
          long total = 0;
          int[] hist = new int[40];
          for (int node = 0; node < g.size(); node++) {
            g.seek(0, node);
            int c = g.neighborCount();
            total += c;
            hist[Math.min(39, c)]++;
          }
          System.out.println(
              "levels "
                  + g.numLevels()
                  + " mean degree0 "
                  + (double) total / g.size()
                  + " hist "
                  + java.util.Arrays.toString(hist));
          for (int cand : new int[] {64, 128, 200, 256}) {
            float[] v = space.vector("fetch", Map.of("bytes", 1705.7));
            TopDocs td =
                searcher.search(
                    new KnnFloatVectorQuery(
                        "vec", v, cand, new TermQuery(new Term("tool", "fetch"))),
                    cand);
            System.out.println("k " + cand + " totalHits " + td.totalHits);
          }
        }
        for (int cand : new int[] {5, 64, 128, 256, 512}) {
          for (int thr : new int[] {60, 0}) {
            int miss = 0;
            for (Map.Entry<String, Map<String, Double>> q : NeighbourData.queries(100, 99)) {
              float[] v = space.vector(q.getKey(), q.getValue());
              List<Neighbor> exact = mem.nearest(v, 2000, q.getKey());
              float kthScore = 1f / (1f + (float) Math.pow(exact.get(k - 1).distance(), 2));
              TopDocs td =
                  searcher.search(
                      new KnnFloatVectorQuery(
                          "vec",
                          v,
                          cand,
                          new TermQuery(new Term("tool", q.getKey())),
                          new org.apache.lucene.search.knn.KnnSearchStrategy.Hnsw(thr)),
                      cand);
              if (td.scoreDocs.length < k || td.scoreDocs[k - 1].score < kthScore * (1 - 1e-5f)) {
                miss++;
              }
            }
            System.out.println(
                "candidates " + cand + " acornThreshold " + thr + " missesKth " + miss);
          }
        }
      }
    } finally {
      TempFiles.deleteTree(dir);
    }
  }
}
