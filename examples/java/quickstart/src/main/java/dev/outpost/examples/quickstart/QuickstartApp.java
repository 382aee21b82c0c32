package dev.outpost.examples.quickstart;

import dev.outpost.cdk.OutpostPlatform;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

/** The smallest Outpost deployment, in Java: one stack holding the whole platform with its defaults. */
public final class QuickstartApp {
    private QuickstartApp() {
    }

    public static void main(final String[] args) {
        App app = new App();

        // No `env`: the stack is environment-agnostic, so it synthesizes without AWS credentials and deploys to
        // whichever account and Region the CLI is pointed at.
        Stack stack = new Stack(app, "OutpostQuickstart", StackProps.builder()
                .description("Outpost: isolated, single-use Fargate tasks for AI coding agents (quickstart)")
                .build());

        new OutpostPlatform(stack, "Outpost");

        app.synth();
    }
}
