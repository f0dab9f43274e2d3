/**
 * tree-sitter-genai: the syntax of `*.genai` workload declarations.
 *
 * The grammar is deliberately generic (blocks and attributes, HCL-like); the schema
 * (which blocks and attributes exist) is checked by the analyzer so that unknown names
 * are diagnostics with suggestions rather than syntax errors.
 */

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/;

module.exports = grammar({
  name: 'genai',

  extras: $ => [/\s/, $.comment],

  word: $ => $.identifier,

  rules: {
    source_file: $ => repeat($._item),

    _item: $ => choice($.block, $.attribute),

    block: $ => seq(
      field('type', $.identifier),
      optional(field('label', choice($.string, $.dotted_name))),
      field('body', $.block_body),
    ),

    block_body: $ => seq('{', repeat($._item), '}'),

    attribute: $ => seq(
      field('key', $.identifier),
      '=',
      field('value', $._value),
    ),

    _value: $ => choice(
      $.string,
      $.integer,
      $.duration,
      $.boolean,
      $.identifier,
      $.list,
    ),

    list: $ => seq(
      '[',
      optional(seq(
        $._value,
        repeat(seq(',', $._value)),
        optional(','),
      )),
      ']',
    ),

    // One token, so that `governance . x` (with spaces) is not a control id.
    dotted_name: _ => token(seq(IDENT, repeat1(seq('.', IDENT)))),

    string: $ => seq(
      '"',
      repeat(choice($.string_content, $.escape_sequence)),
      token.immediate('"'),
    ),

    string_content: _ => token.immediate(prec(1, /[^"\\\r\n]+/)),

    escape_sequence: _ => token.immediate(seq(
      '\\',
      choice('"', '\\', 'n', 't', /u\{[0-9A-Fa-f]{1,6}\}/),
    )),

    integer: _ => /[0-9]+/,

    duration: _ => /[0-9]+(ms|s|m|h)/,

    boolean: _ => choice('true', 'false'),

    identifier: _ => IDENT,

    // A comment ends at any line break LSP knows: `\n`, `\r\n` or a lone `\r`.
    comment: _ => token(seq('#', /[^\r\n]*/)),
  },
});
