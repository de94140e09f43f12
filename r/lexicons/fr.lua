-- French: words the fact reader uses in the aligned unit of a French doc.
-- Checked against the fr-FR docs (Azure cancel 2016 and 2018, Office 365 cancel).
-- Apostrophes occur both typographic (’) and straight (').
lexicon "fr" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive:
  -- "1 jour", "90 jours", "10 minutes maximum", "la durée de 6 mois".
  units = {
    days     = { [[\bjours?\b]], [[\bjournées?\b]] },
    minutes  = { [[\bminutes?\b]], [[\bmin\.]] },
    hours    = { [[\bheures?\b]] },
    months   = { [[\bmois\b]], [[\bmensuel(?:le)?s?\b]] },
    licenses = { [[\blicences?\b]] },
    users    = { [[\butilisat(?:eur|rice)s?\b]] },
    accounts = { [[\bcomptes?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!pas )\bmoins\s+de\b]], [[\binférieure?s?\s+à\b]] },                     -- "moins de N"
    above    = { [[(?<!pas )(?<!au )\bplus\s+de\b]], [[\bsupérieure?s?\s+à\b]], [[\bau-delà\s+de\b]] }, -- "plus de N"
    at_least = { [[\bou\s+plus\b]], [[\bau\s+moins\b]], [[\bminimum\s+de\b]], [[\bau\s+minimum\b]],
                 [[\bpas\s+moins\s+de\b]] },                                                     -- "N ou plus"
    -- "10 minutes maximum", "jusqu’à 25"
    at_most  = { [[\bjusqu[’']\s?(?:à|a)\b]], [[\bmaximum\b]], [[\bau\s+plus\b]], [[\bou\s+moins\b]],
                 [[\bpas\s+plus\s+de\b]], [[\bmax\.]] },                                         -- "jusqu'à N", "N ou moins"
  },
  -- numbers written as words
  numbers = {
    ["un"] = 1, ["une"] = 1, ["seul"] = 1, ["seule"] = 1, ["deux"] = 2, ["trois"] = 3, ["quatre"] = 4,
    ["cinq"] = 5, ["six"] = 6, ["sept"] = 7, ["huit"] = 8, ["neuf"] = 9, ["dix"] = 10, ["onze"] = 11,
    ["douze"] = 12, ["quinze"] = 15, ["vingt"] = 20, ["vingt-cinq"] = 25, ["vingt cinq"] = 25,
    ["trente"] = 30, ["soixante"] = 60, ["quatre-vingt-dix"] = 90, ["quatre-vingts-dix"] = 90,
    ["nonante"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[supprim\w*.{0,40}ressources?|ressources?.{0,40}supprim]] },
    -- "en tant qu’administrateur de compte", "en tant qu’administrateur du compte"
    account_admin   = { [[\badministrat(?:eur|rice)s?\s+(?:de|du|des)\s+comptes?\b]], [[\bpropriétaires?\s+(?:de|du)\s+compte\b]] },
    service_admin   = { [[\badministrat(?:eur|rice)s?\s+(?:de|du|des)\s+services?\b]] },
    owner           = { [[\bpropriétaires?\b(?!\s+(?:de|du)\s+compte)]] },
    contributor     = { [[\bcontributeur(?:s|rice|rices)?\b]], [[\bcollaborat(?:eur|rice)s?\b]] },
    global_admin    = { [[\badministrat(?:eur|rice)s?\s+(?:général|globa[lu]|généraux|générale)s?\b]], [[\badmin\s+(?:général|global)\b]] },
    billing_admin   = { [[\badministrat(?:eur|rice)s?\s+(?:de\s+)?(?:la\s+)?facturation\b]],
                        [[\b(?:général|global)e?\s+ou\s+(?:de\s+)?facturation\b]] },
    -- "vos machines virtuelles et les adresses IP temporaires sont libérées"
    vms_deallocated = { [[\bmachines?\s+virtuelles?\b]], [[\bdésallou\w*]] },
    ips_released    = { [[\badresses?\s+IP\b]] },
    -- "le stockage est en lecture seule"
    storage_read_only = { [[\blecture\s+seule\b]] },
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "Si vous êtes un client d’évaluation", "Les abonnements à la version d’évaluation"
    trial           = { [[\b(?:client|version|abonnement|p[ée]riode|compte)s?\s+d[’']\s?(?:[ée]valuation|essai)\b]],
                        [[\b(?:essai|[ée]valuation)s?\s+gratuite?s?\b]], [[\btrial\b]] },
    -- "sauf si vous fournissez un mode de paiement"
    payment_method  = { [[\b(?:mode|moyen|m[ée]thode)s?\s+de\s+paiement\b]] },
    -- "l’option «laissez-nous vous appeler»"
    call_you        = { [[\blaissez[- ]nous\s+vous\s+(?:appeler|rappeler)\b]], [[\bnous\s+vous\s+(?:appel|rappel)\w*]],
                        [[\brappel\s+t[ée]l[ée]phonique\b]] },
    -- "tout crédit calculé au prorata"
    prorated        = { [[\bprorata\b]], [[\bproratis\w*]], [[\bproportionnel\w*]] },
    -- "la facturation s’arrête immédiatement"
    immediately     = { [[\bimm[ée]diat(?:e|s|es|ement)?\b]], [[\btout\s+de\s+suite\b]], [[\bsur-le-champ\b]], [[\bsans\s+d[ée]lai\b]] },
    -- "essai gratuit" / "crédits" (not "nous envoyons la facture finale")
    free_trial_credits = { [[\b(?:essai|[ée]valuation)s?\s+gratuite?s?\b]], [[\bcr[ée]dits\b]], [[\bcr[ée]dit\s+disponible\b]] },
    -- "Réactiver l’abonnement", "vous pouvez [le réactiver ...]"
    reactivate      = { [[\br[ée]activ\w*]], [[\bactiver\s+(?:[àa]|de)\s+nouveau\b]] },
    -- "la [page de ressources ...]", "groupe de ressources"
    resources       = { [[\bressources?\b]] },
    -- "synchronisés à partir de l’environnement local, désactivez la synchronisation"
    sync            = { [[\bsynchronis\w*]], [[\bsync\b]], [[\bDirSync\b]] },
    -- "un abonnement désactivé"
    disabled_subscription = { [[\babonnements?\s+(?:Azure\s+)?d[ée]sactiv[ée]s?\b]],
                        [[\babonnements?\s+(?:est|sont|a\s+[ée]t[ée]|ont\s+[ée]t[ée])\s+d[ée]sactiv[ée]s?\b]] },
  },
}
