package dev.parallax.samples.bench.model;

import java.util.List;
import java.util.Objects;

/** Data of one chart of the HTML report. */
public sealed interface Chart {

  /** The chart's title. */
  String title();

  /**
   * Horizontal bars, one per label.
   *
   * @param title the title
   * @param unit the unit of the values, shown after them
   * @param markerName what the bars' markers show (for the legend), or {@code ""}
   * @param bars the bars, top to bottom
   */
  record Bars(String title, String unit, String markerName, List<Bar> bars) implements Chart {

    /** Bars without markers. */
    public Bars(String title, String unit, List<Bar> bars) {
      this(title, unit, "", bars);
    }

    /** Copies. */
    public Bars {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(unit, "unit");
      Objects.requireNonNull(markerName, "markerName");
      bars = List.copyOf(bars);
    }
  }

  /**
   * One bar.
   *
   * @param label what it measures
   * @param value its length
   * @param marker a reference drawn across the bar (for example a lower bound), or {@code NaN}
   */
  record Bar(String label, double value, double marker) {

    /** A bar without a marker. */
    public Bar(String label, double value) {
      this(label, value, Double.NaN);
    }
  }

  /**
   * Lines through points.
   *
   * @param title the title
   * @param xLabel what the horizontal axis shows
   * @param yLabel what the vertical axis shows
   * @param series the lines
   */
  record Lines(String title, String xLabel, String yLabel, List<Series> series) implements Chart {
    /** Copies. */
    public Lines {
      Objects.requireNonNull(title, "title");
      series = List.copyOf(series);
    }
  }

  /**
   * One line.
   *
   * @param name its name in the legend
   * @param points its points, by increasing x
   */
  record Series(String name, List<Point> points) {
    /** Copies. */
    public Series {
      points = List.copyOf(points);
    }
  }

  /**
   * A point of a line.
   *
   * @param x horizontal value
   * @param y vertical value
   */
  record Point(double x, double y) {}

  /**
   * A schedule: one bar per call on the lane (slot) it ran in.
   *
   * @param title the title
   * @param lanes how many lanes to draw
   * @param makespanMs the schedule's makespan
   * @param lowerBoundMs the lower bound, drawn as a dashed line
   * @param bars the calls
   */
  record Gantt(String title, int lanes, double makespanMs, double lowerBoundMs, List<GanttBar> bars)
      implements Chart {
    /** Copies. */
    public Gantt {
      Objects.requireNonNull(title, "title");
      bars = List.copyOf(bars);
    }
  }

  /**
   * One call in a schedule.
   *
   * @param lane the lane, from 0
   * @param startMs when it started
   * @param endMs when it ended
   * @param label the call's id (shown as a tooltip)
   * @param group what colours it (the tool)
   */
  record GanttBar(int lane, double startMs, double endMs, String label, String group) {}
}
