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
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[(?:elimin|borr)\w*.{0,40}recursos?|recursos?.{0,40}(?:elimin|borr)]] },
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
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph ("Desarrollo/pruebas" is not a trial)
    trial           = { [[\b(?:versi[oó]n|versiones|suscripci[oó]n|suscripciones|clientes?|cuentas?)\s+de\s+(?:prueba|evaluaci[oó]n)\b]],
                        [[\bper[ií]odos?\s+de\s+prueba\b]], [[\b(?:prueba|evaluaci[oó]n)\s+gratuita\b]], [[\btrial\b]] },
    -- "los métodos de pago"
    payment_method  = { [[\bm[eé]todos?\s+de\s+pago\b]], [[\bformas?\s+de\s+pago\b]], [[\bmedios?\s+de\s+pago\b]] },
    -- "Permítanos llamarle" / "Le llamamos"
    call_you        = { [[\bllamarl[eo]s?\b]], [[\bllamarte\b]], [[\b(?:le|te|los|les)\s+llam(?:amos|aremos|emos)\b]],
                        [[\bdevoluci[oó]n\s+de\s+(?:la\s+)?llamada\b]] },
    -- "cualquier crédito prorrateado"
    prorated        = { [[\bprorrate\w*]], [[\bprorrata\w*]], [[\bproporcional\w*]] },
    -- "la facturación se detiene inmediatamente"
    immediately     = { [[\binmediatamente\b]], [[\bde\s+inmediato\b]], [[\bde\s+(?:forma|manera)\s+inmediata\b]],
                        [[\benseguida\b]] },
    -- "prueba gratuita" / "créditos" (not "enviamos la factura final")
    free_trial_credits = { [[\b(?:prueba|evaluaci[oó]n)\s+gratuita\b]], [[\bcr[eé]ditos\b]], [[\bcr[eé]dito\s+disponible\b]] },
    -- "puede volver a activarla", "para reactivar la suscripción", "Reactivación"
    reactivate      = { [[\breactiva\w*]], [[\bvolver\s+a\s+(?:activar|habilitar)\w*]], [[\brehabilit\w*]] },
    -- "Elimine todos los recursos y todos los grupos de recursos"
    resources       = { [[\brecursos?\b]] },
    -- "Si los usuarios están sincronizados ..., primero desactive la sincronización"
    sync            = { [[\bsincroniz\w*]], [[\bsync\b]], [[\bDirSync\b]] },
    -- "Busque una suscripción deshabilitada", "eliminar todas las suscripciones deshabilitadas"
    disabled_subscription = { [[\bsuscripci(?:[oó]n|ones)\s+(?:de\s+Azure\s+)?(?:deshabilitad|desactivad)[ao]s?\b]],
                        [[\bsuscripci[oó]n\s+(?:est[aá]|se\s+ha|ha\s+sido)\s+(?:deshabilitad|desactivad)a\b]] },
  },
}
