package dev.orchestra.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orchestra.workflow.parse.ParseResult;
import dev.orchestra.workflow.parse.WorkflowParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * How long one workflow with a single long value takes to parse: {@code after}, the parser as
 * Orchestra runs it; {@code before}, Jackson's YAML parser on SnakeYAML's own reader (what
 * Orchestra's parser read through until the reader was replaced, see {@code LinearYaml}), every
 * token read as the parser did. Prints {@code MODE MiB seconds}.
 *
 * <p>Usage: {@code LongValueParse before|after MIB}.
 */
public final class LongValueParse {
  private LongValueParse() {}

  /**
   * The workflow: one {@code command} node whose shell line is letters, {@code mib} MiB in all (so
   * that 16 MiB is within the file size limit).
   */
  static String workflow(int mib) {
    String head = "version: 1\nnodes:\n  a:\n    agent: command\n    command: \"";
    String end = "\"\n";
    int letters = (mib << 20) - head.length() - end.length();
    StringBuilder sb = new StringBuilder(mib << 20).append(head);
    for (int i = 0; i < letters; i++) {
      sb.append((char) ('a' + i % 26));
    }
    return sb.append(end).toString();
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2 || !(args[0].equals("before") || args[0].equals("after"))) {
      System.err.println("usage: LongValueParse before|after MIB");
      System.exit(2);
    }
    int mib = Integer.parseInt(args[1]);
    String text = workflow(mib);
    long t0 = System.nanoTime();
    if (args[0].equals("after")) {
      ParseResult r = WorkflowParser.create().parse(Path.of("long.yaml"), text);
      if (!r.problems().isEmpty()) {
        throw new IllegalStateException("unexpected problems: " + r.problems());
      }
    } else {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(Integer.MAX_VALUE);
      YAMLFactory yaml = YAMLFactory.builder().loaderOptions(options).build();
      try (JsonParser p = yaml.createParser(text)) {
        while (p.nextToken() != null) {
          p.getText();
        }
      }
    }
    System.out.printf(
        Locale.ROOT, "%s %d MiB %.2f s%n", args[0], mib, (System.nanoTime() - t0) / 1e9);
  }
}
