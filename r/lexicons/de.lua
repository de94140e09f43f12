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
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[(?:Ressource|Ressourcengruppe)n?.{0,60}(?:lösch|entfern)|(?:lösch|entfern)\w*.{0,40}Ressource]] },
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
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "Wenn Sie ein Test Kunde sind", "Testabonnements laufen automatisch ab"
    trial           = { [[\bTest[-\s]?(?:kund|abo|version|phase|zeitraum|lizenz|konto|angebot)\w*]],
                        [[\bProbe(?:abo|version|zeitraum|phase)\w*]], [[\bTrial\b]] },
    -- "es sei denn, Sie geben eine Zahlungsmethode an"; "Zahlungsmethoden"
    payment_method  = { [[\bZahlungsmethoden?\b]], [[\bZahlungsart(?:en)?\b]], [[\bZahlungsmittel[ns]?\b]],
                        [[\bZahlungsoption(?:en)?\b]] },
    -- 'die Option "Wir rufen Sie uns an"' (MT for "Let us call you")
    call_you        = { [[\bwir\s+rufen\s+Sie\b]], [[\bSie\s+(?:zurück)?anrufen\b]], [[\bRückruf\w*]] },
    -- "anteilige Gutschrift"
    prorated        = { [[anteilig\w*]], [[\bpro\s+rata\b]], [[\bproportional\w*]] },
    -- "wird die Abrechnung sofort beendet", "nicht sofort löschen"
    immediately     = { [[\bsofort(?:ig(?:e[nmrs]?)?)?\b]], [[\bumgehend\b]], [[\bunverzüglich\b]], [[\bunmittelbar\b]] },
    -- "kostenlose Testversion" / "Guthaben" (not the "Schlussrechnung" sentence)
    free_trial_credits = { [[\bkostenlose[nrms]?\s+(?:Test|Probe|Azure-Test)\w*]], [[\bGratis-?Test\w*]], [[\bGuthaben\w*]],
                        [[\bGutschriften\b]], [[\bCredits\b]] },
    -- "können Sie es im Kontocenter reaktivieren", "Erneutes Aktivieren", "erneut aktivieren"
    reactivate      = { [[reaktivier\w*]], [[\b(?:erneut|wieder)(?:es)?\s+(?:zu\s+)?aktivier\w*]], [[\bwiederaktivier\w*]],
                        [[\b(?:erneut|wieder)\s+(?:zu\s+)?einschalt\w*]] },
    -- "Löschen Sie alle Ressourcen und Ressourcengruppen"
    resources       = { [[\bRessource\w*]] },
    -- "deaktivieren Sie zuerst die Synchronisierung", "lokal synchronisiert werden"
    sync            = { [[synchronisier\w*]], [[synchronisation\w*]], [[\bsync\b]], [[\bDirSync\b]] },
    -- "ein deaktiviertes Abonnement nicht sofort löschen"
    disabled_subscription = { [[\bdeaktivierte[nrms]?\s+(?:Azure-)?Abonnement\w*]],
                        [[\bAbonnement\w*\s+(?:ist|sind|wurde|wurden)\s+deaktiviert\b]] },
  },
}
