/**
 * A strict, minimal XML 1.0 reader: enough to read back what xml-writer.ts writes and to refuse
 * anything that is not well-formed. No DTDs, no external entities, no namespaces processing (a
 * prefixed name is just a name). The generator reads its own output back before writing it, and
 * the tests read the committed update set with it, so a writer bug cannot ship an update set that
 * ServiceNow's importer would reject.
 */
import { forbiddenCharacter } from './xml-writer';

export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
  /** Whether it came from a CDATA section (adjacent sections stay separate nodes). */
  readonly cdata: boolean;
}

export interface XmlElement {
  readonly kind: 'element';
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: ReadonlyArray<XmlElement | XmlText>;
}

export class XmlParseError extends Error {
  override readonly name = 'XmlParseError';
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at offset ${offset})`);
  }
}

const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[A-Za-z0-9_:.-]/;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses a whole document and returns its root element. */
export function parseXml(source: string): XmlElement {
  // XML 1.0 §2.11: a parser hands CR LF and lone CR on as LF. Character references (&#13;) survive this.
  const input = source.replace(/\r\n?/g, '\n');
  const bad = forbiddenCharacter(input);
  if (bad) {
    throw new XmlParseError(`forbidden character ${bad.code}`, bad.index);
  }
  let pos = 0;

  const fail = (message: string, at: number = pos): never => {
    throw new XmlParseError(message, at);
  };
  const startsWith = (s: string) => input.startsWith(s, pos);
  const skipSpace = () => {
    while (pos < input.length && /[ \t\n]/.test(input[pos]!)) {
      pos += 1;
    }
  };

  function readName(): string {
    const start = pos;
    if (!NAME_START.test(input[pos] ?? '')) {
      fail('expected a name');
    }
    while (pos < input.length && NAME_CHAR.test(input[pos]!)) {
      pos += 1;
    }
    return input.slice(start, pos);
  }

  function resolveReferences(raw: string, offset: number): string {
    return raw.replace(/&([^;&<\s]*);?/g, (match, body: string, index: number) => {
      if (!match.endsWith(';')) {
        fail('"&" must start a reference such as &amp;', offset + index);
      }
      if (body.startsWith('#x')) {
        return codePoint(body.slice(2), 16, offset + index);
      }
      if (body.startsWith('#')) {
        return codePoint(body.slice(1), 10, offset + index);
      }
      const value = PREDEFINED[body];
      if (value === undefined) {
        fail(`unknown entity &${body};`, offset + index);
      }
      return value!;
    });
  }

  function codePoint(digits: string, radix: 10 | 16, at: number): string {
    const valid = radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/;
    if (!valid.test(digits)) {
      fail('malformed character reference', at);
    }
    const code = parseInt(digits, radix);
    if (code > 0x10ffff) {
      fail('character reference out of range', at);
    }
    const char = String.fromCodePoint(code);
    if (forbiddenCharacter(char)) {
      fail('character reference to a character XML forbids', at);
    }
    return char;
  }

  function skipMisc(): void {
    for (;;) {
      skipSpace();
      if (startsWith('<!--')) {
        const end = input.indexOf('-->', pos + 4);
        if (end < 0) {
          fail('unterminated comment');
        }
        if (input.slice(pos + 4, end).includes('--')) {
          fail('"--" inside a comment');
        }
        pos = end + 3;
      } else {
        return;
      }
    }
  }

  function readAttributes(): Record<string, string> {
    const attributes: Record<string, string> = {};
    for (;;) {
      const hadSpace = /[ \t\n]/.test(input[pos] ?? '');
      skipSpace();
      if (startsWith('/>') || startsWith('>')) {
        return attributes;
      }
      if (!hadSpace) {
        fail('attributes must be separated by whitespace');
      }
      const nameAt = pos;
      const name = readName();
      skipSpace();
      if (input[pos] !== '=') {
        fail(`attribute ${name} has no value`);
      }
      pos += 1;
      skipSpace();
      const quote = input[pos];
      if (quote !== '"' && quote !== "'") {
        fail(`attribute ${name} must be quoted`);
      }
      const end = input.indexOf(quote!, pos + 1);
      if (end < 0) {
        fail(`attribute ${name} is not closed`);
      }
      const raw = input.slice(pos + 1, end);
      if (raw.includes('<')) {
        fail(`"<" inside the value of ${name}`, pos + 1 + raw.indexOf('<'));
      }
      if (Object.prototype.hasOwnProperty.call(attributes, name)) {
        fail(`attribute ${name} appears twice`, nameAt);
      }
      // XML 1.0 §3.3.3: literal whitespace in a value is normalised to spaces; references are kept.
      attributes[name] = resolveReferences(raw.replace(/[\t\n]/g, ' '), pos + 1);
      pos = end + 1;
    }
  }

  function readElement(): XmlElement {
    const openAt = pos;
    pos += 1; // '<'
    const name = readName();
    const attributes = readAttributes();
    if (startsWith('/>')) {
      pos += 2;
      return { kind: 'element', name, attributes, children: [] };
    }
    pos += 1; // '>'
    const children: Array<XmlElement | XmlText> = [];
    for (;;) {
      if (pos >= input.length) {
        fail(`<${name}> is never closed`, openAt);
      }
      if (startsWith('</')) {
        pos += 2;
        const closing = readName();
        if (closing !== name) {
          fail(`</${closing}> closes <${name}>`);
        }
        skipSpace();
        if (input[pos] !== '>') {
          fail(`malformed end tag </${closing}>`);
        }
        pos += 1;
        return { kind: 'element', name, attributes, children };
      }
      if (startsWith('<![CDATA[')) {
        const end = input.indexOf(']]>', pos + 9);
        if (end < 0) {
          fail('unterminated CDATA section');
        }
        children.push({ kind: 'text', text: input.slice(pos + 9, end), cdata: true });
        pos = end + 3;
      } else if (startsWith('<!--')) {
        skipMisc();
      } else if (startsWith('<?') || startsWith('<!')) {
        fail('processing instructions and declarations are not expected inside elements');
      } else if (input[pos] === '<') {
        children.push(readElement());
      } else {
        const start = pos;
        const next = input.indexOf('<', pos);
        pos = next < 0 ? input.length : next;
        const raw = input.slice(start, pos);
        if (raw.includes(']]>')) {
          fail('"]]>" in text', start + raw.indexOf(']]>'));
        }
        children.push({ kind: 'text', text: resolveReferences(raw, start), cdata: false });
      }
    }
  }

  if (startsWith('<?xml')) {
    const end = input.indexOf('?>');
    if (end < 0) {
      fail('unterminated XML declaration');
    }
    const declaration = input.slice(0, end + 2);
    if (
      !/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][A-Za-z0-9._-]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(
        declaration,
      )
    ) {
      fail('malformed XML declaration', 0);
    }
    pos = end + 2;
  }
  skipMisc();
  if (startsWith('<!DOCTYPE')) {
    fail('document type declarations are not accepted');
  }
  if (input[pos] !== '<') {
    fail('expected the root element');
  }
  const root = readElement();
  skipMisc();
  if (pos !== input.length) {
    fail('content after the root element');
  }
  return root;
}

/** The element children, optionally only those with the given name. */
export function childElements(parent: XmlElement, name?: string): XmlElement[] {
  return parent.children.filter(
    (c): c is XmlElement => c.kind === 'element' && (name === undefined || c.name === name),
  );
}

/** The one child with this name; throws when there is none or more than one. */
export function onlyChild(parent: XmlElement, name: string): XmlElement {
  const found = childElements(parent, name);
  if (found.length !== 1) {
    throw new Error(`<${parent.name}> has ${found.length} <${name}> children, expected 1`);
  }
  return found[0]!;
}

/** All text (and CDATA) directly inside the element, joined. */
export function textOf(el: XmlElement): string {
  return el.children
    .filter((c): c is XmlText => c.kind === 'text')
    .map((c) => c.text)
    .join('');
}
