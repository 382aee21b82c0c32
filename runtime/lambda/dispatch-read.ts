import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ArtifactStore } from '../adapters/artifact-store';
import { DispatchRepository } from '../adapters/dispatch-repository';
import { RunLogs } from '../adapters/run-logs';
import { S3Bucket } from '../adapters/s3-bucket';
import { loadConfig } from '../core/config';
import type { ReadDeps } from '../services/read-dispatch';

let deps: ReadDeps | undefined;

/** The read routes' table, bucket and log groups (runtime/handlers/dispatch-read), created once per execution environment. */
export function readDeps(): ReadDeps {
  deps ??= createDeps();
  return deps;
}

function createDeps(): ReadDeps {
  const config = loadConfig();
  const logs = new CloudWatchLogsClient({});
  return {
    dispatches: new DispatchRepository(DynamoDBDocumentClient.from(new DynamoDBClient({})), config.tables.dispatches, config.tables.indexes),
    artifacts: new ArtifactStore(new S3Bucket(config.artifactsBucket, config.artifactsBucketUrl)),
    runLogs: (agent) => new RunLogs(logs, config.agents[agent].logGroupName),
  };
}
