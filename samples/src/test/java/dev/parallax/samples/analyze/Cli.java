package dev.parallax.samples.analyze;

import dev.parallax.samples.cli.ParallaxCli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and keeps what it printed. */
record Cli(int status, String out, String err) {

  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = ParallaxCli.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Cli(status, out.toString(), err.toString());
  }

  /** The lines printed on standard error, without the trailing newline. */
  String[] errLines() {
    return err.strip().split("\\R");
  }
}
