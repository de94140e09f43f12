-- English: words the fact reader uses in the English unit of a doc (en-us docs and the
-- English source spans, sxs-lookup, of machine-translated docs). Machine-translation damage
-- in those spans ("up too10", "tooaccess", "hello" for "the") is allowed for where it touches
-- a number.
lexicon "en" {
  -- unit words after (or before) a number, as PCRE2 fragments, case-insensitive:
  -- "1 day", "90 days", "a 6-month term", "the 6-months term".
  units = {
    days     = { [[\bdays?\b]], [[\b\d+-day\b]] },
    minutes  = { [[\bminutes?\b]], [[\bmins?\b]] },
    hours    = { [[\bhours?\b]], [[\bhrs?\b]] },
    months   = { [[\bmonths?\b]], [[\bmonthly\b]] },
    licenses = { [[\blicen[cs]es?\b]], [[\bseats?\b]] },
    users    = { [[\busers?\b]] },
    accounts = { [[\baccounts?\b]] },
  },
  -- words that bound a number
  bounds = {
    below    = { [[(?<!no )(?<!not )\bfewer\s+than\b]], [[(?<!no )(?<!not )\bless\s+than\b]],
                 [[\bunder(?=\s+\d)]], [[\bbelow(?=\s+\d)]] },                    -- "fewer than N"
    above    = { [[(?<!no )(?<!not )\bmore\s+than\b]], [[\bgreater\s+than\b]], [[\bin\s+excess\s+of\b]],
                 [[\bover(?=\s+\d)]], [[\bexceeds?\b]], [[\babove(?=\s+\d)]] },    -- "more than N"
    at_least = { [[\bor\s+more\b]], [[\bat\s+least\b]], [[\bminimum\s+of\b]], [[\bno\s+fewer\s+than\b]],
                 [[\bno\s+less\s+than\b]], [[\bnot\s+less\s+than\b]], [[\bor\s+greater\b]] }, -- "N or more"
    at_most  = { [[\bup\s+too?(?=\s|\d)]], [[\bor\s+fewer\b]], [[\bor\s+less\b]],
                 [[\bat\s+most\b]], [[\bmaximum\s+of\b]], [[\bno\s+more\s+than\b]], [[\bnot\s+more\s+than\b]],
                 [[\bnot\s+to\s+exceed\b]], [[\bmax(?:imum)?\b]] },               -- "up to N", "N or fewer"
  },
  -- numbers written as words ("delete all users except for one global administrator")
  numbers = {
    ["one"] = 1, ["single"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
    ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
    ["fifteen"] = 15, ["twenty"] = 20, ["twenty-five"] = 25, ["twenty five"] = 25, ["thirty"] = 30,
    ["sixty"] = 60, ["ninety"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[\bdelet\w*\s+(?:all\s+)?(?:\w+\s+){0,2}resources?\b|\bresources?\b.{0,40}\bdelet]] },
    account_admin   = { [[\baccount\s+admin(?:istrator)?s?\b]], [[\baccount\s+owners?\b]] },
    service_admin   = { [[\bservice\s+admin(?:istrator)?s?\b]] },
    owner           = { [[(?<!account )\bowners?\b]] },
    contributor     = { [[\bcontributors?\b]] },
    global_admin    = { [[\bglobal\s+(?:or\s+billing\s+)?admin(?:istrator)?s?\b]], [[\bglobal\s+admin(?:istrator)?\s+accounts?\b]] },
    billing_admin   = { [[\bbilling\s+admin(?:istrator)?s?\b]] },
    vms_deallocated = { [[\bvirtual\s+machines?\b]], [[\bVMs?\b]], [[\bde-?allocated\b]] },
    ips_released    = { [[\bIP\s+address(?:es)?\b]], [[\bIPs\b]] },
    storage_read_only = { [[\bread[- ]only\b]] },
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph ("hello", "too" are MT damage in sxs spans)
    -- "If you are a trial customer", "Trial subscriptions expire automatically"
    trial           = { [[\btrials?\b]] },
    -- "unless you provide a payment method"
    payment_method  = { [[\bpayment\s+(?:methods?|options?|instruments?)\b]], [[\bmethods?\s+of\s+payment\b]] },
    -- 'use the "Let us call you" option'
    call_you        = { [[\blet\s+us\s+call\s+you\b]], [[\bwe(?:'ll|’ll|\s+will|\s+can)?\s+call\s+you\b]], [[\bcall\s+you\s+back\b]],
                        [[\bcall-?back\b]] },
    -- "Any prorated credit will be returned to you"
    prorated        = { [[\bpro-?rat(?:ed|a|ion|ing)\b]], [[\bpro\s+rata\b]] },
    -- "billing is stopped immediately"
    immediately     = { [[\bimmediate(?:ly)?\b]], [[\bright\s+away\b]], [[\bat\s+once\b]], [[\binstantly\b]] },
    -- "Unless you're on a Free Trial or have credits available" (not the final-bill sentence)
    free_trial_credits = { [[\bfree\s+trials?\b]], [[\bcredits\b]], [[\bcredit\s+available\b]], [[\bavailable\s+credit\b]] },
    -- "you can reactivate it", "contact support ... tooreactivate your subscription"
    reactivate      = { [[re-?activat(?:e|es|ed|ing|ion)\b]], [[\bre-?enabl(?:e|es|ed|ing)\b]] },
    -- "You must delete all resources and all resource groups"
    resources       = { [[\bresources?\b]] },
    -- "If users are synchronized from on-premises, first turn off sync"
    sync            = { [[\bsync(?:s|ed|ing)?\b]], [[\bsynchroni[sz](?:e|es|ed|ing|ation)\b]], [[\bdirsync\b]] },
    -- "If you're unable to immediately delete a disabled subscription"
    disabled_subscription = { [[\bdisabled\s+(?:Azure\s+|Microsoft\s+365\s+|Office\s+365\s+)?subscriptions?\b]],
                        [[\bsubscriptions?\s+(?:is|are|was|were|has\s+been|have\s+been)\s+disabled\b]] },
  },
}
