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
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[verwijder\w*.{0,40}(?:resources|bronnen)|(?:resources|bronnen).{0,40}verwijder]] },
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
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "Als u een evaluatieversie klant bent", "gratis proefversie"
    trial           = { [[\bevaluatieversie\w*]], [[\bevaluatie-?abonnement\w*]], [[\bproefversie\w*]], [[\bproefabonnement\w*]],
                        [[\bproefperiode\w*]], [[\btrial\b]] },
    -- "tenzij u een betalingsmethode opgeven"
    payment_method  = { [[\bbetalingsmethoden?\b]], [[\bbetaalmethoden?\b]], [[\bbetaalwijzen?\b]], [[\bbetalingswijzen?\b]] },
    -- "de optie 'laat ons u bellen'"
    call_you        = { [[\bons\s+u\s+(?:terug)?bellen\b]], [[\b(?:wij|we)\s+bellen\s+u\b]], [[\b(?:wij|we)\s+u\s+(?:terug)?bellen\b]],
                        [[\bterugbel\w*]] },
    -- "pro rata tegoed"
    prorated        = { [[\bnaar\s+rato\b]], [[\bpro\s+rata\b]], [[\bprorata\w*]], [[\bevenredig\w*]] },
    -- "wordt onmiddellijk facturering gestopt", "niet direct kunt verwijderen"
    immediately     = { [[\bonmiddellijk\w*]], [[\bdirect\b]], [[\bmeteen\b]], [[\bper\s+direct\b]] },
    -- "Tenzij u op een gratis proefversie of tegoeden heeft" (not "laatste factuur")
    free_trial_credits = { [[\bgratis\s+(?:proef|evaluatie)\w*]], [[\btegoeden\b]], [[\btegoed\s+beschikbaar\b]],
                        [[\bbeschikbaar\s+tegoed\b]], [[\bcredits\b]] },
    -- "Abonnement opnieuw activeren", "kunt u [opnieuw activeren ...]"
    reactivate      = { [[\bopnieuw\s+(?:te\s+)?activer\w*]], [[\bweer\s+(?:te\s+)?activer\w*]], [[\bheractiver\w*]],
                        [[\breactiver\w*]], [[\bopnieuw\s+(?:te\s+)?inschakel\w*]] },
    -- "resources verplaatsen naar de nieuwe resourcegroep", "Azure-services en bronnen"
    resources       = { [[\bresources?\b]], [[resourcegroep\w*]], [[\bbronnen\b]], [[\bbrongroep\w*]] },
    -- "on-premises worden gesynchroniseerd, moet u eerst synchronisatie uitschakelen"
    sync            = { [[synchronis\w*]], [[\bsync\b]], [[\bDirSync\b]] },
    -- "een uitgeschakeld abonnement niet direct kunt verwijderen"
    disabled_subscription = { [[\buitgeschakelde?\s+(?:Azure-)?abonnement\w*]], [[\bgedeactiveerde?\s+abonnement\w*]],
                        [[\babonnement\w*\s+(?:is|zijn|wordt|worden)\s+uitgeschakeld\b]] },
  },
}
