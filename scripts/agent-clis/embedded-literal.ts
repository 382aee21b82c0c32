/**
 * The source text of the object or array literal that opens at `start` in `text`: brackets are counted outside
 * string literals, so that a `}` inside a string does not end it. The CLIs embed their model catalogs as such
 * literals in bundles and native binaries, with nothing marking where they end.
 */
export function embeddedLiteral(text: string, start: number, what: string): string {
  if (text[start] !== '{' && text[start] !== '[') {
    throw new Error(`${what}: expected "{" or "[" at offset ${start}, found ${JSON.stringify(text[start])}`);
  }
  let depth = 0;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
    } else if (c === '"' || c === '\'' || c === '`') {
      quote = c;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      return text.slice(start, i + 1);
    }
  }
  throw new Error(`${what}: the literal at offset ${start} does not end within the ${text.length} characters read`);
}
