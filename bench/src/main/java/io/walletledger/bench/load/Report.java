package io.walletledger.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The report directory of a run: {@code latency.hgrm} (HdrHistogram's percentile distribution, in microseconds),
 * {@code per-second.csv}, and two charts made with JFreeChart: {@code throughput.png} (transfers/s and p99 per
 * second) and {@code latency-percentiles.png} (the latency percentile curve).
 */
final class Report
{
    private Report()
    {
    }

    static void write(final Path directory, final LoadStats stats, final String settings) throws IOException
    {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("settings.txt"), settings);
        try (PrintStream hgrm = new PrintStream(Files.newOutputStream(directory.resolve("latency.hgrm")), false,
            StandardCharsets.UTF_8))
        {
            stats.total().outputPercentileDistribution(hgrm, 1.0);
        }
        final List<LoadStats.Second> seconds = stats.seconds();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(directory.resolve("per-second.csv"))))
        {
            csv.println("second,warmup,transfers_per_sec,rejected,errors,p50_us,p99_us,max_us");
            for (final LoadStats.Second s : seconds)
            {
                csv.printf("%d,%b,%d,%d,%d,%d,%d,%d%n", s.second(), s.warmup(), s.transfers(), s.rejected(),
                    s.errors(), s.p50Micros(), s.p99Micros(), s.maxMicros());
            }
        }
        throughputChart(directory.resolve("throughput.png"), seconds);
        percentileChart(directory.resolve("latency-percentiles.png"), stats.total());
    }

    private static void throughputChart(final Path file, final List<LoadStats.Second> seconds) throws IOException
    {
        ChartUtils.saveChartAsPNG(file.toFile(), throughputChart(seconds), 1000, 500);
    }

    /**
     * @return throughput (thousands of transfers/s, the left axis) and p99 latency (ms, an axis of its own on the
     * right) per second: on one axis, the latency line would lie flat at the bottom.
     */
    static JFreeChart throughputChart(final List<LoadStats.Second> seconds)
    {
        final XYSeries throughput = new XYSeries("transfers/s (thousands)");
        final XYSeries p99 = new XYSeries("p99 latency (ms)");
        for (final LoadStats.Second s : seconds)
        {
            throughput.add(s.second(), s.transfers() / 1000.0);
            p99.add(s.second(), s.p99Micros() / 1000.0);
        }
        final JFreeChart chart = ChartFactory.createXYLineChart("Throughput and p99 latency per second",
            "second", "thousand transfers/s", new XYSeriesCollection(throughput), PlotOrientation.VERTICAL, true,
            false, false);
        final XYPlot plot = chart.getXYPlot();
        plot.setRangeAxis(1, new NumberAxis("p99 latency (ms)"));
        plot.setDataset(1, new XYSeriesCollection(p99));
        plot.mapDatasetToRangeAxis(1, 1);
        final XYLineAndShapeRenderer latency = new XYLineAndShapeRenderer(true, false);
        latency.setSeriesPaint(0, java.awt.Color.BLUE);
        plot.setRenderer(1, latency);
        return chart;
    }

    private static void percentileChart(final Path file, final Histogram histogram) throws IOException
    {
        // x: "number of nines" (1 = p90, 2 = p99, 3 = p99.9), the usual HdrHistogram plot.
        final XYSeries curve = new XYSeries("latency (ms)");
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            final double percentile = value.getPercentileLevelIteratedTo() / 100.0;
            if (percentile >= 1.0)
            {
                break;
            }
            curve.add(-Math.log10(1.0 - percentile), value.getValueIteratedTo() / 1000.0);
        }
        final JFreeChart chart = ChartFactory.createXYLineChart("Request latency by percentile",
            "percentile (1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99)", "ms", new XYSeriesCollection(curve),
            PlotOrientation.VERTICAL, false, false, false);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 1000, 500);
    }
}
