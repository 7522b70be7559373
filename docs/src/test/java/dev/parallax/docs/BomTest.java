package dev.parallax.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code parallax-bom} manages every published module, at the parent's version. */
class BomTest {

  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  /** Modules that are not libraries: they are never published, so the BOM leaves them out. */
  private static final Set<String> UNPUBLISHED = Set.of("samples", "benchmarks", "docs", "bom");

  @Test
  void theBomManagesEveryPublishedModuleAtTheParentsVersion() throws IOException {
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    String bom = Files.readString(ROOT.resolve("bom/pom.xml"));
    List<String> published = new ArrayList<>();
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(parent);
    while (module.find()) {
      if (!UNPUBLISHED.contains(module.group(1))) {
        published.add(artifactId(ROOT.resolve(module.group(1)).resolve("pom.xml")));
      }
    }
    assertThat(published).contains("parallax-core", "parallax-facade");
    for (String artifactId : published) {
      assertThat(bom).as("bom/pom.xml manages %s", artifactId).contains(artifactId);
    }
    assertThat(artifactId(ROOT.resolve("bom/pom.xml"))).isEqualTo("parallax-bom");
    assertThat(version(bom)).isEqualTo(version(parent));
  }

  private static String artifactId(Path pom) throws IOException {
    return first(Files.readString(pom).replaceAll("(?s)<parent>.*?</parent>", ""), "artifactId");
  }

  private static String version(String pom) {
    return first(pom.replaceAll("(?s)<parent>.*?</parent>", ""), "version");
  }

  private static String first(String xml, String element) {
    Matcher m = Pattern.compile("<" + element + ">([^<]+)</" + element + ">").matcher(xml);
    assertThat(m.find()).as("<%s>", element).isTrue();
    return m.group(1);
  }
}
