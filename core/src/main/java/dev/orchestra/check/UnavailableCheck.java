package dev.orchestra.check;

/** A check this build cannot perform: it always fails with {@code why}. */
final class UnavailableCheck implements Check {
  private final String name;
  private final String why;

  UnavailableCheck(String name, String why) {
    this.name = name;
    this.why = why;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public CheckResult run(CheckContext context) {
    return new CheckResult(name, false, why);
  }
}
