-- Spanish: words the fact reader uses in the aligned unit of a Spanish doc.
-- Checked against the es-ES docs of all three articles.
lexicon "es" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive:
  -- "1 día", "90 días", "hasta 10 minutos", "25 licencias asignadas".
  units = {
    days     = { [[\bd[ií]as?\b]] },
    minutes  = { [[\bminutos?\b]], [[\bmin\.]] },
    hours    = { [[\bhoras?\b]] },
    months   = { [[\bmes(?:es)?\b]], [[\bmensual(?:es|mente)?\b]] },
    licenses = { [[\blicencias?\b]] },
    users    = { [[\busuari[oa]s?\b]] },
    accounts = { [[\bcuentas?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!no )\bmenos\s+de\b]], [[\bmenos\s+que\b]], [[\binferior(?:es)?\s+a\b]] },   -- "menos de N"
    above    = { [[(?<!no )\bm[aá]s\s+de\b]], [[\bm[aá]s\s+que\b]], [[\bsuperior(?:es)?\s+a\b]], [[\bmayor(?:es)?\s+(?:de|que|a)\b]] }, -- "más de N"
    at_least = { [[\bo\s+m[aá]s\b]], [[\bal\s+menos\b]], [[\bpor\s+lo\s+menos\b]], [[\bcomo\s+m[ií]nimo\b]],
                 [[\bun\s+m[ií]nimo\s+de\b]], [[\bno\s+menos\s+de\b]] },                          -- "N o más"
    -- "hasta 10 minutos" (but not "hasta que" = until)
    at_most  = { [[\bhasta(?!\s+(?:que|el|la|los|las|un|una)\b)]], [[\bhasta\s+un\s+m[aá]ximo\s+de\b]],
                 [[\bcomo\s+m[aá]ximo\b]], [[\bun\s+m[aá]ximo\s+de\b]], [[\bo\s+menos\b]], [[\bno\s+m[aá]s\s+de\b]],
                 [[\bm[aá]ximo\b]] },                                                          -- "hasta N", "N o menos"
  },
  -- numbers written as words ("excepto un administrador global")
  numbers = {
    ["un"] = 1, ["uno"] = 1, ["una"] = 1, ["dos"] = 2, ["tres"] = 3, ["cuatro"] = 4, ["cinco"] = 5,
    ["seis"] = 6, ["siete"] = 7, ["ocho"] = 8, ["nueve"] = 9, ["diez"] = 10, ["once"] = 11, ["doce"] = 12,
    ["quince"] = 15, ["veinte"] = 20, ["veinticinco"] = 25, ["treinta"] = 30, ["sesenta"] = 60,
    ["noventa"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "Administrador de cuenta, propietarios y colaboradores"; EA: "Propietario de la cuenta"
    account_admin   = { [[\badministrador(?:es)?\s+de\s+(?:la\s+)?cuentas?\b]], [[\bpropietari[oa]s?\s+de\s+(?:la\s+)?cuenta\b]] },
    service_admin   = { [[\badministrador(?:es)?\s+de(?:l)?\s+(?:los\s+)?servicios?\b]] },
    owner           = { [[\bpropietari[oa]s?\b(?!\s+de\s+(?:la\s+)?cuenta)]] },
    contributor     = { [[\bcolaborador(?:es|as?)?\b]], [[\bcontribuyentes?\b]] },
    -- "excepto un administrador global", "la cuenta de administrador global",
    -- "administrador global o de facturación"
    global_admin    = { [[\badministrador(?:es)?\s+global(?:es)?\b]], [[\badmin\s+global\b]] },
    billing_admin   = { [[\badministrador(?:es)?\s+de\s+(?:la\s+)?facturaci[oó]n\b]], [[\bglobal(?:es)?\s+o\s+de\s+facturaci[oó]n\b]] },
    -- "las máquinas virtuales se desasignan"
    vms_deallocated = { [[\bm[aá]quinas?\s+virtual(?:es)?\b]], [[\bdesasign\w*]] },
    -- "las direcciones IP temporales se liberan"
    ips_released    = { [[\bdirecci(?:ones|[oó]n)\s+IP\b]] },
    -- "el almacenamiento es de solo lectura"
    storage_read_only = { [[\bs[oó]lo\s+lectura\b]], [[\bsolo-lectura\b]] },
  },
}
