import { anthropicUsageReader } from '../../../runtime/worker/gateway/anthropic-usage';
import { geminiUsageReader } from '../../../runtime/worker/gateway/gemini-usage';
import { openAiUsageReader } from '../../../runtime/worker/gateway/openai-usage';
import { ResponseBody } from '../../../runtime/worker/gateway/response-body';
import type { UsageReaderFactory } from '../../../runtime/worker/gateway/usage-reader';

/** The usage a reader finds in `body`, sent as the provider sends it, in chunks cut at awkward places. */
function read(factory: UsageReaderFactory, contentType: string, body: string, requestedModel?: string, chunkSize = 7) {
  const reader = factory({ requestedModel });
  const parsed = new ResponseBody(contentType, reader);
  const bytes = Buffer.from(body);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    parsed.push(bytes.subarray(offset, offset + chunkSize));
  }
  parsed.end();
  return reader.usage();
}

const sse = (events: Array<[string | undefined, unknown]>) =>
  events.map(([event, data]) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`).join('');

describe('Anthropic Messages', () => {
  // docs.anthropic.com/en/api/messages, the response example (a 200 with the message object).
  test('a plain response: its model and usage, cache counts added to input', () => {
    const body = JSON.stringify({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'Hi! My name is Claude.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 2095, output_tokens: 503, cache_creation_input_tokens: 2051, cache_read_input_tokens: 2051 },
    });
    expect(read(anthropicUsageReader, 'application/json', body, 'claude-sonnet-4-5')).toEqual([
      { model: 'claude-sonnet-4-5-20250929', input: 2095 + 2051 + 2051, output: 503, cached: 2051, cacheWrite: 2051 },
    ]);
  });

  // docs.anthropic.com/en/docs/build-with-claude/streaming, "Basic streaming request": message_start carries the input
  // count and an early output count; message_delta the final, cumulative output count.
  test('a stream: message_start, then message_delta\'s cumulative figures win', () => {
    const body = sse([
      ['message_start', { type: 'message_start', message: { id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-6', stop_reason: null, stop_sequence: null, usage: { input_tokens: 25, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['ping', { type: 'ping' }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }],
      ['message_stop', { type: 'message_stop' }],
    ]);
    expect(read(anthropicUsageReader, 'text/event-stream; charset=utf-8', body)).toEqual([
      { model: 'claude-opus-4-6', input: 25, output: 15, cached: 0, cacheWrite: 0 },
    ]);
  });

  test('a stream cut after message_start still counts its input; an error body counts nothing', () => {
    const cut = sse([['message_start', { type: 'message_start', message: { model: 'claude-haiku-4-5', usage: { input_tokens: 310, cache_read_input_tokens: 9, output_tokens: 1 } } }]]);
    expect(read(anthropicUsageReader, 'text/event-stream', cut)).toEqual([{ model: 'claude-haiku-4-5', input: 319, output: 1, cached: 9, cacheWrite: 0 }]);
    // /en/api/errors: the error shape.
    const error = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } });
    expect(read(anthropicUsageReader, 'application/json', error)).toEqual([]);
  });
});

describe('OpenAI Responses and Chat Completions (and xAI, which follows them)', () => {
  // platform.openai.com/docs/api-reference/responses/object: the response object's example usage.
  test('a Responses object: input includes the cached tokens, output the reasoning ones', () => {
    const body = JSON.stringify({
      id: 'resp_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41',
      object: 'response',
      status: 'completed',
      model: 'gpt-4.1-2025-04-14',
      output: [],
      usage: {
        input_tokens: 328,
        input_tokens_details: { cached_tokens: 256 },
        output_tokens: 52,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 380,
      },
    });
    expect(read(openAiUsageReader, 'application/json', body)).toEqual([{ model: 'gpt-4.1-2025-04-14', input: 328, output: 52, cached: 256, cacheWrite: 0 }]);
  });

  // platform.openai.com/docs/api-reference/responses-streaming: response.created … response.completed (the whole response).
  test('a Responses stream: the usage of response.completed', () => {
    const response = { id: 'resp_123', object: 'response', model: 'gpt-5-2025-08-07', status: 'in_progress', output: [], usage: null };
    const body = sse([
      ['response.created', { type: 'response.created', sequence_number: 0, response }],
      ['response.output_text.delta', { type: 'response.output_text.delta', item_id: 'msg_123', output_index: 0, content_index: 0, delta: 'Hi', sequence_number: 1 }],
      ['response.completed', { type: 'response.completed', sequence_number: 2, response: { ...response, status: 'completed', usage: { input_tokens: 1204, input_tokens_details: { cached_tokens: 1024 }, output_tokens: 311, output_tokens_details: { reasoning_tokens: 192 }, total_tokens: 1515 } } }],
    ]);
    expect(read(openAiUsageReader, 'text/event-stream', body, 'gpt-5')).toEqual([{ model: 'gpt-5-2025-08-07', input: 1204, output: 311, cached: 1024, cacheWrite: 0 }]);
  });

  // platform.openai.com/docs/api-reference/chat/object and …/chat/streaming (the last chunk with stream_options.include_usage).
  test('Chat Completions, plain and streamed', () => {
    const plain = JSON.stringify({
      id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
      object: 'chat.completion',
      created: 1741570283,
      model: 'gpt-4o-2024-08-06',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The image shows…' }, finish_reason: 'stop' }],
      usage: {
        prompt_tokens: 1117,
        completion_tokens: 46,
        total_tokens: 1163,
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(read(openAiUsageReader, 'application/json', plain)).toEqual([{ model: 'gpt-4o-2024-08-06', input: 1117, output: 46, cached: 0, cacheWrite: 0 }]);
    const streamed = sse([
      [undefined, { id: 'chatcmpl-123', object: 'chat.completion.chunk', model: 'grok-code-fast-1', choices: [{ index: 0, delta: { content: 'Hello' } }], usage: null }],
      [undefined, { id: 'chatcmpl-123', object: 'chat.completion.chunk', model: 'grok-code-fast-1', choices: [], usage: { prompt_tokens: 812, completion_tokens: 33, total_tokens: 845, prompt_tokens_details: { cached_tokens: 640 } } }],
      [undefined, '[DONE]'],
    ]);
    expect(read(openAiUsageReader, 'text/event-stream', streamed)).toEqual([{ model: 'grok-code-fast-1', input: 812, output: 33, cached: 640, cacheWrite: 0 }]);
  });
});

describe('Gemini generateContent and streamGenerateContent', () => {
  // ai.google.dev/api/generate-content, GenerateContentResponse and UsageMetadata.
  const metadata = {
    promptTokenCount: 6127,
    cachedContentTokenCount: 4093,
    candidatesTokenCount: 87,
    thoughtsTokenCount: 211,
    toolUsePromptTokenCount: 59,
    totalTokenCount: 6484,
  };
  const expected = { model: 'gemini-2.5-pro', input: 6127 + 59, output: 87 + 211, cached: 4093, cacheWrite: 0 };

  test('a plain response: modelVersion, thoughts as output, tool-use prompt as input', () => {
    const body = JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: metadata, modelVersion: 'gemini-2.5-pro', responseId: 'abc' });
    expect(read(geminiUsageReader, 'application/json; charset=UTF-8', body, 'gemini-pro-latest')).toEqual([expected]);
  });

  test('alt=sse: the last chunk\'s complete usageMetadata', () => {
    const body = sse([
      [undefined, { candidates: [{ content: { role: 'model', parts: [{ text: 'H' }] } }], usageMetadata: { promptTokenCount: 6127, totalTokenCount: 6127 }, modelVersion: 'gemini-2.5-pro' }],
      [undefined, { candidates: [{ content: { role: 'model', parts: [{ text: 'i' }] }, finishReason: 'STOP' }], usageMetadata: metadata, modelVersion: 'gemini-2.5-pro' }],
    ]).replace(/\n/g, '\r\n');
    expect(read(geminiUsageReader, 'text/event-stream', body)).toEqual([expected]);
  });

  test('a stream without alt=sse is one JSON array; the model from the path when none is named', () => {
    const body = JSON.stringify([{ candidates: [], usageMetadata: { promptTokenCount: 1 } }, { candidates: [], usageMetadata: metadata }]);
    expect(read(geminiUsageReader, 'application/json', body, 'gemini-2.5-pro')).toEqual([expected]);
  });
});
