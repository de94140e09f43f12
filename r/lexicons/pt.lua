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
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[(?:exclu|remov)\w*.{0,40}recursos?|recursos?.{0,40}(?:exclu|remov)]] },
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
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "Se você for um cliente de avaliação", "As assinaturas de avaliação expiram"
    trial           = { [[\b(?:clientes?|assinaturas?|vers[aã]o|vers[oõ]es|per[ií]odos?|contas?)\s+de\s+(?:avalia[cç][aã]o|teste|experimenta[cç][aã]o)\b]],
                        [[\b(?:avalia[cç][aã]o|teste)\s+gr(?:atuit[ao]|[aá]tis)\b]], [[\btrial\b]] },
    -- "a menos que você forneça um método de pagamento"
    payment_method  = { [[\bm[eé]todos?\s+de\s+pagamento\b]], [[\bformas?\s+de\s+pagamento\b]], [[\bmeios?\s+de\s+pagamento\b]] },
    -- 'a opção "Deixe-nos chamar você"'
    call_you        = { [[\bdeixe-nos\s+(?:chamar|ligar)\b]], [[\b(?:chamar|ligar|ligamos|ligaremos)\s+(?:para\s+)?voc[eê]\b]],
                        [[\bretorno\s+de\s+(?:chamada|liga[cç][aã]o)\b]] },
    -- "crédito proporcional", "crédito rateado"
    prorated        = { [[\bproporciona\w*]], [[\bpro\s+rata\b]], [[\bprorrat\w*]], [[\brateado\w*]] },
    -- "a cobrança é interrompida imediatamente"
    immediately     = { [[\bimediatamente\b]], [[\bde\s+imediato\b]], [[\bimediat[oa]s?\b]] },
    -- "avaliação gratuita" / "créditos" (not the final-bill sentence)
    free_trial_credits = { [[\b(?:avalia[cç][aã]o|teste)\s+gr(?:atuit[ao]|[aá]tis)\b]], [[\bcr[eé]ditos\b]],
                        [[\bcr[eé]dito\s+dispon[ií]vel\b]] },
    -- "reativar a assinatura", "ativá-la novamente"
    reactivate      = { [[\breac?tiv\w*]], [[\bativ\w*\s+novamente\b]], [[\bvoltar\s+a\s+ativar\b]], [[\breabilit\w*]] },
    -- "Excluir todos os recursos e grupos de recursos"
    resources       = { [[\brecursos?\b]] },
    -- "usuários sincronizados do local, desative a sincronização"
    sync            = { [[\bsincroniz\w*]], [[\bsync\b]], [[\bDirSync\b]] },
    -- "uma assinatura desabilitada"
    disabled_subscription = { [[\bassinaturas?\s+(?:do\s+Azure\s+)?(?:desabilitad|desativad)[ao]s?\b]],
                        [[\bassinatura\s+(?:est[aá]|foi)\s+(?:desabilitad|desativad)a\b]] },
  },
}
