import sys,re
src,name=sys.argv[1],sys.argv[2]
s=open(src).read()
s=s.replace("package dev.parallax.adaptive.limit;","import dev.parallax.adaptive.limit.ConcurrencyLimit;")
s=re.sub(r'\bAdaptiveLimit\b',name+'Limit',s)
dbg='''
  public static java.util.function.Consumer<String> DEBUG = null;
  public long samplesSeen;
  private String dbgState() {
    StringBuilder env = new StringBuilder();
    for (double[] e : envelope) env.append(String.format(Locale.ROOT, " %.1f:%d:%.1f", e[0], (long) e[1], e[2] / e[1] / 1e6));
    double xm = 0; for (double x : capacity) xm = Math.max(xm, x);
    return String.format(Locale.ROOT, "cap=%.0f/s env=[%s]", xm * 1e9, env);
  }
  private void change(int wanted) {
    if (DEBUG != null && window.n > 0) {
      double ref = Double.NaN;
      try { ref = reference(); } catch (RuntimeException e) { }
      double err = Window.relativeError(window.n, window.sum, window.sumSquares);
      DEBUG.accept(String.format(Locale.ROOT, "#%d lim %d->%d n=%d N=%.1f T=%.1fms e=%.3f ok=%d X=%.0f/s R0=%.1fms sat=%s %s",
        samplesSeen, limit, wanted, window.n, window.inFlightSum / window.n, window.sum / window.n / 1e6, err, window.successes,
        window.inFlightSum / window.n * window.successes / window.sum * 1e9, ref / 1e6,
        window.sum / window.n * (1 - Z_DECIDE * err) > (1 + tolerance) * ref, dbgState()));
    } else if (DEBUG != null) {
      DEBUG.accept(String.format(Locale.ROOT, "#%d lim %d->%d (no window) %s", samplesSeen, limit, wanted, dbgState()));
    }
    change0(wanted);
  }
  private void change0(int wanted) {'''
s=s.replace("  private void change(int wanted) {",dbg,1)
s=s.replace("    if (latencyNanos <= 0) {\n      return limit;\n    }","    samplesSeen++;\n    if (latencyNanos <= 0) {\n      return limit;\n    }",1)
open(name+'Limit.java','w').write(s)
