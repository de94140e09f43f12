-- Dutch: words the fact reader uses in the aligned unit of a Dutch doc.
-- Checked against the nl-NL docs of all three articles (Azure cancel 2016 and 2017 are
-- machine translations: "de term 6 maanden", "maximaal 10 minuten").
lexicon "nl" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive:
  -- "1 dag", "90 dagen", "maximaal 10 minuten", "25 toegewezen licenties".
  units = {
    days     = { [[\bdag(?:en)?\b]], [[\bdaagse\b]] },
    minutes  = { [[\bminuut\b]], [[\bminuten\b]], [[\bmin\.]] },
    hours    = { [[\buur\b]], [[\buren\b]] },
    months   = { [[\bmaand(?:en)?\b]], [[\bmaandelijks\w*]] },
    licenses = { [[\blicenties?\b]] },
    users    = { [[\bgebruikers?\b]] },
    accounts = { [[\baccounts?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!niet )\bminder\s+dan\b]], [[\bkleiner\s+dan\b]], [[\bonder\s+de(?=\s+\d)]] },    -- "minder dan N"
    above    = { [[(?<!niet )\bmeer\s+dan\b]], [[\bgroter\s+dan\b]], [[\bboven\s+de(?=\s+\d)]] },      -- "meer dan N"
    at_least = { [[\bof\s+meer\b]], [[\bminstens\b]], [[\bten\s+minste\b]], [[\bminimaal\b]], [[\btenminste\b]],
                 [[\bniet\s+minder\s+dan\b]] },                                                    -- "N of meer"
    -- "het kan maximaal 10 minuten duren"; "tot 10" but not "tot en met"
    at_most  = { [[\bmaximaal\b]], [[\bhoogstens\b]], [[\bten\s+hoogste\b]], [[\bof\s+minder\b]],
                 [[\bniet\s+meer\s+dan\b]], [[\btot(?=\s+\d)]], [[\btot\s+maximaal\b]], [[\bmax\.]] }, -- "tot N", "N of minder"
  },
  -- numbers written as words ("behalve één globale beheerder")
  numbers = {
    ["één"] = 1, ["een"] = 1, ["eén"] = 1, ["twee"] = 2, ["drie"] = 3, ["vier"] = 4,
    ["vijf"] = 5, ["zes"] = 6, ["zeven"] = 7, ["acht"] = 8, ["negen"] = 9, ["tien"] = 10, ["elf"] = 11,
    ["twaalf"] = 12, ["vijftien"] = 15, ["twintig"] = 20, ["vijfentwintig"] = 25, ["dertig"] = 30,
    ["zestig"] = 60, ["negentig"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    account_admin   = { [[\baccountbeheerders?\b]], [[\baccount\s+beheerders?\b]], [[\baccounteigena(?:ar|ren)\b]],
                        [[\baccountadministrators?\b]] },
    service_admin   = { [[\bservicebeheerders?\b]], [[\bservice\s+beheerders?\b]], [[\bservice-beheerders?\b]],
                        [[\bserviceadministrators?\b]] },
    owner           = { [[\beigena(?:ar|ren)\b]] },
    contributor     = { [[\binzenders?\b]], [[\bbijdragers?\b]] },
    -- "een Globale of Factureringsbeheerder", "één globale beheerder", "een globale beheerdersaccount"
    global_admin    = { [[\bglobale\s+beheerders?]], [[\bglobale\s+of\b]], [[\bglobale\s+administrators?\b]],
                        [[\bhoofdbeheerders?\b]] },
    billing_admin   = { [[\bfactureringsbeheerders?\b]], [[\bfacturerings-?\s?beheerders?\b]], [[\bfactuurbeheerders?\b]] },
    -- "de toewijzing van uw virtuele machines worden opgeheven"
    vms_deallocated = { [[\bvirtuele\s+machines?\b]], [[\btoewijzing\s+van\s+(?:uw\s+|de\s+)?virtuele\b]] },
    -- "tijdelijke IP-adressen worden vrijgegeven"
    ips_released    = { [[\bIP-adress(?:en)?\b]], [[\bIP-adres\b]], [[\bIP\s+adress(?:en)?\b]] },
    -- "opslag is alleen-lezen"
    storage_read_only = { [[\balleen[- ]lezen\b]], [[\balleen-lezen\b]], [[\bschrijfbeveiligd\b]] },
  },
}
