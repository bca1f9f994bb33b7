package io.walletledger.bench.load;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The throughput chart puts thousands of transfers/s and p99 milliseconds on axes of their own, each scaled to its
 * values, so neither line lies flat at the bottom of the other's.
 */
class ReportTest
{
    @Test
    void throughputAndLatencyHaveAnAxisEach()
    {
        final List<LoadStats.Second> seconds = List.of(
            new LoadStats.Second(1, false, 1_500_000, 0, 0, 800, 4_000, 9_000),
            new LoadStats.Second(2, false, 1_600_000, 0, 0, 700, 3_000, 8_000));
        final JFreeChart chart = Report.throughputChart(seconds);
        final XYPlot plot = chart.getXYPlot();
        assertEquals(2, plot.getRangeAxisCount());
        assertNotSame(plot.getRangeAxisForDataset(0), plot.getRangeAxisForDataset(1));
        assertEquals("thousand transfers/s", plot.getRangeAxisForDataset(0).getLabel());
        assertEquals("p99 latency (ms)", plot.getRangeAxisForDataset(1).getLabel());
        assertEquals(1_600.0, plot.getDataset(0).getYValue(0, 1));
        assertEquals(3.0, plot.getDataset(1).getYValue(0, 1));
        // Each axis is scaled to its own line: the latency axis tops out near 4 ms, not near 1,600.
        assertTrue(plot.getRangeAxisForDataset(1).getUpperBound() < 10, "latency axis up to " +
            plot.getRangeAxisForDataset(1).getUpperBound());
    }
}
