package dev.orchestra.jenkins

/**
 * A node's {@code approval} as a Jenkins {@code input} in its stage, asked before the node takes a
 * concurrency slot or an executor. Approve proceeds with the approver's id and comment; Abort
 * rejects the node, which fails it alone.
 */
final class Approvals implements Serializable {

    private static final long serialVersionUID = 1L

    private final Object steps
    private final Messages messages
    private final String run

    Approvals(Object steps, Messages messages, String run) {
        this.steps = steps
        this.messages = messages
        this.run = run
    }

    /** Asks; returns {@code [approved: true|false, by: USER or null, comment: TEXT]}. */
    Map ask(Map node) {
        Map approval = node.approval
        Map args = [id: inputId(run, node.id), message: approval.message, ok: messages.format('approval.ok'),
                    submitterParameter: 'approver',
                    parameters: [steps.text(name: 'comment', defaultValue: '',
                                            description: messages.format('approval.comment'))]]
        if (approval.approvers) {
            args.submitter = approval.approvers.join(',')
        }
        try {
            Object answer = steps.input(args)
            Map values = answer instanceof Map ? (Map) answer : [approver: answer]
            return [approved: true, by: values.approver, comment: values.comment ?: '']
        } catch (err) {
            return [approved: false, by: interruptedBy(err), comment: '']
        }
    }

    /** An input id that is unique per run and node, as the input step wants. */
    @NonCPS
    static String inputId(String run, String node) {
        return ('Orchestra-' + node + '-' + run).replaceAll(/[^A-Za-z0-9_-]/, '_')
    }

    /**
     * The id of the user whose Abort interrupted an {@code input}, when the interruption names one
     * (its causes carry a user); else null.
     */
    @NonCPS
    static String interruptedBy(Throwable err) {
        if (!err.metaClass.respondsTo(err, 'getCauses')) {
            return null
        }
        for (Object cause : err.getCauses()) {
            if (cause.metaClass.respondsTo(cause, 'getUser')) {
                Object user = cause.getUser()
                if (user != null) {
                    return user.metaClass.respondsTo(user, 'getId') ? user.getId() : user.toString()
                }
            }
        }
        return null
    }

}
