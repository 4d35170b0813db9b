/**
 * The update set's XML writer and the strict reader it is checked with: whatever text goes in
 * (scripts, regexes, `]]>`, CR, non-ASCII) comes back out exactly, and malformed documents are
 * refused rather than half-read.
 */
import fc from 'fast-check';
import { childElements, onlyChild, parseXml, textOf } from '../../src/catalog/update-set/xml-reader';
import {
  cdata,
  element,
  escapeAttribute,
  escapeText,
  forbiddenCharacter,
  textElement,
  XML_DECLARATION,
  XmlWriteError,
} from '../../src/catalog/update-set/xml-writer';

/** Any string XML can carry: the generator's inputs, including `]]>`, `&`, `<`, CR and astral characters. */
const xmlText = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(
        ']]>',
        ']]',
        '>',
        '<',
        '&',
        '&amp;',
        '"',
        "'",
        '\r\n',
        '\r',
        '\n',
        '\t',
        ' ',
        'ü',
        '🚀',
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    ),
    maxLength: 60,
  })
  .filter((s) => forbiddenCharacter(s) === undefined);

function roundTrip(text: string, attribute: string): { text: string; attribute: string } {
  const doc = `${XML_DECLARATION}${element('root', { a: attribute }, textElement('t', text))}`;
  const root = parseXml(doc);
  return { text: textOf(onlyChild(root, 't')), attribute: root.attributes.a! };
}

describe('XML writer and reader', () => {
  it('property: any text and attribute value survive writing and reading unchanged', () => {
    fc.assert(
      fc.property(xmlText, xmlText, (text, attribute) => {
        expect(roundTrip(text, attribute)).toEqual({ text, attribute });
      }),
      { numRuns: 400 },
    );
  });

  it('property: CDATA keeps any text without CR, including "]]>", across split sections', () => {
    fc.assert(
      fc.property(
        xmlText.map((s) => s.replace(/\r/g, '')),
        (text) => {
          const root = parseXml(`<p>${cdata(text)}</p>`);
          expect(textOf(root)).toBe(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('when a payload document holds "]]>" and is nested in CDATA, then both levels read back exactly', () => {
    const script = 'if (a[b[0]]>1) { x = "<y> & ]]>"; }\n';
    const inner = `${XML_DECLARATION}\n${element('record_update', { table: 't' }, textElement('script', script))}`;
    const outer = element('unload', {}, element('payload', {}, cdata(inner)));

    const payload = textOf(onlyChild(parseXml(outer), 'payload'));
    expect(payload).toBe(inner);
    expect(textOf(onlyChild(parseXml(payload), 'script'))).toBe(script);
    // Escaping `>` in text keeps "]]>" out of the inner document; CDATA would split it otherwise.
    expect(inner).not.toContain(']]>');
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
  });

  it('when text holds markup characters, then they are escaped, and CR is kept as a reference', () => {
    expect(escapeText('a < b && c > d\r\n')).toBe('a &lt; b &amp;&amp; c &gt; d&#13;\n');
    expect(escapeAttribute('say "hi"\n\tnow')).toBe('say &quot;hi&quot;&#10;&#9;now');
  });

  it.each([
    ['a NUL', 'a\u0000b', 'U+0000'],
    ['a form feed', 'x\u000c', 'U+000C'],
    ['an unpaired surrogate', 'x\ud800y', 'U+D800'],
    ['U+FFFF', '\uffff', 'U+FFFF'],
  ])('when text holds %s, then writing it is refused with the code point', (_what, text, code) => {
    expect(() => escapeText(text)).toThrow(XmlWriteError);
    expect(() => escapeText(text)).toThrow(code);
    expect(() => cdata(text)).toThrow(code);
  });

  it('when CDATA text holds a carriage return, then it is refused (a parser would turn it into LF)', () => {
    expect(() => cdata('a\r\nb')).toThrow('carriage return');
  });

  it('when an element or attribute name is not a name, then it is refused', () => {
    expect(() => element('a b')).toThrow(XmlWriteError);
    expect(() => element('a', { 'x"': '1' })).toThrow(XmlWriteError);
  });

  it('when a document uses every construct the update set uses, then the tree is what was written', () => {
    const root = parseXml(
      `${XML_DECLARATION}<unload d="1">\n<!-- note -->\n<a x='1' y="&lt;&#65;&#x42;">t&amp;u<b/><![CDATA[<c>]]></a>\n</unload>\n`,
    );
    expect(root.name).toBe('unload');
    const a = onlyChild(root, 'a');
    expect(a.attributes).toEqual({ x: '1', y: '<AB' });
    expect(textOf(a)).toBe('t&u<c>');
    expect(childElements(a).map((e) => e.name)).toEqual(['b']);
  });

  it.each([
    ['mismatched tags', '<a><b></a></b>', '</a> closes <b>'],
    ['an unclosed element', '<a><b></b>', 'never closed'],
    ['a bare ampersand', '<a>fish & chips</a>', 'must start a reference'],
    ['an unknown entity', '<a>&nbsp;</a>', 'unknown entity'],
    ['"]]>" in text', '<a>x]]>y</a>', '"]]>" in text'],
    ['a duplicate attribute', '<a x="1" x="2"/>', 'appears twice'],
    ['an unquoted attribute', '<a x=1/>', 'must be quoted'],
    ['"<" in an attribute', '<a x="<"/>', '"<" inside the value'],
    ['two root elements', '<a/><b/>', 'content after the root element'],
    ['text after the root', '<a/>x', 'content after the root element'],
    ['a DOCTYPE', '<!DOCTYPE a><a/>', 'document type declarations'],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>', 'unterminated CDATA'],
    ['a forbidden character', '<a>\u0001</a>', 'forbidden character U+0001'],
    ['a reference to a forbidden character', '<a>&#0;</a>', 'forbids'],
    ['"--" in a comment', '<a><!-- a -- b --></a>', '"--" inside a comment'],
    ['attributes without space between', '<a x="1"y="2"/>', 'separated by whitespace'],
    ['no root at all', '   ', 'expected the root element'],
  ])('when a document has %s, then it is refused', (_what, xml, message) => {
    expect(() => parseXml(xml)).toThrow(message);
  });

  it('when a document has CR LF line ends, then they read as LF while &#13; stays a CR', () => {
    expect(textOf(parseXml('<a>x\r\ny&#13;</a>'))).toBe('x\ny\r');
  });
});
