package dev.orchestra.jenkins

import groovy.json.JsonSlurperClassic

/**
 * The plan {@code orchestra plan --json} printed (format {@code orchestra.plan/v1}, docs/pipeline-plan.md),
 * read as plain maps and lists. The library takes every decision about the workflow from here and
 * validates nothing of it itself: the CLI did, and its schema is the contract.
 */
final class Plan implements Serializable {

    private static final long serialVersionUID = 1L

    /** The plan format this library understands. */
    static final String FORMAT = 'orchestra.plan/v1'

    private final Map document

    private Plan(Map document) {
        this.document = document
    }

    /**
     * Parses the plan; refuses text that is no JSON object and a format this library does not know.
     * JsonSlurperClassic gives serializable maps, which a Pipeline may keep across a restart.
     */
    @NonCPS
    static Plan parse(String json) {
        Object parsed
        try {
            parsed = new JsonSlurperClassic().parseText(json ?: '')
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException('orchestra: orchestra plan printed no JSON plan: ' + excerpt(json), e)
        } catch (groovy.json.JsonException e) {
            throw new IllegalStateException('orchestra: orchestra plan printed no JSON plan: ' + excerpt(json), e)
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalStateException('orchestra: orchestra plan printed no JSON plan: ' + excerpt(json))
        }
        Map map = (Map) parsed
        if (map.format != FORMAT) {
            throw new IllegalStateException("orchestra: the plan's format is '${map.format}', but this library " +
                "reads ${FORMAT}: use the library version that matches the Orchestra CLI in your image")
        }
        return new Plan(map)
    }

    @NonCPS
    private static String excerpt(String text) {
        String t = (text ?: '').trim()
        return t ? "'${t.length() > 200 ? t.substring(0, 200) + '...' : t}'" : '(nothing)'
    }

    @NonCPS
    String getRun() { document.run }

    @NonCPS
    String getRecords() { document.records }

    @NonCPS
    Map getStash() { document.stash }

    @NonCPS
    Map getWorkflow() { document.workflow }

    @NonCPS
    String getWorkflowName() { document.workflow?.name ?: document.workflow?.file }

    @NonCPS
    Map getLimits() { document.limits ?: [:] }

    /** The nodes in topological order. */
    @NonCPS
    List<Map> getNodes() { document.nodes ?: [] }

    @NonCPS
    Map node(String id) {
        Map found = nodes.find { it.id == id }
        if (found == null) {
            throw new IllegalArgumentException("no node '${id}' in the plan of run ${run}")
        }
        return found
    }

    /** The declared inputs, in file order. */
    @NonCPS
    List<Map> getInputDeclarations() { document.workflow?.inputs ?: [] }

    /** Every credential name some node needs, each with the ids of the nodes that need it. */
    @NonCPS
    Map<String, List<String>> credentialUsers() {
        Map<String, List<String>> users = [:]
        for (Map n : nodes) {
            for (Map c : (n.credentials ?: [])) {
                if (!users.containsKey(c.name)) {
                    users[c.name] = []
                }
                users[c.name] << n.id
            }
        }
        return users
    }

    @NonCPS
    int countWithStatus(String status) {
        return nodes.count { it.status == status } as int
    }

}
