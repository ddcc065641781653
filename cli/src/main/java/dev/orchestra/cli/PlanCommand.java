package dev.orchestra.cli;

import dev.orchestra.OrchestraException;
import dev.orchestra.cli.pipeline.PlanJson;
import dev.orchestra.engine.Plan;
import dev.orchestra.engine.PlannedRuns;
import dev.orchestra.runtime.OrchestraRuntime;
import dev.orchestra.store.RunInfo;
import dev.orchestra.store.file.FileRunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code orchestra plan FILE [-i NAME=VALUE]... --json [--dry-run] [--resume RUN]}: validates the
 * workflow and creates a run without starting it, for a CI pipeline that runs one node per stage
 * with {@code orchestra node exec} (docs/pipeline-plan.md); prints the {@code orchestra.plan/v1}
 * document on stdout. Exit 0, or 2 for an invalid workflow, a missing input or an unknown run.
 */
@Command(
    name = "plan",
    description = {
      "Create a run for a CI pipeline without starting it, and print its plan as JSON.",
      "Each node then runs in a stage of its own with 'orchestra node exec'; 'orchestra runs"
          + " finish' ends the run. See docs/pipeline-plan.md."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:planned (the plan is on stdout)",
      "2:invalid workflow or inputs, unknown run, or bad usage"
    })
final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "FILE",
      description = "The workflow file (YAML or JSON); not with --resume.")
  Path file;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=VALUE",
      description = "A value for one of the workflow's inputs; repeat for more.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(names = "--json", description = "Print the plan as JSON (orchestra.plan/v1); required.")
  boolean json;

  @Option(
      names = "--dry-run",
      description =
          "Validate and print the plan without creating a run (a missing required input is no"
              + " error here): for build-parameter forms.")
  boolean dryRun;

  @Option(
      names = "--resume",
      paramLabel = "RUN",
      description =
          "Plan the recorded run RUN again: the nodes that succeeded are marked and not run again.")
  String resume;

  @Mixin RunsDirOption runs;

  @Mixin TrustOption trust;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String usage = usageProblem();
    if (usage != null) {
      return Pipelines.refuse(err, usage);
    }
    FileRunStore store = runs.store();
    try (OrchestraRuntime runtime = Pipelines.runtime(store, false)) {
      PlannedRuns planned = runtime.engine().planned(trust.trust());
      Plan plan;
      String shownFile;
      if (resume != null) {
        RunInfo info = RunLookup.info(store, resume);
        plan = planned.replan(resume);
        shownFile = info.workflowFile() != null ? info.workflowFile() : "workflow.yaml";
      } else {
        WorkflowFiles.Checked checked =
            WorkflowFiles.check(file, dryRun ? null : inputs, trust.trust());
        if (!checked.ok()) {
          ProblemReport.print(checked.problems(), err);
          err.println(ProblemReport.summary(1, checked.problems().size()));
          err.flush();
          return ExitCode.INVALID;
        }
        plan =
            dryRun
                ? planned.describe(checked.workflow(), inputs)
                : planned.plan(checked.workflow(), inputs, Files.readString(file));
        shownFile = file.toString();
      }
      out.println(PlanJson.of(plan, Pipelines.shown(store.directory()), shownFile));
      out.flush();
      return ExitCode.OK;
    } catch (OrchestraException e) {
      return Pipelines.refuse(err, e.getMessage());
    } catch (IOException e) {
      return Pipelines.refuse(
          err, "cannot read " + file + ": " + e.getMessage() + "; check the path");
    }
  }

  /** What is wrong with the command line, or {@code null}. */
  private String usageProblem() {
    if (!json) {
      return "orchestra plan prints its plan as JSON only for now; add --json";
    }
    if (resume != null && (file != null || dryRun || !inputs.isEmpty())) {
      return "--resume RUN plans the recorded run with its recorded workflow and inputs; give it"
          + " without FILE, -i or --dry-run";
    }
    if (resume == null && file == null) {
      return "name the workflow file: orchestra plan FILE --json (or --resume RUN for a recorded"
          + " run)";
    }
    return null;
  }
}
