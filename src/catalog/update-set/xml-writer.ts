/**
 * A small XML 1.0 writer for the update set: elements, attributes, text and CDATA, nothing else.
 *
 * Why not string templates: the update set carries free text (descriptions, help texts, regexes,
 * whole scripts) twice over — escaped inside a `record_update` document, and that document inside
 * the CDATA section of `sys_update_xml.payload`. A single unescaped `<`, `&` or `]]>` breaks the
 * import, so every character goes through one of the functions below. Characters XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are refused, not dropped: a
 * silently changed script or regex would be worse than a build that says where the problem is.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export class XmlWriteError extends Error {
  override readonly name = 'XmlWriteError';
}

/**
 * The first character XML 1.0 forbids (§2.2 Char: C0 controls other than tab, LF and CR; U+FFFE,
 * U+FFFF; unpaired surrogates), or undefined when the text can be written.
 */
export function forbiddenCharacter(text: string): { index: number; code: string } | undefined {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const isLow = code >= 0xdc00 && code <= 0xdfff;
    if (isHigh) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
    }
    if (
      isHigh ||
      isLow ||
      code === 0xfffe ||
      code === 0xffff ||
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d)
    ) {
      return { index: i, code: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
    }
  }
  return undefined;
}

function assertCharacters(text: string, where: string): void {
  const bad = forbiddenCharacter(text);
  if (bad) {
    throw new XmlWriteError(
      `${where} contains ${bad.code} at offset ${bad.index}, which XML 1.0 cannot carry`,
    );
  }
}

function assertName(name: string): void {
  if (!NAME.test(name)) {
    throw new XmlWriteError(`"${name}" is not a usable XML element or attribute name`);
  }
}

/**
 * Text content. `>` is escaped too, so `]]>` can never appear in text; `\r` becomes a character
 * reference because a parser would otherwise turn CR LF into LF and change a script.
 */
export function escapeText(text: string): string {
  assertCharacters(text, 'text');
  return text.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

/** Attribute values (always written in double quotes); whitespace is kept through attribute normalisation. */
export function escapeAttribute(value: string): string {
  assertCharacters(value, 'attribute value');
  return value.replace(/[&<>"\t\n\r]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\t':
        return '&#9;';
      case '\n':
        return '&#10;';
      default:
        return '&#13;';
    }
  });
}

/**
 * A CDATA section holding `text` exactly. CDATA cannot contain `]]>`, so each occurrence is split
 * across two sections (`]]` ends the first, `>` starts the next), which a parser joins back into
 * the original text. CDATA has no escapes, so a `\r` cannot survive a parser's line-end
 * normalisation: such text is refused (the generator normalises line ends before it gets here).
 */
export function cdata(text: string): string {
  assertCharacters(text, 'CDATA text');
  if (text.includes('\r')) {
    throw new XmlWriteError('CDATA text contains a carriage return, which XML parsers would not keep');
  }
  return `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

export type XmlAttributes = Readonly<Record<string, string>>;

/** An element written as `<name attrs>text</name>`, `<name attrs/>` when empty, or with child lines. */
export function element(name: string, attributes: XmlAttributes = {}, content?: string): string {
  assertName(name);
  const attrs = Object.entries(attributes)
    .map(([key, value]) => {
      assertName(key);
      return ` ${key}="${escapeAttribute(value)}"`;
    })
    .join('');
  return content === undefined || content === ''
    ? `<${name}${attrs}/>`
    : `<${name}${attrs}>${content}</${name}>`;
}

/** An element whose content is text, escaped. */
export function textElement(name: string, text: string, attributes: XmlAttributes = {}): string {
  return element(name, attributes, escapeText(text));
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
