package dev.orchestra.jenkins

/** {@link RealPipelineTests} with the library as plain Groovy. */
class RealPipelinePlainTest extends RealPipelineTests {
    @Override
    boolean cps() { false }
}
