module github.com/outpost-cdk/outpost-cdk/examples/go/quickstart

go 1.25

require (
	github.com/aws/aws-cdk-go/awscdk/v2 v2.257.0
	github.com/aws/constructs-go/constructs/v10 v10.5.1
	github.com/aws/jsii-runtime-go v1.140.0
	github.com/outpost-cdk/outpost-cdk-go/outpostcdk v0.0.0
)

// In this repository, the module that `npx projen package:go` writes to dist/go/ (test/examples/go-example.test.ts
// synthesizes with it). Outside it, delete this line: `go get github.com/outpost-cdk/outpost-cdk-go/outpostcdk`.
replace github.com/outpost-cdk/outpost-cdk-go/outpostcdk => ../../../dist/go/outpostcdk
