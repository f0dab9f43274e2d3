; Models are defined by `model "name" { … }` and referenced from `data { model = "name" }`.
(block
  type: (identifier) @_type
  label: (string) @local.definition
  (#eq? @_type "model"))

(attribute
  key: (identifier) @_key
  value: (string) @local.reference
  (#eq? @_key "model"))
