#!/usr/bin/env python3
"""The smallest Outpost deployment, in Python: one stack holding the whole platform with its defaults.

    python3 -m venv .venv && . .venv/bin/activate
    pip install -r requirements.txt outpost-cdk
    npx cdk synth        # or: npx cdk deploy
"""
import aws_cdk as cdk

from outpost_cdk import OutpostPlatform

app = cdk.App()

# No `env`: the stack is environment-agnostic, so it synthesizes without AWS credentials and deploys to
# whichever account and Region the CLI is pointed at.
stack = cdk.Stack(
    app,
    "OutpostQuickstart",
    description="Outpost: isolated, single-use Fargate tasks for AI coding agents (quickstart)",
)

OutpostPlatform(stack, "Outpost")

app.synth()
