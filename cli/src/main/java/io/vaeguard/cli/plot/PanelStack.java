package io.vaeguard.cli.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * Stacks charts one above the other in one image so that their plot areas line up, which is what
 * makes a row in one panel the same row in the next.
 *
 * <p>XChart sizes each y-axis to its own tick labels and does not say where the plot area ends up,
 * so the stack finds each plot's left border in the rendered image, then renders the panels that
 * start further left again, narrower by the difference, and draws them shifted right by it.
 */
final class PanelStack {

  private final int width;
  private final List<IntFunction<XYChart>> panels = new ArrayList<>();
  private final List<Integer> heights = new ArrayList<>();

  PanelStack(int width) {
    this.width = width;
  }

  /** Adds a panel; {@code chartOfWidth} builds it at the width it is given. */
  PanelStack add(int height, IntFunction<XYChart> chartOfWidth) {
    panels.add(chartOfWidth);
    heights.add(height);
    return this;
  }

  BufferedImage render() {
    List<BufferedImage> first = new ArrayList<>();
    int maxLeft = 0;
    for (IntFunction<XYChart> p : panels) {
      BufferedImage img = BitmapEncoder.getBufferedImage(p.apply(width));
      first.add(img);
      maxLeft = Math.max(maxLeft, plotLeft(img));
    }
    int total = heights.stream().mapToInt(Integer::intValue).sum();
    BufferedImage out = new BufferedImage(width, total, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, total);
      int y = 0;
      for (int i = 0; i < panels.size(); i++) {
        BufferedImage img = first.get(i);
        int shift = maxLeft - plotLeft(img);
        if (shift > 0) {
          img = BitmapEncoder.getBufferedImage(panels.get(i).apply(width - shift));
        }
        g.drawImage(img, shift, y, null);
        y += heights.get(i);
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /**
   * The leftmost column that is dark grey over most of the middle of the image: the plot border
   * ({@link PlotStyle#BORDER}). Text and series lines are never that tall and straight; 0 if none.
   */
  static int plotLeft(BufferedImage img) {
    int from = img.getHeight() * 3 / 10;
    int to = img.getHeight() * 7 / 10;
    for (int x = 0; x < img.getWidth() / 2; x++) {
      int hits = 0;
      for (int y = from; y < to; y++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255;
        int gr = (rgb >> 8) & 255;
        int b = rgb & 255;
        if (r == gr && gr == b && r < 200) {
          hits++;
        }
      }
      if (hits > 0.9 * (to - from)) {
        return x;
      }
    }
    return 0;
  }
}
