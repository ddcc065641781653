package dev.orchestra.cli;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code orchestra} command: the entry point of the runnable jar and the parent of every
 * subcommand.
 *
 * <p>Each subcommand is its own class in this package; add one by listing it in {@link
 * #SUBCOMMANDS}. Subcommands return an {@link ExitCode} and print problems with {@link
 * ProblemReport}; anything they throw reaches {@link ErrorReporter}, which prints a one-line error
 * instead of a stack trace.
 */
@Command(
    name = "orchestra",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Runs workflows of AI coding agents as directed acyclic graphs.",
    exitCodeOnInvalidInput = ExitCode.INVALID,
    exitCodeOnExecutionException = ExitCode.FAILED,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (valid files, succeeded run)",
      "1:failure (a failed run, an internal error)",
      "2:invalid input (bad workflow, missing file, bad usage)",
      "130:interrupted"
    })
public final class Orchestra implements Callable<Integer> {
  /**
   * The slf4j-simple property that sets the log level; read once, when the first logger is made.
   */
  static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  @Spec CommandSpec spec;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Log debug diagnostics to stderr and show stack traces of errors.")
  boolean debug;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Log progress (info level) to stderr.")
  boolean verbose;

  /** The subcommands, in the order the usage lists them. */
  static final List<Class<?>> SUBCOMMANDS =
      List.of(
          ValidateCommand.class,
          GraphCommand.class,
          CompletionCommand.class,
          RunCommand.class,
          ResumeCommand.class,
          ApproveCommand.class,
          RejectCommand.class,
          PlanCommand.class,
          NodeCommand.class,
          RunsCommand.class,
          ReportCommand.class,
          CredentialsCommand.class,
          ServeCommand.class,
          TokensCommand.class);

  /** The options of this command itself that may come before the subcommand's name. */
  private static final Set<String> LEADING_OPTIONS = Set.of("--debug", "-v", "--verbose");

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(CommandLine.defaultFactory(), args).execute(args));
  }

  /**
   * A ready-to-execute command line with every subcommand: error handlers installed, enums
   * case-insensitive. Each call answers a fresh instance, so tests can run commands in-process with
   * their own {@code setOut}/{@code setErr} writers.
   */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** A command line whose commands are made by {@code factory} (tests inject environments). */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return commandLine(factory, SUBCOMMANDS);
  }

  /**
   * A command line to execute {@code args} with: when they name a subcommand after nothing but
   * {@link #LEADING_OPTIONS}, with that subcommand alone, else (no subcommand, help, a misspelt
   * name, {@code completion}, which describes them all) with every one. Picocli reads the options
   * and parameters of each command it is given by reflection when the command line is built: for
   * the whole tree that was about a tenth of a second of CPU at every start (docs/benchmarks.md),
   * more than the subcommand that then runs needs in many cases ({@code node exec}, {@code
   * validate}).
   */
  static CommandLine commandLine(CommandLine.IFactory factory, String[] args) {
    for (String arg : args) {
      if (LEADING_OPTIONS.contains(arg)) {
        continue;
      }
      for (Class<?> command : SUBCOMMANDS) {
        Command annotation = command.getAnnotation(Command.class);
        if (command != CompletionCommand.class
            && (annotation.name().equals(arg) || List.of(annotation.aliases()).contains(arg))) {
          return commandLine(factory, List.of(command));
        }
      }
      break;
    }
    return commandLine(factory);
  }

  private static CommandLine commandLine(CommandLine.IFactory factory, List<Class<?>> commands) {
    ErrorReporter reporter = new ErrorReporter();
    CommandLine root = new CommandLine(new Orchestra(), factory);
    // Before the settings below, which reach the subcommands there are when they are made.
    commands.forEach(root::addSubcommand);
    return root.setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionStrategy(Orchestra::execute)
        .setExecutionExceptionHandler(reporter)
        .setParameterExceptionHandler(reporter);
  }

  /** {@code orchestra} without a subcommand is a usage error: show what there is to run. */
  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    cmd.getErr().println("orchestra: error: missing a command");
    cmd.usage(cmd.getErr());
    return ExitCode.INVALID;
  }

  private static int execute(ParseResult parseResult) {
    // The level must be set before the first logger exists; commands create loggers lazily.
    if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      if (matched(parseResult, "--debug")) {
        System.setProperty(LOG_LEVEL_PROPERTY, "debug");
      } else if (matched(parseResult, "--verbose")) {
        System.setProperty(LOG_LEVEL_PROPERTY, "info");
      }
    }
    return new RunLast().execute(parseResult);
  }

  /** Whether {@code option} was given at any level: {@code orchestra --debug validate} or after. */
  static boolean matched(ParseResult parseResult, String option) {
    for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption(option)) {
        return true;
      }
    }
    return false;
  }
}
