-- Portuguese (pt-BR, with the pt-PT forms): words the fact reader uses in the aligned
-- unit of a Portuguese doc. Checked against the pt-BR Office 365 cancel doc.
lexicon "pt" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive:
  -- "1 dia", "90 dias", "até 10 minutos", "25 licenças atribuídas".
  units = {
    days     = { [[\bdias?\b]] },
    minutes  = { [[\bminutos?\b]], [[\bmin\.]] },
    hours    = { [[\bhoras?\b]] },
    months   = { [[\bm[eê]s\b]], [[\bmeses\b]], [[\bmensa(?:l|is|lmente)\b]] },
    licenses = { [[\blicen[çc]as?\b]] },
    users    = { [[\busu[aá]rios?\b]], [[\butilizador(?:es)?\b]] },
    accounts = { [[\bcontas?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!não )\bmenos\s+de\b]], [[\bmenos\s+que\b]], [[\binferior(?:es)?\s+a\b]] },   -- "menos de N"
    above    = { [[(?<!não )\bmais\s+de\b]], [[\bmais\s+que\b]], [[\bsuperior(?:es)?\s+a\b]], [[\bacima\s+de\b]] }, -- "mais de N"
    at_least = { [[\bou\s+mais\b]], [[\bpelo\s+menos\b]], [[\bno\s+m[ií]nimo\b]], [[\bao\s+menos\b]],
                 [[\bum\s+m[ií]nimo\s+de\b]] },                                                   -- "N ou mais"
    -- "até 10 minutos" (but not "até menos de 25", "até que" = until)
    at_most  = { [[\baté(?!\s+(?:menos|mais|que|o|a|os|as|um|uma)\b)]], [[\bno\s+m[aá]ximo\b]], [[\bum\s+m[aá]ximo\s+de\b]],
                 [[\bou\s+menos\b]], [[\bnão\s+mais\s+(?:de|que)\b]], [[\bm[aá]ximo\b]] },         -- "até N", "N ou menos"
  },
  -- numbers written as words
  numbers = {
    ["um"] = 1, ["uma"] = 1, ["dois"] = 2, ["duas"] = 2, ["três"] = 3, ["quatro"] = 4, ["cinco"] = 5,
    ["seis"] = 6, ["sete"] = 7, ["oito"] = 8, ["nove"] = 9, ["dez"] = 10, ["onze"] = 11, ["doze"] = 12,
    ["quinze"] = 15, ["vinte"] = 20, ["vinte e cinco"] = 25, ["trinta"] = 30, ["sessenta"] = 60,
    ["noventa"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    account_admin   = { [[\badministrador(?:es)?\s+d[ae]s?\s+contas?\b]], [[\bpropriet[aá]ri[oa]s?\s+d[ae]\s+conta\b]] },
    service_admin   = { [[\badministrador(?:es)?\s+d[eo]s?\s+servi[çc]os?\b]] },
    owner           = { [[\bpropriet[aá]ri[oa]s?\b(?!\s+d[ae]\s+conta)]] },
    contributor     = { [[\bcolaborador(?:es|as?)?\b]], [[\bcontribuidor(?:es|as?)?\b]] },
    global_admin    = { [[\badministrador(?:es)?\s+globa(?:l|is)\b]], [[\badmin\s+global\b]] },
    billing_admin   = { [[\badministrador(?:es)?\s+de\s+(?:cobran[çc]a|faturamento|fatura[çc][aã]o)\b]],
                        [[\bglobal\s+ou\s+de\s+(?:cobran[çc]a|faturamento|fatura[çc][aã]o)\b]] },
    vms_deallocated = { [[\bm[aá]quinas?\s+virtua(?:l|is)\b]], [[\bdesaloca\w*]] },
    ips_released    = { [[\bendere[çc]os?\s+(?:de\s+)?IP\b]] },
    storage_read_only = { [[\bsomente\s+leitura\b]], [[\bapenas\s+(?:de\s+)?leitura\b]], [[\bs[oó]\s+de\s+leitura\b]] },
  },
}
