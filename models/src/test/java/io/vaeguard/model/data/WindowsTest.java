package io.vaeguard.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowsTest {

  private static final double[][] ROWS = {{1, 10}, {2, 20}, {3, 30}, {4, 40}};

  @Test
  void windowsAreCausalAndOldestFirst() {
    double[][] w = Windows.of(ROWS, 3);

    assertThat(w).isDeepEqualTo(new double[][] {{1, 10, 2, 20, 3, 30}, {2, 20, 3, 30, 4, 40}});
    assertThat(Windows.count(ROWS.length, 3)).isEqualTo(2);
    assertThat(Windows.rowOf(0, 3)).isEqualTo(2);
    assertThat(Windows.rowOf(1, 3)).isEqualTo(3);
    // the window's last F values are its own row
    assertThat(new double[] {w[1][4], w[1][5]}).containsExactly(ROWS[Windows.rowOf(1, 3)]);
  }

  @Test
  void lengthOneIsTheIdentityAndCopies() {
    double[][] w = Windows.of(ROWS, 1);

    assertThat(w).isDeepEqualTo(ROWS);
    assertThat(w[0]).isNotSameAs(ROWS[0]);
    assertThat(Windows.rowOf(2, 1)).isEqualTo(2);
    assertThat(Windows.names(List.of("a", "b"), 1)).containsExactly("a", "b");
  }

  @Test
  void namesFollowTheFlattenedOrder() {
    assertThat(Windows.names(List.of("a", "b"), 3))
        .containsExactly("a@t-2", "b@t-2", "a@t-1", "b@t-1", "a@t", "b@t");
  }

  @Test
  void rejectsBadLengthsAndShortInput() {
    assertThatThrownBy(() -> Windows.of(ROWS, 0))
        .hasMessageContaining("window length must be at least 1, got 0");
    assertThatThrownBy(() -> Windows.of(ROWS, 5))
        .hasMessageContaining("need at least 5 rows, got 4");
    assertThatThrownBy(() -> Windows.of(new double[][] {{1, 2}, {3}}, 1))
        .hasMessageContaining("row 1 has 1 values");
    assertThat(Windows.count(3, 5)).isZero();
  }
}
