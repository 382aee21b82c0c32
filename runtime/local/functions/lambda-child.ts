/**
 * What runs in a function's child process: Lambda's Node.js runtime reduced to what the handlers use. It loads
 * the handler once (a cold start, reading its environment then, as on Lambda), then answers each invocation the
 * parent sends over IPC with the handler's result or error. Kept as source text so that the same child runs from
 * the TypeScript sources and from the bundled CLI, with nothing to build; it is plain JavaScript on purpose.
 */
export const LAMBDA_CHILD_SOURCE = String.raw`
const path = require('path');
const [file, exportName] = process.argv.slice(1);
let handler;
try {
  handler = require(path.resolve(file))[exportName];
  if (typeof handler !== 'function') {
    throw new Error(file + ' exports no function ' + exportName);
  }
} catch (error) {
  process.send({ type: 'init-error', errorType: error.name, errorMessage: error.message });
  process.exit(1);
}
process.on('message', async (message) => {
  const deadline = Date.now() + message.timeoutMs;
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: message.functionArn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: message.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: true,
  };
  try {
    const result = await handler(message.event, context);
    process.send({ type: 'result', requestId: message.requestId, result: result === undefined ? null : result });
  } catch (error) {
    process.send({ type: 'error', requestId: message.requestId, errorType: (error && error.name) || 'Error', errorMessage: String((error && error.message) || error) });
  }
});
process.send({ type: 'ready' });
`;
