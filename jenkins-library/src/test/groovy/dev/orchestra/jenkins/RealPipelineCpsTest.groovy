package dev.orchestra.jenkins

/** {@link RealPipelineTests} with the library CPS-transformed, as Jenkins runs it. */
class RealPipelineCpsTest extends RealPipelineTests {
    @Override
    boolean cps() { true }
}
