package dev.parallax.samples.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressAndHtmlTest {

  @TempDir Path dir;

  private Path small(String name, String program) {
    return Instances.write(
        dir,
        name,
        Instances.wf15(
            new Object[] {"a", program, 1.0},
            new Object[] {"b", program, 2.0, "a"},
            new Object[] {"c", "other", 3.0, "a"}));
  }

  @Test
  void progress_forced_isDrawnOnStderrAndCleared_stdoutStaysClean() {
    Cli r = Cli.run("analyze", "--progress", small("one.json", "x").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).contains("analyze [").contains("100%").contains("\r").endsWith("\r");
    assertThat(r.out()).doesNotContain("analyze [");
  }

  @Test
  void progress_byDefault_onlyForLongWork() {
    Cli r = Cli.run("analyze", small("one.json", "x").toString());
    assertThat(r.err()).isEmpty();
    List<Path> many = new ArrayList<>();
    for (int i = 0; i < AnalyzeCommand.LONG_WORK_FILES; i++) {
      many.add(small("f" + i + ".json", "x"));
    }
    assertThat(AnalyzeCommand.isLongWork(many)).isTrue();
    assertThat(AnalyzeCommand.isLongWork(many.subList(0, 1))).isFalse();
  }

  @Test
  void noProgress_suppressesTheBar() {
    List<String> args = new ArrayList<>(List.of("analyze", "--no-progress"));
    for (int i = 0; i < AnalyzeCommand.LONG_WORK_FILES; i++) {
      args.add(small("f" + i + ".json", "x").toString());
    }
    Cli r = Cli.run(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void html_escapesTextFromTheInputs() throws Exception {
    Path input =
        Instances.write(
            dir,
            "a<b>&'c\".json",
            Instances.wf15(
                new Object[] {"<img src=x>", "fetch", 1.0},
                new Object[] {"t&2", "fetch", 2.0, "<img src=x>"}));
    Path html = dir.resolve("out.html");
    Cli r = Cli.run("analyze", input.toString(), "--html", html.toString());
    assertThat(r.status()).as(r.err()).isZero();
    String page = Files.readString(html);
    assertThat(page)
        .doesNotContain("<img")
        .contains("&lt;img src=x&gt;")
        .contains("t&amp;2")
        .contains("a&lt;b&gt;&amp;&#39;c&quot;.json");
  }

  @Test
  void programNamesThatAreNotToolNames_areFitted_andSaidSo() {
    Path input = small("odd.json", "/usr/bin/python3 run.py");
    Cli r = Cli.run("analyze", input.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("_usr_bin_python3_run.py")
        .contains("note: tool names changed")
        .contains("'/usr/bin/python3 run.py' -> '_usr_bin_python3_run.py'");
  }

  @Test
  void tinyInput_scoresItsLastTask_andSaysTheModelWasNotTrained() throws Exception {
    Path json = dir.resolve("out.json");
    Cli r = Cli.run("analyze", small("one.json", "x").toString(), "--json", json.toString());
    assertThat(r.status()).as(r.err()).isZero();
    var model = JsonReport.MAPPER.readTree(json.toFile()).path("inputs").get(0).path("model");
    assertThat(model.path("scored_tasks").asInt()).isEqualTo(1);
    assertThat(model.path("training_tasks").asInt()).isEqualTo(2);
    assertThat(model.path("note").asText()).contains("no model trained");
  }
}
