-- What docrules validate checks in every doc, beyond the facts.

-- Front matter every doc that has one must carry (a list: any one of them).
required_keys {
  { "title", "pageTitle" },
  { "ms.date", "date", "ms.lasthandoff" },
}

-- Machine-translation damage, reported at each occurrence. English patterns
-- also read the English source of bilingual docs.
artifact "mt-too-glued" {
  message = "\"too\" glued to the next word: a machine translation of \"to\" (\"toocancel\", \"tooAzure\")",
  en = { [[\btoo(?=[A-Z0-9])]], [[\btoo(?!l|k|th|t?s\b)(?=[a-z])]] },
  nl = { [[\btoo(?=[A-Z0-9])]], [[\btoo(?!l|k|th|t?s\b)(?=[a-z])]] },
}

artifact "mt-hello-for-the" {
  message = "\"Hallo\"/\"hello\" standing for \"the\": a machine-translation artifact",
  nl = { [[\b[Hh]allo\b]], [[\b[Hh]ello\b]] },
  en = { [[(?<![!.]\s)\bhello\b(?! world)]] },
}
