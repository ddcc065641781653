import dev.orchestra.cli.Orchestra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

/**
 * Times `orchestra report ARGS...` inside one JVM, without the JVM's start: the first call (cold:
 * classes loaded, code interpreted) and the median of the next R calls (warm). Run by
 * bench/report-bench.sh with the orchestra jar on the class path:
 *
 *   java -cp orchestra.jar bench/ReportTime.java R report RUN --runs-dir DIR --html DIR ...
 */
public final class ReportTime {
  public static void main(String[] args) {
    int repeat = Integer.parseInt(args[0]);
    String[] command = Arrays.copyOfRange(args, 1, args.length);
    double cold = once(command);
    double[] warm = new double[repeat];
    for (int i = 0; i < repeat; i++) {
      warm[i] = once(command);
    }
    Arrays.sort(warm);
    System.out.printf("in one JVM: first %.0f ms, then median %.1f ms of %d%n", cold, warm[repeat / 2], repeat);
  }

  private static double once(String[] command) {
    StringWriter sink = new StringWriter();
    var cli = Orchestra.commandLine();
    cli.setOut(new PrintWriter(sink));
    cli.setErr(new PrintWriter(sink));
    long start = System.nanoTime();
    int code = cli.execute(command);
    double ms = (System.nanoTime() - start) / 1e6;
    if (code != 0) {
      throw new IllegalStateException("exit " + code + ": " + sink);
    }
    return ms;
  }
}
