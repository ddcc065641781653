package dev.orchestra.jenkins

import com.lesfurets.jenkins.unit.cps.PipelineTestHelperCPS

import java.util.concurrent.atomic.AtomicLong

/**
 * JenkinsPipelineUnit's CPS helper, checking that the program's state survives serialization at
 * every step boundary, where Pipeline itself saves it, instead of after every expression: the same
 * failures for what Jenkins would refuse, at a fraction of the time (a five-node run takes some
 * 5,000 expression steps, each a full round trip of the program's state).
 */
final class StepBoundaryCps extends PipelineTestHelperCPS {

    private final AtomicLong steps = new AtomicLong()
    private final ThreadLocal<Long> checked = new ThreadLocal<Long>()

    /** Called for every step the pipeline starts. */
    void stepStarted() {
        steps.incrementAndGet()
    }

    @Override
    def <T> T roundtripSerialization(T object) {
        long now = steps.get()
        if (checked.get() == now) {
            return object
        }
        checked.set(now)
        return super.roundtripSerialization(object)
    }

}
