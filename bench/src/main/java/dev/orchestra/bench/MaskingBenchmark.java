package dev.orchestra.bench;

import dev.orchestra.secret.SecretMasker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * How fast the run's {@link SecretMasker} masks output: {@code secrets} credentials (each in all
 * its forms), over 1 MiB of agent-like output (log lines, JSON event lines, hex and base64), a few
 * of whose lines hold a secret in some form. One operation masks the whole MiB, so the score in
 * ops/s is MiB/s: as one text ({@code text}, how outputs and check results are masked), line by
 * line through {@link SecretMasker#lines()} ({@code lines}, how a process's output streams are),
 * and as bytes ({@code bytes}, how files are).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MaskingBenchmark {
  /** The size of the masked output. */
  static final int SIZE = 1 << 20;

  @Param("20")
  public int secrets;

  private SecretMasker masker;
  private String text;
  private byte[] bytes;
  private List<String> lines;

  @Setup(Level.Trial)
  public void prepare() {
    Random random = new Random(7);
    masker = new SecretMasker();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < secrets; i++) {
      String value = "sk-" + token(random, 40);
      values.add(value);
      masker.add(value);
    }
    lines = output(random, values);
    text = String.join("\n", lines);
    bytes = text.getBytes(StandardCharsets.UTF_8);
    if (!masker.mask(text).contains(SecretMasker.MASK)) {
      throw new IllegalStateException("the generated output holds no secret to mask");
    }
  }

  @Benchmark
  public String text() {
    return masker.mask(text);
  }

  @Benchmark
  public void lines(Blackhole out) {
    SecretMasker.Lines stream = masker.lines();
    for (String line : lines) {
      out.consume(stream.accept(line));
    }
    out.consume(stream.flush());
  }

  @Benchmark
  public byte[] bytes() {
    return masker.mask(bytes);
  }

  /** About {@link #SIZE} characters of output lines; one line in 500 holds a secret. */
  static List<String> output(Random random, List<String> secrets) {
    List<String> out = new ArrayList<>();
    int size = 0;
    while (size < SIZE) {
      String line =
          switch (random.nextInt(5)) {
            case 0 -> "[INFO] Compiling " + random.nextInt(400) + " source files to target/classes";
            case 1 ->
                "{\"type\":\"tool_result\",\"content\":\"ok: "
                    + token(random, 30)
                    + " \\\"done\\\"\\n\",\"is_error\":false}";
            case 2 -> "commit " + hex(random, 20) + " Author: Dev <dev@example.com>";
            case 3 ->
                Base64.getEncoder()
                    .encodeToString(token(random, 57).getBytes(StandardCharsets.UTF_8));
            default -> "    at org.example.Service.call(Service.java:" + random.nextInt(900) + ")";
          };
      if (random.nextInt(500) == 0) {
        String secret = secrets.get(random.nextInt(secrets.size()));
        line +=
            random.nextBoolean()
                ? " token=" + secret
                : " " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
      }
      out.add(line);
      size += line.length() + 1;
    }
    return out;
  }

  private static String token(Random random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  private static String hex(Random random, int bytes) {
    StringBuilder out = new StringBuilder(2 * bytes);
    for (int i = 0; i < bytes; i++) {
      out.append(String.format("%02x", random.nextInt(256)));
    }
    return out.toString();
  }
}
