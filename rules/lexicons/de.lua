-- German: words the fact reader uses in the aligned unit of a German doc.
-- Checked against the de-DE docs of all three articles (Azure cancel 2015 and 2019,
-- Microsoft 365 close account, Office 365 cancel).
lexicon "de" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive;
  -- cover inflections: "1 Tag", "90 Tage", "innerhalb von 90 Tagen", "10-minütig".
  units = {
    days     = { [[\bTag(?:e|en|es|s)?\b]], [[tägige[nmrs]?\b]] },
    minutes  = { [[\bMinuten?\b]], [[\bMin\.]], [[minütige[nmrs]?\b]] },
    hours    = { [[\bStunden?\b]], [[\bStd\.]], [[stündige[nmrs]?\b]] },
    months   = { [[\bMonat(?:e|en|es|s)?\b]], [[monatige[nmrs]?\b]], [[\bmonatlich\w*]] },
    licenses = { [[\bLizenz(?:en)?\b]] },
    users    = { [[\bBenutzer(?:n|s)?\b]], [[\bNutzer(?:n|s)?\b]] },
    accounts = { [[\bKonten\b]], [[\bKontos?\b]], [[\bAccounts?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!nicht )\bweniger\s+als\b]], [[\bkleiner\s+als\b]], [[\bunter(?=\s+\d)]] },   -- "fewer than N"
    above    = { [[(?<!nicht )\bmehr\s+als\b]], [[\bgrößer\s+als\b]], [[\büber(?=\s+\d)]] },        -- "more than N"
    at_least = { [[\boder\s+mehr\b]], [[\bmindestens\b]], [[\bwenigstens\b]], [[\bnicht\s+weniger\s+als\b]] }, -- "N or more"
    at_most  = { [[\bbis\s+zu\b]], [[\bhöchstens\b]], [[\bmaximal\b]], [[\bmax\.]], [[\boder\s+weniger\b]],
                 [[\bnicht\s+mehr\s+als\b]] },                                                       -- "up to N", "N or fewer"
  },
  -- numbers written as words (as they occur in docs: "bis zu zehn Minuten",
  -- "mit Ausnahme eines globalen Administrators")
  numbers = {
    ["ein"] = 1, ["eine"] = 1, ["einen"] = 1, ["einem"] = 1, ["einer"] = 1, ["eines"] = 1, ["eins"] = 1,
    ["einzigen"] = 1, ["zwei"] = 2, ["drei"] = 3, ["vier"] = 4, ["fünf"] = 5, ["sechs"] = 6,
    ["sieben"] = 7, ["acht"] = 8, ["neun"] = 9, ["zehn"] = 10, ["elf"] = 11, ["zwölf"] = 12,
    ["fünfzehn"] = 15, ["zwanzig"] = 20, ["fünfundzwanzig"] = 25, ["dreißig"] = 30, ["dreissig"] = 30,
    ["sechzig"] = 60, ["neunzig"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    account_admin   = { [[Kontoadministrator(?:s|en)?]], [[Kontobesitzer(?:s|n)?]], [[Kontoinhaber(?:s|n)?]] },
    service_admin   = { [[Dienstadministrator(?:s|en)?]] },
    owner           = { [[\bBesitzer(?:s|n)?\b]], [[\bEigentümer(?:s|n)?\b]] },
    contributor     = { [[\bMitwirkende[rnms]?\b]] },
    -- "globaler oder ein Rechnungsadministrator" (Global or Billing admin),
    -- "eines globalen Administrators", "globalen Administratorkontos"
    global_admin    = { [[\bglobale[rnms]?\s+Administrator]], [[\bglobale[rnms]?\s+Admins?\b]],
                        [[\bglobale[rnms]?\s+oder\b]], [[\bGlobaladministrator\w*]] },
    billing_admin   = { [[Abrechnungsadministrator(?:s|en)?]], [[Rechnungsadministrator(?:s|en)?]],
                        [[Abrechnungsadmins?\b]] },
    -- "die Zuordnung Ihrer virtuellen Computer aufgehoben wird"
    vms_deallocated = { [[\bvirtuelle[rnms]?\s+(?:Computer[ns]?|Maschinen?|Computern)\b]], [[\bVMs?\b]],
                        [[\bZuordnung\s+(?:der|Ihrer)\s+virtuellen]] },
    -- "die vorübergehenden IP-Adressen freigegeben werden"
    ips_released    = { [[\bIP-Adressen?\b]], [[\bIP\s+Adressen?\b]] },
    -- "der Speicher nur noch im Lesezugriff verfügbar ist"
    storage_read_only = { [[schreibgeschützt\w*]], [[\bLesezugriff\b]], [[\bnur\s+lesbar\b]], [[\bNur-Lese\w*]] },
  },
}
