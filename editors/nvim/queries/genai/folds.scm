[
  (block_body)
  (list)
] @fold
