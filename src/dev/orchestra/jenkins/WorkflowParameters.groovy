package dev.orchestra.jenkins

/**
 * Jenkins build parameters from a workflow's declared inputs, for
 * {@code properties([parameters(orchestra.parameters('.orchestra/x.yaml'))])}: one string
 * parameter per input, with its default and description; a required input says so in its
 * description (Jenkins has no required string parameter; a blank value reaches the workflow as
 * not given, and {@code orchestra plan} then names it).
 */
final class WorkflowParameters implements Serializable {

    private static final long serialVersionUID = 1L

    private final Object steps
    private final StepOptions options

    WorkflowParameters(Object steps, Map args) {
        this.steps = steps
        this.options = StepOptions.forCommands(args)
    }

    /** The parameter definitions of {@code workflow}, from {@code orchestra plan --dry-run}. */
    List definitions(String workflow) {
        Messages messages = Messages.load(steps)
        Plan plan = new Cli(steps, options).dryRun(workflow, messages)
        List definitions = []
        List<Map> inputs = plan.inputDeclarations
        for (int i = 0; i < inputs.size(); i++) {
            Map input = inputs[i]
            definitions << steps.string(name: input.name, defaultValue: input.default ?: '',
                description: describe(input), trim: true)
        }
        return definitions
    }

    @NonCPS
    private static String describe(Map input) {
        String text = input.description ?: ''
        return input.required ? ('Required. ' + text).trim() : text
    }

}
