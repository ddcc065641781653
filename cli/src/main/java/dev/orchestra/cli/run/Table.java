package dev.orchestra.cli.run;

import java.io.PrintWriter;
import java.util.List;

/** Prints rows as left-aligned columns two spaces apart, trailing spaces trimmed. */
public final class Table {
  private Table() {}

  /** Prints {@code rows}; the first is usually the header. */
  public static void print(List<List<String>> rows, PrintWriter out) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (List<String> row : rows) {
      line.setLength(0);
      for (int i = 0; i < row.size(); i++) {
        line.append(i + 1 < row.size() ? Formats.pad(row.get(i), width[i] + 2) : row.get(i));
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
