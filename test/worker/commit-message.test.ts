import { commitMessage } from '../../runtime/worker/commit-message';

const ID = '01JQ8Z6V3N4R5T7W9Y1B3D5F7H';

describe('commitMessage', () => {
  test("the prompt's first line is the subject; the dispatch is a trailer", () => {
    expect(commitMessage('Fix the login bug\n\nUsers on Safari cannot log in.', ID)).toBe(`Fix the login bug\n\nOutpost-Dispatch: ${ID}\n`);
  });

  test('leading blank lines and runs of whitespace are dropped', () => {
    expect(commitMessage('\n\n   Add   a\ttest  \nmore', ID).split('\n')[0]).toBe('Add a test');
  });

  test('a long first line is cut to 72 characters', () => {
    const subject = commitMessage('x'.repeat(200), ID).split('\n')[0];
    expect(subject).toHaveLength(72);
    expect(subject.endsWith('…')).toBe(true);
  });

  test('a prompt of whitespace falls back to the dispatch', () => {
    expect(commitMessage(' \n ', ID).split('\n')[0]).toBe(`Outpost dispatch ${ID}`);
  });
});
