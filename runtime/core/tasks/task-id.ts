/**
 * The task id of an ECS task ARN (`arn:aws:ecs:<region>:<account>:task/<cluster>/<id>`): how the pool table keys
 * its workers and the log streams name their tasks.
 */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
