package dev.retry.benchmarks.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Draws each group as one PNG: time per call above, bytes per call below, one bar per variant,
 * ours, the rivals and the floors each in a colour of their own.
 */
final class Charts {

    private static final Color OURS = new Color(0x1f, 0x77, 0xb4);
    private static final Color RIVALS = new Color(0xff, 0x7f, 0x0e);
    private static final Color FLOORS = new Color(0xa0, 0xa0, 0xa0);
    private static final int WIDTH = 1200;
    private static final int HEIGHT = 540;

    private Charts() {}

    /** Writes {@code group}'s chart into {@code directory} and returns its path. */
    static Path draw(Group group, List<Result> results, Path directory) throws IOException {
        // Charts are drawn off screen; a machine without a display must not try to open one.
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(directory);
        // Labels without versions: long ones would not fit under the bars, and the tables give them.
        List<String> labels = new ArrayList<>();
        for (Result result : results) {
            labels.add(group.label(result.variant(), Versions.none()));
        }
        CategoryChart time = chart(
                group.title() + ": time per call",
                "ns per call (lower is better)",
                group,
                results,
                labels,
                Result::nanos);
        CategoryChart bytes = chart(
                group.title() + ": bytes allocated per call",
                "bytes per call (lower is better)",
                group,
                results,
                labels,
                Result::bytes);
        Path file = directory.resolve(group.id() + ".png");
        BitmapEncoder.saveBitmap(List.of(time, bytes), 2, 1, file.toString(), BitmapFormat.PNG);
        return file;
    }

    /** One bar per label, all ours: the simulations compare our policies with one another. */
    static Path drawBars(String title, String yTitle, List<String> labels, List<Double> values, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(file.toAbsolutePath().getParent());
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setLabelsVisible(true);
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.BLACK);
        styler.setLegendVisible(false);
        styler.setXAxisLabelRotation(labels.size() > 5 ? 45 : 0);
        styler.setYAxisDecimalPattern("#,##0.##");
        styler.setYAxisMin(0.0);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setSeriesColors(new Color[] {OURS});
        chart.addSeries("retry (ours)", labels, values);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
        return file;
    }

    private static CategoryChart chart(
            String title,
            String yTitle,
            Group group,
            List<Result> results,
            List<String> labels,
            ToDoubleFunction<Result> value) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .yAxisTitle(yTitle)
                .build();
        CategoryStyler styler = chart.getStyler();
        styler.setOverlapped(true);
        styler.setLabelsVisible(true);
        // Black labels: XChart's automatic white on dark bars vanishes on a bar too short to hold it.
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.BLACK);
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setXAxisLabelRotation(results.size() > 5 ? 45 : 0);
        styler.setYAxisDecimalPattern("#,##0.#");
        styler.setYAxisMin(0.0);
        styler.setChartBackgroundColor(Color.WHITE);
        List<Color> colours = new ArrayList<>();
        // Overlapped series with a gap where a bar is not theirs draw as one row of bars, coloured by kind.
        addSeries(
                chart,
                colours,
                "retry (ours)",
                OURS,
                results,
                labels,
                value,
                r -> group.ours().contains(r.variant()));
        addSeries(chart, colours, "other libraries", RIVALS, results, labels, value, r -> group.isRival(r.variant()));
        addSeries(
                chart,
                colours,
                "floors (no library)",
                FLOORS,
                results,
                labels,
                value,
                r -> group.floors().contains(r.variant()));
        styler.setSeriesColors(colours.toArray(new Color[0]));
        return chart;
    }

    private static void addSeries(
            CategoryChart chart,
            List<Color> colours,
            String name,
            Color colour,
            List<Result> results,
            List<String> labels,
            ToDoubleFunction<Result> value,
            Predicate<Result> belongs) {
        List<Double> values = new ArrayList<>();
        boolean any = false;
        for (Result result : results) {
            boolean mine = belongs.test(result) && Double.isFinite(value.applyAsDouble(result));
            any |= mine;
            values.add(mine ? value.applyAsDouble(result) : null);
        }
        if (any) {
            // No error bars: XChart cannot draw them beside the gaps; the tables give every error.
            chart.addSeries(name, labels, values);
            colours.add(colour);
        }
    }
}
