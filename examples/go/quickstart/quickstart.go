// The smallest Outpost deployment, in Go: one stack holding the whole platform with its defaults.
//
//	npx cdk synth        # or: npx cdk deploy (cdk.json runs `go run quickstart.go`)
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"
	"github.com/outpost-cdk/outpost-cdk-go/outpostcdk"
)

func main() {
	defer jsii.Close()

	app := awscdk.NewApp(nil)

	// No `Env`: the stack is environment-agnostic, so it synthesizes without AWS credentials and deploys to
	// whichever account and Region the CLI is pointed at.
	stack := awscdk.NewStack(app, jsii.String("OutpostQuickstart"), &awscdk.StackProps{
		Description: jsii.String("Outpost: isolated, single-use Fargate tasks for AI coding agents (quickstart)"),
	})

	outpostcdk.NewOutpostPlatform(stack, jsii.String("Outpost"), nil)

	app.Synth(nil)
}
