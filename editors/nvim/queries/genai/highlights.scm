; Block keywords: workload, model, data, control (and any unknown block type).
(block
  type: (identifier) @keyword)

; Control ids such as governance.data_usage_policy.
(block
  label: (dotted_name) @type)

(block
  label: (string) @label)

(attribute
  key: (identifier) @property)

; Enum values such as managed_api, confidential, planned.
(attribute
  value: (identifier) @constant)

(list
  (identifier) @constant)

(string) @string

(escape_sequence) @string.escape

(integer) @number

(duration) @number

(boolean) @boolean

(comment) @comment @spell

"=" @operator

"," @punctuation.delimiter

[
  "{"
  "}"
  "["
  "]"
] @punctuation.bracket
