import { startGeminiStandIn } from '../../runtime/local/kit/providers/gemini';
import { type ProviderStandIn } from '../../runtime/local/kit/providers/stand-in';

/** The stand-in's own contract, without the CLI: what the conformance runs rely on when they pass or fail. */

const API_KEY = 'AIzaSy-stand-in-key';
const EDIT = { file: 'notes.txt', content: 'hello\n' };
const CHAT = { contents: [{ role: 'user', parts: [{ text: 'write notes.txt' }] }], tools: [{ functionDeclarations: [{ name: 'write_file' }] }] };

let standIn: ProviderStandIn;
beforeEach(async () => {
  standIn = await startGeminiStandIn({ apiKey: API_KEY, edit: EDIT, servedModel: (model) => `${model}-002` });
});
afterEach(() => standIn.stop());

function post(path: string, body: unknown, key = API_KEY): Promise<Response> {
  return fetch(`${standIn.url}${path}`, { method: 'POST', headers: { 'x-goog-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The `data:` events of an SSE body, parsed. */
async function events(response: Response): Promise<any[]> {
  return (await response.text()).split('\r\n\r\n').filter((event) => event.startsWith('data: ')).map((event) => JSON.parse(event.slice('data: '.length)));
}

test('a wrong key is refused with 401 in Google\'s error shape, and no usage is reported', async () => {
  const response = await post('/v1beta/models/gemini-3.8-flash:generateContent', CHAT, 'AIzaSy-another-key');
  expect(response.status).toBe(401);
  expect(await response.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', message: 'API key not valid. Please pass a valid API key.' } });
  expect(standIn.reportedUsage()).toEqual([]);
});

test('the chat turn streams a write_file call, then the final text once the tool\'s result is back', async () => {
  const first = await events(await post('/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse', CHAT));
  expect(first.flatMap((chunk) => chunk.candidates[0].content.parts)).toContainEqual({
    functionCall: { name: 'write_file', args: { file_path: EDIT.file, content: EDIT.content } },
  });
  expect(first.map((chunk) => chunk.modelVersion)).toEqual(first.map(() => 'gemini-3.8-flash-002'));

  const answered = { ...CHAT, contents: [...CHAT.contents, { role: 'user', parts: [{ functionResponse: { name: 'write_file', response: { output: 'ok' } } }] }] };
  const second = await events(await post('/v1beta/models/gemini-3.8-flash:streamGenerateContent?alt=sse', answered));
  expect(second.at(-1).candidates[0]).toMatchObject({ finishReason: 'STOP', content: { parts: [{ text: `I wrote ${EDIT.file}.` }] } });

  // Summed per served model from each response's final usageMetadata: prompt + tool-use prompt, candidates + thoughts.
  const [one, two] = [first.at(-1).usageMetadata, second.at(-1).usageMetadata];
  expect(standIn.reportedUsage()).toEqual([{
    model: 'gemini-3.8-flash-002',
    input: one.promptTokenCount + one.toolUsePromptTokenCount + two.promptTokenCount + two.toolUsePromptTokenCount,
    output: one.candidatesTokenCount + one.thoughtsTokenCount + two.candidatesTokenCount + two.thoughtsTokenCount,
    cached: one.cachedContentTokenCount + two.cachedContentTokenCount,
    cacheWrite: 0,
  }]);
});

test('a request that declares no write_file is refused, naming what it declared', async () => {
  const response = await post('/v1beta/models/gemini-3.8-flash:generateContent', { ...CHAT, tools: [{ functionDeclarations: [{ name: 'edit' }] }] });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).error.message).toBe('stand-in: the request declares no write_file tool (it declares edit)');
});

test('a response schema (the model router) is answered with an object of that schema', async () => {
  const schema = { type: 'OBJECT', properties: { complexity_reasoning: { type: 'STRING' }, complexity_score: { type: 'INTEGER' } } };
  const response = await post('/v1beta/models/gemini-3.5-flash-lite:generateContent', { ...CHAT, tools: undefined, generationConfig: { responseJsonSchema: schema } });
  const text = ((await response.json()) as any).candidates[0].content.parts[0].text;
  expect(JSON.parse(text)).toEqual({ complexity_reasoning: expect.any(String), complexity_score: expect.any(Number) });
});
