# httpcap8: trace7/inst.py plus the cause of each change (CAUSE tag) and the probe's start/verdict.
import sys, re, subprocess, os
src, name = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
subprocess.check_call([sys.executable, os.path.join(here, '..', 'trace7', 'inst.py'), src, name + 'Tmp'])
s = open(name + 'TmpLimit.java').read(); os.remove(name + 'TmpLimit.java')
s = re.sub(r'\b' + name + r'TmpLimit\b', name + 'Limit', s)
def tag(old, cause, count=1):
    global s
    assert s.count(old) >= 1, old
    s = s.replace(old, old.replace('change(', 'cause = "' + cause + '"; change(', 1), count)
tag("    change(lastGood);", "retreat")
tag("      change(next);\n      return;\n    }\n    boolean used", "failures")
tag("      change(limit);\n      return;\n    }\n    double error", "unused")
tag("        change(limit);\n        return;", "pendingDeep")
tag("    change((int) Math.round(next));\n  }\n\n  /**\n   * Three", "target")
tag("    change((int) Math.round(next));\n  }\n\n  /** The level", "probeQueue")
s = s.replace("public static java.util.function.Consumer<String> DEBUG = null;",
              "public static java.util.function.Consumer<String> DEBUG = null;\n  private String cause = \"?\";", 1)
s = s.replace('DEBUG.accept(String.format(Locale.ROOT, "#%d lim', 'DEBUG.accept(cause + " " + String.format(Locale.ROOT, "#%d lim', 1)
s = s.replace("  private void startProbe(double refuted, double throughputLowerBound) {\n",
              "  private void startProbe(double refuted, double throughputLowerBound) {\n    if (DEBUG != null) DEBUG.accept(\"probeStart from \" + limit + \" \" + dbgState());\n", 1)
s = s.replace("  private void restore(int level) {\n",
              "  private void restore(int level) {\n    if (DEBUG != null) DEBUG.accept(\"probeRestore \" + limit + \"->\" + level + \" n=\" + window.n + \" \" + dbgState());\n", 1)
s = s.replace('return String.format(Locale.ROOT, "cap=%.0f/s env=[%s]", xm * 1e9, env);',
              'return String.format(Locale.ROOT, "cap=%.0f/s env=[%s] failedAt=%d hold=%d cutFrom=%d lastGood=%d", xm * 1e9, env, failedAt, hold, cutFrom, lastGood);', 1)
open(name + 'Limit.java', 'w').write(s)
