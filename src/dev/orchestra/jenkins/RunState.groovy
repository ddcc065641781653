package dev.orchestra.jenkins

/**
 * What the controller knows of one run while its parallel block runs: each node's status, why a
 * node is blocked, the concurrency slots, the usage spent, and which nodes' records were stashed.
 * It applies the three rules of docs/pipeline-plan.md ("The pipeline's rules") and nothing else.
 *
 * <p>Not thread-safe, and needs not be: every method is @NonCPS, and Pipeline runs all branches of
 * a parallel block on one thread, switching only between steps, so a check-and-take such as
 * {@link #tryAcquire} is never interleaved.
 */
final class RunState implements Serializable {

    private static final long serialVersionUID = 1L

    /** The statuses that end a node (SPEC §4). */
    static final List<String> FINISHED =
        ['succeeded', 'failed', 'error', 'timed_out', 'budget_exceeded', 'skipped', 'cancelled'].asImmutable()

    private final Map<String, Map> nodes = [:]
    private final Map<String, List<String>> dependants = [:]
    private final Map<String, String> statuses = [:]
    private final Map<String, String> blockedBy = [:]
    private final Map<String, String> reasons = [:]
    private final List<String> stashedNodes = []
    private final Integer concurrency
    private final Map<String, Integer> agentCaps
    private final Map<String, Integer> runningPerAgent = [:]
    private int running
    private BigDecimal spentUsd = BigDecimal.ZERO
    private long spentTokens

    /**
     * @param concurrency nodes running at once, or null for no limit of the library's own
     */
    RunState(Plan plan, Integer concurrency) {
        this.concurrency = concurrency
        this.agentCaps = new LinkedHashMap<String, Integer>(plan.limits.agents ?: [:])
        index(plan)
    }

    @NonCPS
    private void index(Plan plan) {
        for (Map n : plan.nodes) {
            nodes[n.id] = n
            statuses[n.id] = 'pending'
            dependants[n.id] = []
        }
        for (Map n : plan.nodes) {
            for (String need : n.needs) {
                dependants[need] << n.id
            }
        }
    }

    /** Whether every need of {@code id} has finished (then it runs or is skipped). */
    @NonCPS
    boolean needsFinished(String id) {
        return nodes[id].needs.every { FINISHED.contains(statuses[it]) }
    }

    /**
     * Why {@code id} must be skipped, e.g. {@code upstream node 'spec' failed}, or null when all of
     * its needs passed (rule 1). Only meaningful once {@link #needsFinished} holds.
     */
    @NonCPS
    String blocker(String id) {
        String cause = blockedBy[id]
        return cause == null ? null : "upstream node '${cause}' ${statuses[cause]}".toString()
    }

    /**
     * Takes a global slot and one of the node's agent when both are free (rule 2). A composed node
     * (no agent) takes only a global slot.
     */
    @NonCPS
    boolean tryAcquire(String id) {
        String agent = nodes[id].agent
        if (concurrency != null && running >= concurrency) {
            return false
        }
        Integer cap = agent == null ? null : agentCaps[agent]
        if (cap != null && (runningPerAgent[agent] ?: 0) >= cap) {
            return false
        }
        running++
        if (agent != null) {
            runningPerAgent[agent] = (runningPerAgent[agent] ?: 0) + 1
        }
        return true
    }

    /** Gives back the slots {@link #tryAcquire} took for {@code id}. */
    @NonCPS
    void release(String id) {
        String agent = nodes[id].agent
        running--
        if (agent != null) {
            runningPerAgent[agent] = runningPerAgent[agent] - 1
        }
    }

    /**
     * Records how {@code id} ended, adds its usage to the run's (rule 3) and blocks its dependants
     * when it did not pass (rule 1): a node passes when it succeeded or continues on failure; the
     * cause named is the node itself, or for a skipped node the upstream that skipped it.
     */
    @NonCPS
    void finish(String id, String status, String reason, Map usage) {
        if (!FINISHED.contains(status)) {
            throw new IllegalArgumentException("'${status}' does not end a node; one of ${FINISHED}")
        }
        statuses[id] = status
        reasons[id] = reason
        if (usage != null) {
            spentUsd += new BigDecimal((usage.cost_usd ?: 0).toString())
            spentTokens += ((usage.input_tokens ?: 0) as long) + ((usage.output_tokens ?: 0) as long)
        }
        boolean passes = status == 'succeeded' || nodes[id].continue_on_failure == true
        if (!passes) {
            String cause = status == 'skipped' && blockedBy[id] != null ? blockedBy[id] : id
            for (String d : dependants[id]) {
                if (blockedBy[d] == null) {
                    blockedBy[d] = cause
                }
            }
        }
    }

    @NonCPS
    String status(String id) {
        return statuses[id]
    }

    @NonCPS
    String reason(String id) {
        return reasons[id]
    }

    /** The arguments that tell node exec what the run's finished nodes spent (rule 3). */
    @NonCPS
    List<String> spentArgs() {
        return ['--spent-usd', spentUsd.toPlainString(), '--spent-tokens', Long.toString(spentTokens)]
    }

    @NonCPS
    void stashed(String id) {
        if (!stashedNodes.contains(id)) {
            stashedNodes << id
        }
    }

    @NonCPS
    boolean isStashed(String id) {
        return stashedNodes.contains(id)
    }

    @NonCPS
    List<String> stashedIds() {
        return new ArrayList<String>(stashedNodes)
    }

}
