-- The language of rule scripts, and how a decision is made from them.
--
-- Run once per engine state, before any rule script, with the C library
-- (engine/lualib.c) as its argument. It returns the environment rule
-- scripts see and the functions the C side calls. Rule scripts never see
-- this file's locals: they get `article`, `fact`, `policy`, `case` and the
-- helpers listed in `base` below.
local dr = ...

-- rules: every rule and compute, once, in the order declared, whether a
-- policy's own or shared (a shared rule is in the rules of each policy that
-- uses it): what the check of their facts, validate and coverage walk.
local decl = { articles = {}, facts = {}, policies = {}, cases = {}, case_at = {}, artifacts = {},
               required = {}, lexicons = {}, rules = {}, added = {}, products = {}, actions = {},
               roles = {} }
local policy_by_key = {}
-- policy -> its rules, computes and the shared rules it uses, kept apart
-- from the table the script holds: p.rules would hand any script the rule
-- tables of the shared rules it uses, whose conditions it could then
-- change under every other policy's decisions.
local inner = setmetatable({}, { __mode = "k" })
-- product -> action -> policy: found per account without building a key.
local policies_for = {}

local function where(level)
  return dr.where(level + 1)
end

-- What is wrong with a declaration, said without a place: declaration()
-- below gives it the place of the script line that made it.
local function fail(msg)
  error(msg, 0)
end

-- Declarations are made while the scripts load. A rule that declared one
-- while deciding would change the policies under decisions already made,
-- and under the plans engine/lean.c keeps.
local sealed = false
local function declaring(what)
  if sealed then
    error(what .. " is a declaration: make it at the top of a rule script, not while deciding", 3)
  end
end

-- The problems of the declarations made since C last took them (after
-- each script, and after the check of the rules' facts), each { file,
-- line, message }. A wrong declaration is left out and its script goes
-- on, so that one load says every problem of every script, not only the
-- first of each.
local problems = {}

-- fn(...), where what fn fails with is a problem at file:line; then
-- instead(...) (if any) is what the script goes on with.
local function attempt(file, line, instead, fn, ...)
  local ok, r = pcall(fn, ...)
  if ok then return r end
  problems[#problems + 1] = { file = file, line = line, message = tostring(r) }
  if instead then return instead(...) end
end

-- A declaration the scripts call: fn(file, line, ...) with the place of
-- the script line that calls it; instead(file, line, ...) is what the
-- script goes on with when fn fails.
local function declaration(what, fn, instead)
  return function(...)
    declaring(what)
    local file, line = where(2)
    return attempt(file, line, instead, fn, file, line, ...)
  end
end

-- The second half of `fact "name" { ... }`: fn(t) at the place of the first.
local function then_table(file, line, fn)
  return function(t) return attempt(file, line, nil, fn, t) end
end

-- What `fact 3 { ... }` goes on with: a second half that does nothing.
local function no_table()
  return function() end
end

-- Helpers rule scripts may call -------------------------------------------

local base = {}
for _, k in ipairs({ "assert", "error", "ipairs", "next", "pairs", "pcall", "select",
                     "tonumber", "tostring", "type", "rawequal", "rawget",
                     "rawlen", "rawset", "getmetatable" }) do
  base[k] = _G[k]
end

-- A finalizer (__gc) runs with hooks off, where no instruction budget can
-- stop it: a metatable that has one is refused. Lua marks an object for
-- finalization only when setmetatable sees __gc, so one added later to the
-- metatable never runs.
-- A weak table (__mode) is refused too: the collector, which runs inside
-- whatever allocation sets it off, where no hook can stop it, clears a
-- chain of weak keys one link per pass, work that grows with the square
-- of the chain. Lua reads __mode at every collection, so a metatable is
-- kept from gaining one later: setmetatable gives it a guard of its own
-- (a metatable of the metatable) whose __newindex refuses __mode and
-- __gc, and base.rawset refuses both names. A metatable that already has
-- a metatable of the script's cannot be guarded, and is refused. A
-- protected metatable (an account's lists') is refused at the rule's line.
local setmetatable_, rawget_, rawset_0, type_, error_, pcall_mt = setmetatable, rawget, rawset, type, error, pcall
local unsafe_keys = { __gc = "__gc is not available to rule scripts: a finalizer runs outside the instruction budget",
                      __mode = "__mode is not available to rule scripts: weak tables make the collector's work, " ..
                               "which runs outside the instruction budget, grow with the square of what they hold" }
local mt_guard = { __metatable = false }
function mt_guard.__newindex(m, k, v)
  if unsafe_keys[k] then error_(unsafe_keys[k], 2) end
  rawset_0(m, k, v)
end
function base.setmetatable(t, mt)
  if type_(mt) == "table" then
    for k, why in next, unsafe_keys do
      if rawget_(mt, k) ~= nil then error_(why, 2) end
    end
    local guard = dr.real_mt(mt)
    if guard == nil then
      setmetatable_(mt, mt_guard)
    elseif guard ~= mt_guard then
      error_("a table with a metatable of its own cannot be a metatable in a rule script: " ..
             "it could gain __mode or __gc afterwards", 2)
    end
  end
  local ok, r = pcall_mt(setmetatable_, t, mt)
  if not ok then error_(r, 2) end
  return r
end

-- xpcall's handler runs where Lua calls it, inside the error; for the
-- error the instruction budget's hook raises, that is with hooks off, where
-- a handler that loops could never be stopped. This xpcall calls the
-- handler after pcall has returned, with the hooks on: the same results
-- (a handler that fails gives its own error as the second), without the
-- stack at the error.
local pcall_ = pcall
local function handled(handler, ok, ...)
  if ok then return true, ... end
  local _, r = pcall_(handler, (...))
  return false, r
end
function base.xpcall(f, handler, ...)
  return handled(handler, pcall_(f, ...))
end

-- The libraries, copied into each script's globals (new_env below): a
-- script that sets string.upper or math.floor changes them for itself, not
-- for the policies of other scripts.
-- math without random and randomseed: a decision is the same every time it
-- is made, and a generator's state would run from one account to the next.
local safe_math = {}
for k, v in pairs(math) do
  if k ~= "random" and k ~= "randomseed" then safe_math[k] = v end
end
local libraries = { math = safe_math, table = dr.safe_table, utf8 = dr.safe_utf8, string = dr.safe_string }

-- Dates are day numbers: `date("2017-02-03")`, `iso(n)`, `add_months(n, k)`;
-- a difference of two dates is a subtraction.
base.date = dr.date
base.iso = dr.iso
base.add_months = dr.add_months
-- Money is integer minor units: `money("1200.00", "USD")` is 120000;
-- `prorate(amount, part, whole)` is amount * part / whole rounded half up;
-- `money_str(minor, "USD")` prints it back.
base.money = dr.money
base.money_str = dr.money_str
base.prorate = dr.prorate

-- has_role(a, role): whether the actor holds role; any_role(a, set):
-- whether it holds any role of a set fact (a list of role names, such as
-- { "global_admin", "billing_admin" }). In C (engine/lualib.c): most rules
-- ask this of every account.
base.has_role = dr.has_role
base.any_role = dr.any_role

-- Declarations ------------------------------------------------------------

base.article = declaration("article", function(file, line, id)
  if type(id) ~= "string" then fail("article needs a name: article \"name\" { ... }") end
  return then_table(file, line, function(t)
    if type(t) ~= "table" then fail("article \"" .. id .. "\" needs a table { asset = ..., anchors = {...} }") end
    decl.articles[#decl.articles + 1] = { id = id, asset = t.asset, anchors = t.anchors or {},
                                          sources = t.sources or {}, also_assets = t.also_assets or {},
                                          file = file, line = line }
  end)
end, no_table)

base.fact = declaration("fact", function(file, line, name)
  if type(name) ~= "string" then fail("fact needs a name: fact \"name\" { ... }") end
  return then_table(file, line, function(t)
    if type(t) ~= "table" then fail("fact \"" .. name .. "\" needs a table") end
    t.name, t.file, t.line = name, file, line
    decl.facts[#decl.facts + 1] = t
  end)
end, no_table)

-- lexicon "de" { units = {...}, bounds = {...}, numbers = {...}, terms = {...} }:
-- the words that read facts in docs of a language that no fact pattern
-- covers (rules/lexicons/README.md).
base.lexicon = declaration("lexicon", function(file, line, lang)
  if type(lang) ~= "string" then fail("lexicon needs a language: lexicon \"de\" { ... }") end
  return then_table(file, line, function(t)
    if type(t) ~= "table" then fail("lexicon \"" .. lang .. "\" needs a table") end
    for _, k in ipairs({ "units", "bounds", "numbers", "terms" }) do
      if t[k] ~= nil and type(t[k]) ~= "table" then
        fail("lexicon \"" .. lang .. "\": " .. k .. " must be a table")
      end
    end
    t.lang, t.file, t.line = lang, file, line
    decl.lexicons[#decl.lexicons + 1] = t
  end)
end, no_table)

-- What docrules validate checks beyond the facts -------------------------

-- required_keys { "title", { "ms.date", "date" } }: front-matter keys every
-- doc with front matter must have; a list means any one of them.
base.required_keys = declaration("required_keys", function(file, line, t)
  if type(t) ~= "table" then fail("required_keys needs a list of keys") end
  for _, k in ipairs(t) do
    local alts = type(k) == "table" and k or { k }
    for _, a in ipairs(alts) do
      if type(a) ~= "string" then fail("required_keys: keys are strings") end
    end
    decl.required[#decl.required + 1] = { alts = alts, file = file, line = line }
  end
end)

-- artifact "id" { message = "...", en = { patterns }, nl = { ... } }: a
-- machine-translation artifact, reported at each occurrence.
base.artifact = declaration("artifact", function(file, line, id)
  return then_table(file, line, function(t)
    if type(t) ~= "table" or type(t.message) ~= "string" then
      fail("artifact \"" .. tostring(id) .. "\" needs { message = \"...\", lang = { patterns } }")
    end
    t.id, t.file, t.line = id, file, line
    decl.artifacts[#decl.artifacts + 1] = t
  end)
end, no_table)

-- Accounts ------------------------------------------------------------------
--
-- What an account may hold, declared in rules/ (rules/accounts.lua):
--   actions { "cancel-subscription", ... }   what can be asked
--   roles { "account_admin", ... }           what an actor can be
--   product "office365" { aliases = { "microsoft365" },
--                         fields = { { "assigned_licenses", "count" }, ... } }
-- Every account has id, product, date, locale, action and actor.roles (the
-- engine's own); a product adds its fields, each a dotted path and a kind.
-- engine/contract.c builds the account checks from these lists.

-- The kinds a field can be: engine/contract.c's list, which reads them.
local field_kinds, kinds_said = {}, nil
do
  local list = dr.field_kinds
  for _, k in ipairs(list) do field_kinds[k] = true end
  kinds_said = table.concat(list, ", ", 1, #list - 1) .. " or " .. list[#list]
end
-- The engine's own fields: every account's, declared by no product.
local base_fields = { id = true, product = true, date = true, locale = true, action = true,
                      actor = true, ["actor.roles"] = true }

local function string_list(v)
  if type(v) ~= "table" or #v == 0 then return false end
  for _, x in ipairs(v) do
    if type(x) ~= "string" or x == "" then return false end
  end
  return true
end

base.actions = declaration("actions", function(file, line, t)
  if not string_list(t) then fail("actions needs a list of names: actions { \"cancel-subscription\" }") end
  for _, name in ipairs(t) do decl.actions[#decl.actions + 1] = { name = name, file = file, line = line } end
end)

base.roles = declaration("roles", function(file, line, t)
  if not string_list(t) then fail("roles needs a list of names: roles { \"global_admin\" }") end
  for _, name in ipairs(t) do decl.roles[#decl.roles + 1] = { name = name, file = file, line = line } end
end)

-- A field { "path", "kind", ... }, or a list of them (a group several
-- products share), flattened into out.
local function add_fields(product, list, out, seen, file, line)
  for i, f in ipairs(list) do
    if type(f) == "table" and type(f[1]) == "table" then
      add_fields(product, f, out, seen, file, line)
    else
      local what = "product \"" .. product .. "\": field " .. i
      if type(f) ~= "table" or type(f[1]) ~= "string" then
        fail(what .. " must be { \"path\", \"kind\" }")
      end
      local path, kind = f[1], f[2]
      what = "product \"" .. product .. "\": field " .. path
      -- Its shape (names between dots) is checked by engine/contract.c.
      if path == "" then fail(what .. " has no path") end
      if base_fields[path] then fail(what .. " is every account's own: a product does not declare it") end
      if seen[path] then fail(what .. " is declared twice") end
      if not field_kinds[kind] then
        fail(what .. ": kind must be " .. kinds_said .. ", not " .. tostring(kind))
      end
      if kind == "one of" and not string_list(f[3]) then
        fail(what .. ": one of needs the list of values: { \"" .. path .. "\", \"one of\", { \"a\", \"b\" } }")
      end
      if kind == "money" and type(f.currency) ~= "string" then
        fail(what .. ": money needs currency = \"the path of its currency\"")
      end
      if f.after ~= nil and (kind ~= "date" or type(f.after) ~= "string") then
        fail(what .. ": after = \"path\" is for a date that must follow another")
      end
      seen[path] = true
      out[#out + 1] = { path = path, kind = kind, values = f[3], currency = f.currency, after = f.after,
                        file = file, line = line }
    end
  end
end

base.product = declaration("product", function(file, line, name)
  if type(name) ~= "string" or name == "" then fail("product needs a name: product \"office365\" { ... }") end
  return then_table(file, line, function(t)
    if type(t) ~= "table" then fail("product \"" .. name .. "\" needs a table { fields = { ... } }") end
    if t.aliases ~= nil and not string_list(t.aliases) then
      fail("product \"" .. name .. "\": aliases is a list of names")
    end
    if t.fields ~= nil and type(t.fields) ~= "table" then
      fail("product \"" .. name .. "\": fields is a list of { \"path\", \"kind\" }")
    end
    local fields, seen = {}, {}
    add_fields(name, t.fields or {}, fields, seen, file, line)
    -- A money field's currency and a date's predecessor are fields too.
    for _, f in ipairs(fields) do
      for _, other in ipairs({ f.currency, f.after }) do
        if not seen[other] then
          fail("product \"" .. name .. "\": field " .. f.path .. " names " .. other .. ", which it does not declare")
        end
      end
    end
    decl.products[#decl.products + 1] = { name = name, aliases = t.aliases or {}, fields = fields,
                                          file = file, line = line }
  end)
end, no_table)

-- "a, b or c"
local function said_list(names)
  if #names <= 1 then return names[1] or "none" end
  return table.concat(names, ", ", 1, #names - 1) .. " or " .. names[#names]
end

-- After every script has loaded (declarations may come in any file): the
-- products, actions and roles are each declared once, and every policy
-- names a product and action declared, and inputs its product has. The
-- problems, each at its place: { { file, line, message } ... }.
local function check_accounts(contract_built)
  local function problem(file, line, msg)
    problems[#problems + 1] = { file = file, line = line, message = msg }
  end
  -- A fixed list of roles is checked against the roles declared, which
  -- are all known only now.
  if contract_built then
    for _, r in ipairs(decl.rules) do
      local v = r.required_roles
      if v ~= nil and type(v) ~= "function" and type(v) ~= "string" then
        local bad = dr.check_field("required_roles", v)
        if bad then problem(r.file, r.line, "rule " .. r.id .. ": " .. bad) end
      end
    end
  end
  local products, alias_of, names, actions, action_names = {}, {}, {}, {}, {}
  for _, p in ipairs(decl.products) do
    for _, n in ipairs({ p.name, table.unpack(p.aliases) }) do
      local first = products[n] or alias_of[n]
      if first then
        problem(p.file, p.line, "product " .. n .. " is already declared at " .. first.file .. ":" .. first.line)
      end
    end
    products[p.name] = p
    for _, a in ipairs(p.aliases) do alias_of[a] = p end
    names[#names + 1] = p.name
  end
  for _, a in ipairs(decl.actions) do
    if actions[a.name] then
      problem(a.file, a.line, "action " .. a.name .. " is already declared at " .. actions[a.name].file .. ":" ..
              actions[a.name].line)
    end
    actions[a.name] = a
    action_names[#action_names + 1] = a.name
  end
  local roles = {}
  for _, r in ipairs(decl.roles) do
    if roles[r.name] then problem(r.file, r.line, "role " .. r.name .. " is already declared") end
    roles[r.name] = true
  end
  if #decl.policies > 0 and #decl.products == 0 then
    local p = decl.policies[1]
    problem(p.file, p.line, "no product is declared: rules/accounts.lua declares them (product \"...\" { fields = ... })")
    return
  end
  for _, p in ipairs(decl.policies) do
    local prod = products[p.product]
    if not prod then
      local other = alias_of[p.product]
      problem(p.file, p.line, other and ("policy " .. p.id .. ": " .. p.product .. " is another name of " ..
              other.name .. ": name the product " .. other.name) or
              ("policy " .. p.id .. ": unknown product " .. p.product .. " (declared: " ..
               said_list(names) .. ")"))
    end
    if not actions[p.action] then
      problem(p.file, p.line, "policy " .. p.id .. ": unknown action " .. p.action .. " (declared: " ..
              said_list(action_names) .. ")")
    end
    if prod then
      local has = {}
      for _, f in ipairs(prod.fields) do has[f.path] = true end
      for _, r in ipairs(inner[p].rules) do
        for i, path in ipairs(r.inputs or {}) do
          if not (has[path] or base_fields[path]) then
            problem(r.file, r.line, "rule " .. r.id .. ": input " .. i .. " (" .. tostring(path) ..
                    ") is not a field of " .. prod.name .. " accounts (rules/accounts.lua declares them)")
          end
        end
      end
    end
  end
end

local Policy = {}
Policy.__index = Policy
-- getmetatable(p) must not hand a script the methods every policy shares.
Policy.__metatable = false

-- (engine/output.c holds the contract's decisions)
local rule_decision = dr.rule_decision

-- A policy as declared, not yet among the policies that decide; used:
-- each shared rule the policy uses -> where it says so.
local function new_policy(t, file, line)
  local p = setmetatable({ id = t.id, product = t.product, action = t.action,
                           channels = t.channels or {}, file = file, line = line }, Policy)
  -- What decisions read of the policy is kept here, out of the script's
  -- reach: p.id or p.channels set to something else later (a table whose
  -- __concat runs code in a message) changes none of them. The channels
  -- are checked once every fact is declared (check_facts).
  local channels = {}
  if type(t.channels) == "table" then
    for ch, name in next, t.channels do channels[ch] = name end
  end
  inner[p] = { rules = {}, computes = {}, used = {}, id = t.id, declared_channels = channels }
  return p
end

base.policy = declaration("policy", function(file, line, t)
  if type(t) ~= "table" then fail("policy needs a table { id = \"...\", product = \"...\", action = \"...\" }") end
  -- Read once, raw: an __index could give one value to the check and
  -- another (a table whose __concat runs code) to what is kept.
  t = { id = rawget(t, "id"), product = rawget(t, "product"), action = rawget(t, "action"),
        channels = rawget(t, "channels") }
  for _, k in ipairs({ "id", "product", "action" }) do
    if type(t[k]) ~= "string" then fail("policy needs " .. k .. " = \"...\"") end
  end
  if t.channels ~= nil and type(t.channels) ~= "table" then
    fail("policy channels must be a table { portal = \"portal_procedure\", ... }")
  end
  local p = new_policy(t, file, line)
  local key = t.product .. "/" .. t.action
  if policy_by_key[key] then
    fail("a policy for " .. key .. " is already declared at " .. policy_by_key[key].file ..
         ":" .. policy_by_key[key].line)
  end
  policy_by_key[key] = p
  policies_for[t.product] = policies_for[t.product] or {}
  policies_for[t.product][t.action] = p
  decl.policies[#decl.policies + 1] = p
  return p
end, function(file, line, t)
  -- A policy that does not decide, so that the script's rules are still
  -- checked (and said wrong) after a wrong policy declaration.
  return new_policy(type(t) == "table" and t or {}, file, line)
end)

-- p:rule and the other methods, called p.rule { ... } (a dot for the
-- colon) get the rule table as the policy.
local function check_policy(self, method)
  if inner[self] == nil then
    fail("write p:" .. method .. " { ... }, with a colon: p." .. method .. " does not say which policy")
  end
end

-- Rule and compute ids, across every policy: a decision's reasons name
-- rules by id, so two of one id would make a reason ambiguous.
local declared_ids = {}

local function check_uses(t, what, file, line)
  if type(t) ~= "table" then fail(what .. " needs a table { id = \"...\", uses = {...}, ... }") end
  if type(t.id) ~= "string" then fail(what .. " needs id = \"...\"") end
  local before = declared_ids[t.id]
  if before then
    fail(what .. " id " .. t.id .. " is already declared at " .. before[1] .. ":" .. before[2])
  end
  declared_ids[t.id] = { file, line }
  if type(t.uses) == "string" then t.uses = { t.uses } end
  if type(t.optional) == "string" then t.optional = { t.optional } end
  t.optional = t.optional or {}
  if type(t.uses) ~= "table" then
    fail(what .. " " .. t.id .. " needs uses = { \"fact\", ... }: the facts it rests on")
  end
end

-- A condition is a function, or a list of { "what it checks", function }
-- so that --explain can say which part held.
local function conditions(t, what)
  local w = t.when
  if w == nil then return {} end
  if type(w) == "function" then return { { "when", w } } end
  if type(w) ~= "table" then fail(what .. " " .. t.id .. ": when must be a function or a list") end
  for i, c in ipairs(w) do
    if type(c) ~= "table" or type(c[1]) ~= "string" or type(c[2]) ~= "function" then
      fail(what .. " " .. t.id .. ": condition " .. i .. " must be { \"label\", function(a, f) ... end }")
    end
  end
  return w
end

-- A rule's verdict as declared, kept where rule scripts cannot reach it:
-- a rule that changed its own table while deciding would otherwise
-- decide differently from one query to another. Lists of names are
-- copied and marked for C, which writes their JSON once.
local declared = setmetatable({}, { __mode = "k" })

-- v as declared: a copy when it is a table of plain values; the table
-- itself (and false) when it holds tables or functions.
local function freeze(v)
  if type(v) ~= "table" then return v, true end
  local copy = {}
  for k, x in pairs(v) do
    local tx = type(x)
    if tx ~= "string" and tx ~= "number" and tx ~= "boolean" then return v, false end
    copy[k] = x
  end
  return dr.frozen(copy), true
end

-- inputs = { "assigned_licenses", ... }: the account fields a rule's
-- conditions read. An account without one of them gets needs_input, with
-- the list, rather than a condition run on a value nobody gave.
local function check_inputs(t)
  local ins = t.inputs
  if ins == nil then return end
  if type(ins) == "string" then ins = { ins }; t.inputs = ins end
  if type(ins) ~= "table" then fail("rule " .. t.id .. ": inputs must be a list of account fields") end
  for i, path in ipairs(ins) do
    -- Whether the product has the field is known once every script has
    -- loaded (check_accounts).
    if type(path) ~= "string" then
      fail("rule " .. t.id .. ": input " .. i .. " must be an account field's path (\"tenant.users\")")
    end
  end
end

-- A rule's checks, and what is kept of it as declared; then add(t) puts it
-- where it belongs (a policy's rules, the shared rules).
-- What the engine keeps of a rule or compute is its own copy of the table
-- the script wrote (its lists and tables too; functions are the script's):
-- the script keeps its table, and changing it later (r.because = ...,
-- r.uses[1] = ..., while deciding even) changes no decision. Read raw, so
-- a metatable the script set is not asked either. script table -> copy.
local private_of = setmetatable({}, { __mode = "k" })
local function private_copy(v, depth)
  if type(v) ~= "table" then return v end
  if depth > 8 then fail("a rule's tables nest more than 8 deep (or hold themselves)") end
  local c = {}
  for k, x in next, v do c[k] = private_copy(x, depth + 1) end
  return c
end

-- A fixed because is the reason's words in every decision, and a fixed
-- steps_from the procedure's name: checked once, here, so that neither
-- fails only when a query writes it (engine/lean.c does not read them).
-- Words with places ("{a.assigned_licenses} is fewer than
-- {f.online_cancel_max_licenses}", engine/words.c fills them) name only
-- what the rule rests on: a fact in its uses, a field in its inputs, so
-- that each has a value whenever the rule holds. t.because_places says it
-- has places, t.because_from_account that one is the account's: such words
-- are made each decision, as a function's are.
local MAX_BECAUSE = dr.max_because
local places = dr.places
local function check_places(t, what, b)
  local uses, inputs = {}, {}
  for _, name in ipairs(t.uses) do uses[name] = true end
  for _, path in ipairs(t.inputs or {}) do inputs[path] = true end
  t.because_places, t.because_from_account = nil, nil
  for _, pl in ipairs(places(b)) do
    local shown = "{" .. pl.from .. "." .. pl.path .. "}"
    if pl.from == "f" and not uses[pl.path] then
      fail(what .. " " .. t.id .. ": because says " .. shown .. ", which is not in its uses " ..
           "(words name the facts the rule rests on; an optional one may be missing: use a function)")
    elseif pl.from == "a" and not inputs[pl.path] then
      fail(what .. " " .. t.id .. ": because says " .. shown .. ", which is not in its inputs " ..
           (what == "rule" and "(words name the account fields the rule needs, so that each has a value)"
                            or "(a compute has no inputs: use a function)"))
    elseif pl.from == "a" and pl.path == "actor" then
      -- The one input that is an object (base_fields; a product's fields
      -- are values): words.c cannot say it, so every decision the rule
      -- made would fail. Refused here, as a place without a value is.
      fail(what .. " " .. t.id .. ": because says " .. shown .. ", which is an object, which words cannot say " ..
           "(name a field in it, {a.actor.roles}, or use a function)")
    end
    t.because_places = true
    if pl.from == "a" then t.because_from_account = true end
  end
end

local function check_words(t, what)
  local b = t.because
  if b ~= nil and type(b) ~= "function" then
    if type(b) ~= "string" then fail(what .. " " .. t.id .. ": because must be a string or a function, not a " .. type(b)) end
    if #b > MAX_BECAUSE then
      fail(what .. " " .. t.id .. ": because is " .. #b .. " bytes; a reason is at most " .. MAX_BECAUSE)
    end
    check_places(t, what, b)
  else
    t.because_places, t.because_from_account = nil, nil
  end
  local s = t.steps_from
  if s ~= nil and type(s) ~= "function" and type(s) ~= "string" then
    fail(what .. " " .. t.id .. ": steps_from must be a procedure fact's name or a function, not a " .. type(s))
  end
end

local function declare_rule(t, file, line, add)
  local orig = t
  t = private_copy(t, 0)
  if type(orig) == "table" then private_of[orig] = t end
  check_uses(t, "rule", file, line)
  t.file, t.line = file, line
  check_inputs(t)
  check_words(t, "rule")
  -- required_roles = "close_roles": the roles that fact lists in the docs
  -- in force, as steps_from names a procedure fact. Read where the rule is
  -- planned for a day and language (plan_of), once.
  if type(t.required_roles) == "string" then
    local named = false
    for _, name in ipairs(t.uses) do named = named or name == t.required_roles end
    if not named then
      fail("rule " .. t.id .. ": required_roles names fact " .. t.required_roles .. ", which is not in its uses")
    end
  end
  local bad = rule_decision(t.decision)
  if bad then fail("rule " .. t.id .. ": " .. bad) end
  t.conds = conditions(t, "rule")
  -- Fixed lists are checked once, here (roles once every script has
  -- declared them: check_accounts); functions' results when they run.
  for _, k in ipairs({ "channels", "remedies" }) do
    local v = t[k]
    if v ~= nil and type(v) ~= "function" then
      local bad = dr.check_field(k, v)
      if bad then fail("rule " .. t.id .. ": " .. bad) end
    end
  end
  local channels, plain_channels = freeze(t.channels)
  local roles, plain_roles = freeze(t.required_roles)
  declared[t] = { decision = t.decision, channels = channels, required_roles = roles,
                  plain = plain_channels and plain_roles }
  decl.rules[#decl.rules + 1] = t
  add(t)
  return orig
end

Policy.rule = declaration("rule", function(file, line, self, t)
  check_policy(self, "rule")
  local rules = inner[self].rules
  return declare_rule(t, file, line, function(r) rules[#rules + 1] = r end)
end, function(_, _, _, t) return t end)

-- shared_rule { id = ..., uses = ..., when = ..., decision = ..., ... }: a
-- rule declared once, as p:rule declares one, and tried by each policy
-- where it says p:use("id"). Its id, file and line stay its own in every
-- policy, so a decision names the definition that decided and coverage
-- counts it once.
local shared_rules = {}   -- id -> the rule
local is_shared = setmetatable({}, { __mode = "k" })
-- Ids of shared rules that did not load: already said wrong, so a p:use
-- of one is not a second problem.
local broken_shared = {}

base.shared_rule = declaration("shared_rule", function(file, line, t)
  if type(t) ~= "table" then fail("shared_rule needs a table { id = \"...\", uses = {...}, ... }") end
  return declare_rule(t, file, line, function(r) shared_rules[r.id], is_shared[r] = r, true end)
end, function(_, _, t)
  if type(t) == "table" and type(t.id) == "string" then broken_shared[t.id] = true end
  return t
end)

-- What a policy may say in its own words when it uses a shared rule: the
-- rest (conditions, facts, decision) is the definition's.
local own_words = { because = true }

-- p:use("id"), or p:use(the value shared_rule returned): that shared rule
-- is tried here, between the rules declared before and after this line.
-- p:use("id", { because = ... }): the same rule, with this policy's
-- message in its reasons.
Policy.use = declaration("p:use", function(file, line, self, x, words)
  check_policy(self, "use")
  local r = private_of[x] or shared_rules[x]
  if r ~= nil and not is_shared[r] then r = nil end
  if not r and broken_shared[x] then return end
  if not r then
    fail("p:use: no shared_rule \"" .. tostring(x) .. "\" is declared before this line " ..
         "(shared rules go in rules/shared/, which loads before the policies)")
  end
  local at = inner[self].used[r]
  if at then fail("shared rule " .. r.id .. " is already used by policy " .. tostring(self.id) .. " at " .. at) end
  inner[self].used[r] = file .. ":" .. line
  if words ~= nil then
    if type(words) ~= "table" then fail("p:use(\"" .. r.id .. "\", { because = ... }): a table") end
    for k in pairs(words) do
      if not own_words[k] then
        fail("p:use(\"" .. r.id .. "\"): " .. tostring(k) .. " is the shared rule's; only because may be the policy's own")
      end
    end
    -- A copy with the policy's words, and the definition's id, place,
    -- conditions and verdict: it is not in decl.rules, the definition is.
    local own = {}
    for k, v in pairs(r) do own[k] = v end
    own.because = words.because
    check_words(own, "rule")
    declared[own] = declared[r]
    r = own
  end
  local rules = inner[self].rules
  rules[#rules + 1] = r
end)

Policy.compute = declaration("compute", function(file, line, self, t)
  check_policy(self, "compute")
  local orig = t
  t = private_copy(t, 0)
  check_uses(t, "compute", file, line)
  t.file, t.line = file, line
  if t.inputs ~= nil then fail("compute " .. t.id .. ": inputs are for rules (a compute reads what is there)") end
  check_words(t, "compute")
  if type(t.set) ~= "function" then fail("compute " .. t.id .. " needs set = function(a, f) ... end") end
  -- The fields beyond the contract's that set may add: declared, so that
  -- a misspelled field (refnud) is an error, not a new field, and so that
  -- --fields knows every name a decision can have.
  if t.adds ~= nil then
    if type(t.adds) ~= "table" then fail("compute " .. t.id .. ": adds is a list of field names") end
    for i, k in ipairs(t.adds) do
      if type(k) ~= "string" or k == "" or not dr.field_name(k) then
        fail("compute " .. t.id .. ": adds[" .. i .. "] is not a field name")
      end
      if dr.decision_field(k) then
        fail("compute " .. t.id .. ": adds names " .. k .. ", which the contract already has")
      end
      if dr.service_field(k) then
        fail("compute " .. t.id .. ": adds names " .. k .. ", which the decision service writes into every decision")
      end
      if dr.money_name(k) then
        fail("compute " .. t.id .. ": adds names " .. k .. ", which is money: money goes in an object " ..
             "beside its currency ({ " .. k .. " = \"12.50\", currency = \"USD\" })")
      end
      decl.added[k] = true
    end
  end
  t.conds = conditions(t, "compute")
  decl.rules[#decl.rules + 1] = t
  local computes = inner[self].computes
  computes[#computes + 1] = t
  return orig
end, function(_, _, _, t) return t end)

-- A case is checked as it loads, at its line: a misspelled key (expected)
-- or a day that is no day would otherwise pass without testing anything.
local case_keys = { name = true, account = true, expect = true, as_of = true, locale = true }

-- A case's account and expect go to the engine as JSON: what JSON cannot
-- hold would be written as something else (a function as "function", 0/0
-- as null, a list with holes as {}) and names past an object's 64 dropped,
-- so that a case expecting a wrong decision passed. Said at the case's
-- line instead, with the value's path (dr.json_problem, in C: engine/json.c).
local json_problem = dr.json_problem
base.case = declaration("case", function(file, line, t)
  if type(t) ~= "table" then fail("case needs { name = ..., account = {...}, expect = {...} }") end
  local what = type(t.name) == "string" and t.name ~= "" and "case \"" .. t.name .. "\"" or "case"
  -- A misspelled key first: "expected = {...}" is why expect is missing,
  -- and the first of them by name, so the message is the same every run.
  local odd
  for k in pairs(t) do
    if not case_keys[k] and (odd == nil or tostring(k) < tostring(odd)) then odd = k end
  end
  if odd ~= nil then
    fail(what .. ": " .. tostring(odd) .. " is not a key of a case (name, account, expect, as_of, locale)")
  end
  if type(t.account) ~= "table" or type(t.expect) ~= "table" then
    fail("case needs { name = ..., account = {...}, expect = {...} }")
  end
  if type(t.name) ~= "string" or t.name == "" then
    fail("case needs a name = \"what it shows\", which its results are reported by")
  end
  local problem = json_problem(t.account, "account") or json_problem(t.expect, "expect")
  if problem then fail(what .. ": " .. problem) end
  if next(t.expect) == nil then fail(what .. ": expect is empty: a case expects at least one field of the decision") end
  local at = decl.case_at[t.name]
  -- The same file named twice (docrules test rules/tests rules/tests/x.lua):
  -- its cases once, not an error at their own place.
  if at == file .. ":" .. line then return end
  if at then fail(what .. " is already declared at " .. at) end
  if t.as_of ~= nil and (type(t.as_of) ~= "string" or not pcall(dr.date, t.as_of)) then
    fail(what .. ": as_of is " .. (type(t.as_of) == "string" and "\"" .. t.as_of .. "\"" or "a " .. type(t.as_of)) ..
         ", not a date YYYY-MM-DD")
  end
  if t.locale ~= nil then
    local bad = type(t.locale) ~= "string" and "is a " .. type(t.locale) .. ", not a language tag" or
                dr.language_problem(t.locale)
    if bad then fail(what .. ": locale " .. (type(t.locale) == "string" and "\"" .. t.locale .. "\" " or "") .. bad) end
  end
  decl.case_at[t.name] = file .. ":" .. line
  t.file, t.line = file, line
  decl.cases[#decl.cases + 1] = t
end)

-- Evaluation --------------------------------------------------------------

-- The facts a rule may read: exactly its uses. Reading another one is an
-- error that names the rule, so a rule cannot rest on a fact silently.

-- A view's metatable -> { its numbers and words, its lists' getter, its
-- refusal of facts not in the rule's uses }, for the watching proxies of
-- --explain (watch, below), which read a view themselves: the metatable is
-- hidden from rules.
local strict_index = setmetatable({}, { __mode = "k" })
local real_mt, view_lists, view_pairs = dr.real_mt, dr.view_lists, dr.view_pairs

-- The __newindex of views and of their lists: a rule's facts are
-- read-only (the error names the line that wrote).
local function refuse_write(_, k)
  error("facts are read-only: a rule cannot write \"" .. tostring(k) .. "\"", 2)
end
local list_mt = { __metatable = false, __newindex = refuse_write }

-- rawset would go past __newindex: on a rule's facts (a view, one of its
-- lists) it is refused as a write is.
local rawset_ = rawset
function base.rawset(t, k, v)
  if unsafe_keys[k] then error(unsafe_keys[k], 2) end
  local m = real_mt(t)
  local of = m ~= nil and rawget(m, "__real")
  if of then m = real_mt(of) end -- --explain's proxy of the table (watch, below)
  if m ~= nil and (m == list_mt or strict_index[m] ~= nil) then return refuse_write(t, k) end
  return rawset_(t, k, v)
end

-- What is made once for a day's facts (a context's values, or its meta)
-- and kept as long as that context is: each rule's view, each policy's
-- plan, each rule's citations (cited, below). Keyed weakly by the values
-- or meta, so that a context engine/lualib.c's cache drops takes them
-- along. A batch in seven languages goes back and forth
-- between seven contexts, and one slot per rule made them again on
-- nearly every account (a third of a decision's instructions).
local made_for = setmetatable({}, { __mode = "k" })
local function made(t)
  local m = made_for[t]
  if not m then
    m = {}
    made_for[t] = m
  end
  return m
end

-- A rule's view is kept for every account decided on the same day's facts
-- and handed to each of its functions: it must come out of a decision as
-- it went in, or an account's decision would depend on the accounts
-- before it (and -j 2 differ from -j 1). So it holds nothing of its own:
-- it reads the numbers and words through __index from a table the rule
-- never sees, and refuses writes; a list (roles) comes from
-- engine/views.c, the decision's own copy, set back to the docs' list the
-- first time each decision reads it. What a rule does to a list lasts
-- for the rest of its decision, never into the next.
-- (Kept in made_for alone: plan_of asks once per policy and day's facts,
-- and no_rule_says only when no rule decided.)
local function view(r, values)
  local m = made(values)
  local kept = m[r]
  if kept then return kept[1], kept[2] end
  local missing, v
  local words, lists, names = {}, {}, {}
  local function put(name, x)
    if x == nil or words[name] ~= nil or lists[name] ~= nil then return end
    -- (a list is given to engine/views.c as the docs have it: the rule
    -- only ever sees that file's copies of it)
    if type(x) == "table" then lists[name] = x else words[name] = x end
    names[#names + 1] = name
  end
  for _, name in ipairs(r.uses) do
    local x = values[name]
    if x == nil then
      missing = missing or {}
      missing[#missing + 1] = name
    end
    put(name, x)
  end
  local allowed = {}
  for _, name in ipairs(r.uses) do allowed[name] = true end
  for _, name in ipairs(r.optional) do
    allowed[name] = true
    put(name, values[name])
  end
  -- Reading a fact not named is an error; reading an optional one that the
  -- version does not state is nil.
  -- (level: that of the rule's function, 2 when called as __index)
  local function unnamed(_, k, level)
    if allowed[k] then return nil end
    error("rule " .. r.id .. " reads fact \"" .. tostring(k) ..
          "\", which is not in its uses", level or 2)
  end
  -- The lists, and the facts it may read that these docs do not state
  -- (nil), through engine/views.c, which calls unnamed for another name.
  local list_of = view_lists(lists, list_mt, unnamed, allowed)
  setmetatable(words, { __metatable = false, __index = list_of })
  -- pairs(f): the facts in the order of uses, then optional (C, as next
  -- is: walking them costs the rule no instructions of its own).
  local mt = { __metatable = false, __index = words, __newindex = refuse_write,
               __pairs = view_pairs(names) }
  v = setmetatable({}, mt)
  strict_index[mt] = { words, list_of, unnamed, lists }
  m[r] = { v, missing }
  return v, missing
end

-- What a condition compared, for --explain --------------------------------
--
-- "[false] fewer assigned licenses than the online limit" does not say
-- that 30 was compared with 25. Under a trace, each condition runs on
-- watching proxies of a and f (watch, below) that note every value it
-- reads: the path, as the rule wrote it (subscription.type,
-- f.close_roles), and the value. Only under a trace: a proxy costs a Lua
-- call a read, and the decision path stays the plain tables. Proxies run
-- under the same instruction budget and memory cap as the condition.

local null = dr.null -- a value the condition found absent: JSON null
local math_type = math.type
-- A table noted whole (read, never read into) is copied up to this many
-- entries, so that a record stays small whatever the account holds.
local NOTE_ENTRIES = 64
-- What a trace holds of one condition: at most this many values read, and
-- of each string (a value, a key, a path) this many bytes, whole UTF-8
-- characters; a note cut says truncated, a condition that read more says
-- compared_truncated. A trace is words for a reader: unbounded, a
-- condition reading 600 strings of a megabyte made --explain write 600 MB.
local NOTE_PATHS, NOTE_BYTES = 64, 200
-- And what the trace of one decision holds of all its conditions: values
-- noted and entries of tables copied, together. Bounded per condition
-- only, a rule reading 64 tables of 64 entries in each of many conditions
-- made one decision's trace 19 MB, or ran it out of memory: an error
-- under --explain where the decision without it was allow (a review's
-- finding). Now 4,096 values of at most 200 bytes, each under a name of
-- at most 200: under 2 MB of JSON.
local TRACE_VALUES = 4096

local function clip_string(s)
  if #s <= NOTE_BYTES then return s, false end
  local n = NOTE_BYTES
  while n > 0 and s:byte(n + 1) & 0xC0 == 0x80 do n = n - 1 end
  return s:sub(1, n), true
end

-- v as a trace holds it: strings clipped, a table's entries too, and at
-- most NOTE_ENTRIES of them (a list's first ones: its positions come
-- first); and how many entries the copy holds, nested ones too.
local function clip(v)
  if type(v) == "string" then
    local c, cut = clip_string(v)
    return c, cut, 0
  end
  if type(v) ~= "table" then return v, false, 0 end
  local c, cut, count, held = {}, false, 0, 0
  for k, x in next, v do
    count = count + 1
    if count > NOTE_ENTRIES then
      cut = true
      break
    end
    local kc, xc, xn = false, false, 0
    if type(k) == "string" then k, kc = clip_string(k) end
    x, xc, xn = clip(x)
    c[k] = x
    held = held + 1 + xn
    cut = cut or kc or xc
  end
  return c, cut, held
end

local function child_path(path, k)
  if math_type(k) == "integer" then return path .. "[" .. k .. "]" end
  if type(k) ~= "string" then return path .. "[" .. type(k) .. "]" end
  if path == "" then return k end
  return path .. "." .. k
end

-- A copy of t when it is a list of values none of which is a table (the
-- roles, a set fact), else nil: such a list is noted whole, as the value
-- it is, rather than item by item, and the condition gets the list itself
-- (has_role and table.concat read it as they always do). Raw reads: a
-- metatable a condition set cannot run here.
local function scalar_list(t)
  local n, count, c = rawlen(t), 0, {}
  for k, v in next, t do
    if type(v) == "table" or math_type(k) ~= "integer" or k < 1 or k > n then return nil end
    count = count + 1
    c[k] = v
  end
  return count == n and c or nil
end

-- A copy of a table the condition read but never read into (it tested
-- it against nil, or passed it along), of at most left[1] entries in all;
-- left.cut says when some were left out. Counting tables too: a cycle a
-- condition made ends.
local function bounded_copy(t, left)
  local c = {}
  for k, v in next, t do
    if left[1] <= 0 then
      left.cut = true
      break
    end
    left[1] = left[1] - 1
    if type(v) == "table" then v = bounded_copy(v, left) end
    c[k] = v
  end
  return c
end

-- watch(a, f, left) -> proxies of a and f, and done(), which gives what the
-- condition read through them: { { path = , value = }, ... } in the order
-- first read, each path once. A leaf is noted; a table that is read into
-- is not (its leaves are), one that is not is noted whole.
local function watch(a, f, left)
  local notes, by_path = {}, {}
  -- table -> its proxy; proxy -> its table; tables read into; note ->
  -- the table it will copy unless read into; lists noted whole.
  local proxies, real, opened, whole, listed = {}, {}, {}, {}, {}

  -- (whole: a table noted whole, which done() copies boundedly or drops:
  -- not clipped here, where it is live and may be a cycle or a vast tree)
  local function note(path, v, whole)
    if by_path[path] then return nil end
    if #notes == NOTE_PATHS or left[1] <= 0 then
      notes.cut = true
      return nil
    end
    left[1] = left[1] - 1
    local p, pc = clip_string(path)
    local value, vc, held = v, false, 0
    if not whole then value, vc, held = clip(v) end
    left[1] = left[1] - held
    local n = { path = p, value = value == nil and null or value, truncated = (pc or vc) or nil }
    by_path[path] = n
    notes[#notes + 1] = n
    return n
  end

  local proxy
  -- What reading t[k] (t at path) gives the condition: v, noted, or the
  -- proxy of v. A table read again is not looked at again: a condition
  -- that asks has_role in a loop copies the roles once.
  local function read(path, k, v)
    if type(v) ~= "table" then
      note(child_path(path, k), v)
      return v
    end
    local seen = proxies[v]
    if seen or listed[v] then return seen or v end
    local p = child_path(path, k)
    local list = scalar_list(v)
    if list then
      listed[v] = true
      note(p, list)
      return v
    end
    local n = note(p, v, true)
    if n then whole[n] = v end
    return proxy(v, p)
  end

  local function index(t, path, k)
    opened[t] = true
    local v = rawget(t, k)
    if v ~= nil then return read(path, k, v) end
    local mt = real_mt(t)
    local s = mt and strict_index[mt]
    if s then -- a rule's facts (view, above)
      v = rawget(s[1], k)
      if v == nil and s[4][k] ~= nil then v = s[2](s[1], k) end
      if v ~= nil then return read(path, k, v) end
      note(child_path(path, k), nil)
      -- A tail call, so that the error for a fact not in uses names the
      -- condition's line, as it does without a trace.
      return s[3](t, k)
    end
    v = t[k] -- an __index a condition gave the table
    if v ~= nil then return read(path, k, v) end
    -- ipairs ends on the first index past the list: not a compared value.
    if not (math_type(k) == "integer" and k > rawlen(t)) then note(child_path(path, k), nil) end
    return nil
  end

  function proxy(t, path)
    local p = proxies[t]
    if p then return p end
    -- (__real: what rawset on the proxy is taken to mean, base.rawset)
    local mt = { __metatable = getmetatable(t) or false, __real = t }
    mt.__index = function(_, k) return index(t, path, k) end
    -- A write reaches the account or facts, as without a trace, and
    -- stores the table itself, never a proxy of it.
    mt.__newindex = function(_, k, v)
      if rawget(t, k) == nil then
        local m = real_mt(t)
        -- a rule's facts: refused at the rule's line, as without a trace
        if m and m.__newindex == refuse_write then return refuse_write(t, k) end
      end
      t[k] = real[v] or v
    end
    mt.__len = function()
      opened[t] = true
      local n = #t
      note("#" .. path, n)
      return n
    end
    mt.__pairs = function(self)
      opened[t] = true
      -- a rule's facts are walked as pairs walks them (view, above)
      local iter, state = next, t
      local tm = real_mt(t)
      if tm and strict_index[tm] then iter, state = tm.__pairs(t) end
      return function(_, k)
        local nk, v = iter(state, k)
        if nk == nil then return nil end
        return nk, read(path, nk, v)
      end, self, nil
    end
    p = setmetatable_({}, mt)
    proxies[t], real[p] = p, t
    return p
  end

  local function done()
    local out = {}
    for i = 1, #notes do
      local n = notes[i]
      local t = whole[n]
      if t == nil then
        out[#out + 1] = n
      elseif not opened[t] then
        local room = math.min(NOTE_ENTRIES, left[1])
        local copied = { room }
        local v, cut = clip(bounded_copy(t, copied)) -- (no more entries than copied)
        left[1] = left[1] - (room - copied[1])
        n.value = v
        n.truncated = (copied.cut or cut or n.truncated) or nil
        out[#out + 1] = n
      end
    end
    return out, notes.cut == true
  end

  return proxy(a, ""), proxy(f, "f"), done
end

-- What a rule (or compute) cites under one context: the sources of the
-- facts it rests on, the same for every decision, so made once and kept
-- with the context (made_for, keyed by its meta), and frozen: C writes
-- their JSON once.
local frozen = dr.frozen
local function cited(r, meta)
  local m = made(meta)
  local c = m[r]
  if c then return c end
  local sources = {}
  for _, list in ipairs({ r.uses, r.optional }) do
    for _, name in ipairs(list) do
      local x = meta[name]
      if x then sources[#sources + 1] = x end
    end
  end
  c = { sources = frozen(sources) }
  m[r] = c
  return c
end

local function cite(r, meta)
  return cited(r, meta).sources
end

-- The reason r gives, in words m (nil, or what said() returned). When its
-- words are fixed (because is not a function) the entry is the same for
-- every decision under the context: made once, and frozen.
local function reason(r, meta, m)
  local c = cited(r, meta)
  local x = c.reason
  if x and x.message == m and x.rule == r.id then return x end
  local src = c.sources
  x = { rule = r.id, message = m, source = src[1], sources = #src > 1 and src or nil }
  if type(r.because) ~= "function" and not r.because_from_account then
    c.reason = frozen(x)
    -- the words it was made from: engine/decide.c's kept_reason hands it
    -- out again while r's because is still these
    c.reason_because = r.because
  end
  return x
end

-- The facts, citations and procedure steps of one day and language:
-- engine/lualib.c makes them once and keeps them (the one cache, bounded).
local context = dr.context

-- A procedure's steps in the context's day and language: read once.
local function steps_of(c, fact)
  local st = c.steps[fact]
  if st == nil then
    st = dr.steps(fact, c.as_of, c.locale) or false
    c.steps[fact] = st
  end
  return st or nil
end

-- An account's language as the docs name it (lower case), for an account
-- that names one; bounded.
local lowered, nlowered = {}, 0
local lower = dr.safe_string.lower
local function locale_of(l)
  local k = lowered[l]
  if not k then
    k = lower(l)
    nlowered = nlowered + 1
    if nlowered > 256 then lowered, nlowered = {}, 1 end
    lowered[l] = k
  end
  return k
end

-- The action, policy (or nil) and language of a query for an account
-- with these fields: the query's action and language override the
-- account's own.
local default_action, default_locale = dr.default_action, dr.default_locale
local function resolve(q, product, a_action, a_locale)
  local action = q.action or a_action or default_action
  local byp = policies_for[product]
  local locale = q.locale or (a_locale and locale_of(a_locale)) or default_locale
  return action, byp and byp[action], locale
end

-- What a rule decides when that depends on nothing but the rule and the
-- day's facts (no function for channels, roles or because, no words with
-- an account's field in them (either may fail the decision), no remedies,
-- no steps_from):
-- { decision, channels, required_roles }, shared by every decision it
-- makes when neither reasons nor steps are asked for.
local no_channels = dr.frozen({})
local fill_words = dr.fill_words
local function fixed_verdict(r, roles, values)
  local v = declared[r]
  if not v.plain or type(v.channels) == "function" or type(v.required_roles) == "function" or
     type(r.because) == "function" or r.because_from_account or r.remedies ~= nil or r.steps_from ~= nil then
    return nil
  end
  -- Words from the facts alone are the same in every decision under
  -- these values: filled once here, they cannot fail in one of them.
  if r.because_places and not fill_words(r.because, values) then return nil end
  if type(v.required_roles) == "string" then
    -- the fact's list under this context, when it is one a decision can hold
    if type(roles) ~= "table" then return nil end
    return { v.decision, v.channels or no_channels, roles }
  end
  return { v.decision, v.channels or no_channels, v.required_roles }
end

-- The roles of a rule whose required_roles names a fact, under the
-- context's values: that list, checked as a function's result would be and
-- frozen (C writes its JSON once), or what is wrong with it (a string,
-- said at the rule's line when the rule decides); nil when the docs do not
-- state the fact (the rule is then passed over).
local function roles_from(r, values)
  local name = declared[r].required_roles
  if type(name) ~= "string" then return nil end
  local x = values[name]
  if x == nil then return nil end
  local bad = dr.check_field("required_roles", x)
  if bad then return bad end
  return (freeze(x)) -- checked: a list of role names, so a frozen copy
end

-- The rules of a policy with a day's facts, each as { rule, its facts,
-- its fixed verdict or false, condition, condition, ... }: the loop every
-- account goes through (engine/eval.c), in decide() and in engine/lean.c,
-- traced or not. A rule whose facts the day's docs lack is in it with the
-- list of them (e[-1], eval.c's E_MISSING): passed over, and said in a
-- trace. Made once per context (c, the day's facts in a language) and kept
-- in it (c.plans, which engine/decide.c reads first), so that it goes
-- when lualib.c's cache lets the context go.
local function plan_of(p, c)
  local plan = c.plans[p]
  if plan then return plan end
  local values = c.values
  plan = {}
  for _, r in ipairs(inner[p].rules) do
    local f, missing = view(r, values)
    local roles = roles_from(r, values)
    local e = { r, f, fixed_verdict(r, roles, values) or false }
    e[0] = r.inputs -- eval.c's E_INPUTS
    e[-1] = missing
    e[-2] = roles -- E_ROLES
    for k, c in ipairs(r.conds) do e[3 + k] = c[2] end
    plan[#plan + 1] = e
  end
  -- Its computes with their facts, { compute, its facts, the facts it
  -- lacks }, so that decide() does not look each view up per account.
  local computes = {}
  for k, cr in ipairs(inner[p].computes) do
    local f, missing = view(cr, values)
    computes[k] = { cr, f, missing }
  end
  plan.computes = computes
  plan.channels = inner[p].channels
  c.plans[p] = plan
  return plan
end

-- For a query that asks neither reasons, steps nor a trace, engine/lean.c
-- walks the plan itself: which rule holds is all there is to find, and a
-- loop in C costs a decision no VM instructions of its own. This gives it
-- that plan for accounts of one product, action and language as the
-- account names them (q overrides the last two):
--   { action, the account's three values (kept alive for C's cache),
--     plan entry, plan entry, ... }
-- false when decide() must run instead: no policy, a compute, or a rule
-- whose verdict depends on the account.
local function lean_plan(product, a_action, a_locale, q)
  local action, p, locale = resolve(q, product, a_action, a_locale)
  if not p or #inner[p].computes > 0 then return false end
  local c = context(q.as_of, locale)
  local plan = plan_of(p, c)
  local out = { action, { product, a_action or false, a_locale or false } }
  for i = 1, #plan do
    -- (a rule whose facts are missing is passed over, whatever it is)
    if not plan[i][-1] and (not plan[i][3] or plan[i][0]) then return false end
    out[2 + i] = plan[i]
  end
  return out
end

-- What a rule's functions return is checked against the contract before
-- it joins a decision (engine/output.c, called from engine/decide.c): a
-- wrong id, a float for money, a negative count is an error decision at
-- the rule's line, raised by wrong, never printed.
local function wrong(r, what, msg)
  error(r.file .. ":" .. r.line .. ": " .. what .. " " .. r.id .. ": " .. msg, 0)
end
-- The rule that would decide next needs account fields this account lacks.
local function needs(d, r, missing, meta, q)
  d.decision, d.channels, d.missing = "needs_input", no_channels, missing
  if not q.brief then
    local src = cite(r, meta)
    d.reasons[#d.reasons + 1] = { rule = r.id, message = "rule " .. r.id .. " needs " ..
                                  table.concat(missing, ", ") .. ", which the account does not give",
                                  source = src[1], sources = #src > 1 and src or nil }
  end
end

-- Why no rule of p decided, in words: before any version of the docs its
-- rules rest on, or no rule holding.
-- Per engine (this state's): the date each fact is first stated, or false.
local first_stated = {}

local function no_rule_says(p, values, as_of)
  local any, facts = false, {}
  local id = inner[p].id
  -- The facts rules were passed over for, each once, and how many rules
  -- rest on each: a billing system told only "no rule applies" cannot
  -- tell a policy's gap from docs that say nothing yet.
  local unstated, resting = {}, {}
  for _, r in ipairs(inner[p].rules) do
    local _, missing = view(r, values)
    if not missing then any = true end
    for _, name in ipairs(missing or {}) do
      if not resting[name] then unstated[#unstated + 1] = name end
      resting[name] = (resting[name] or 0) + 1
    end
    for _, u in ipairs(r.uses) do facts[#facts + 1] = u end
  end
  if any then
    local says = "no rule of " .. id .. " applies on " .. as_of .. " (--explain shows each condition)"
    for k, name in ipairs(unstated) do
      -- (the corpus does not change while the engine lives: asked once)
      local first = first_stated[name]
      if first == nil then
        first = dr.first_stated(name) or false
        first_stated[name] = first
      end
      says = says .. (k == 1 and ": " or "; ") .. resting[name] ..
             (resting[name] == 1 and " rule rests on " or " rules rest on ") .. name ..
             ", which the docs in force do not state" ..
             (first and first > as_of and " (first stated by the version of " .. first .. ")" or "")
    end
    return says
  end
  local oldest = dr.oldest_version(facts)
  if oldest and oldest > as_of then
    return "no version of the docs the rules of " .. id .. " rest on is in force on " .. as_of ..
           "; the oldest is " .. oldest
  end
  return "no rule of " .. id .. " has the facts it rests on as of " .. as_of ..
         " (docrules facts lists what each doc states)"
end

-- Which rules and conditions the test cases never exercised.
local seen = {}
local function coverage_mark(d)
  for _, e in ipairs(d.explain or {}) do
    local s = seen[e.rule] or { held = false, conds = {} }
    seen[e.rule] = s
    if e.held then s.held = true end
    for _, c in ipairs(e.conditions or {}) do
      local k = c.condition
      s.conds[k] = s.conds[k] or {}
      s.conds[k][c.held] = true
    end
  end
end

-- What the cases exercised, per script: { { file, rules = { { id, line,
-- held, conds = { { true_seen, false_seen, label } ... } } } } }, in the
-- order the scripts declared their rules; a shared rule once, at its
-- definition, whichever policies used it. engine.c derives from it both
-- the list of what was missed and the lcov tracefile.
local function coverage_data()
  local files, by_file = {}, {}
  for _, r in ipairs(decl.rules) do
    local f = by_file[r.file]
    if not f then
      f = { file = r.file, rules = {} }
      by_file[r.file] = f
      files[#files + 1] = f
    end
    local s = seen[r.id]
    local conds = {}
    for k, c in ipairs(r.conds) do
      local cs = s and s.conds[c[1]]
      conds[k] = { cs and cs[true] or false, cs and cs[false] or false, c[1] }
    end
    f.rules[#f.rules + 1] = { id = r.id, line = r.line, held = s and s.held or false, conds = conds }
  end
  return files
end

-- Every fact a rule or compute names (uses, optional) must be declared:
-- checked once every script has loaded, since a script may declare a fact
-- after a rule that names it. A shared rule is checked once, at its place.
local function check_facts()
  local known = {}
  for _, f in ipairs(decl.facts) do known[f.name] = true end
  for _, r in ipairs(decl.rules) do
    for _, list in ipairs({ r.uses, r.optional }) do
      for _, name in ipairs(list) do
        if type(name) == "string" and not known[name] then
          problems[#problems + 1] = { file = r.file, line = r.line, message = "rule " .. r.id ..
                                      " uses fact \"" .. name .. "\", which no fact \"...\" declares" }
        end
      end
    end
  end
  -- A policy's channels name the procedure fact that gives each channel's
  -- steps: checked here, where every fact is declared, so that a wrong
  -- name is not an error only where steps are written (a full decision
  -- and not --fields). Decisions read the checked copy (plan_of) of what
  -- the policy declared (new_policy): a script that changes its table
  -- later changes none of them.
  local procedure = {}
  for _, f in ipairs(decl.facts) do
    -- (raw, as the catalog reads a fact's declaration)
    if rawget(f, "type") == "procedure" then procedure[rawget(f, "name")] = true end
  end
  local function shown(v) return type(v) == "string" and "\"" .. v .. "\"" or "a " .. type(v) end
  for _, p in ipairs(decl.policies) do
    local copy, wrong_ones = {}, {}
    for ch, name in next, inner[p].declared_channels do
      if type(ch) == "string" and type(name) == "string" and procedure[name] then
        copy[ch] = name
      else
        wrong_ones[#wrong_ones + 1] = "policy " .. inner[p].id .. ": channel " .. shown(ch) .. " names " .. shown(name) ..
                                      ", which is no procedure fact (fact \"...\" { type = \"procedure\", ... })"
      end
    end
    -- (said in one order whatever order the table walks in)
    table.sort(wrong_ones)
    for _, m in ipairs(wrong_ones) do problems[#problems + 1] = { file = p.file, line = p.line, message = m } end
    inner[p].channels = dr.frozen(copy)
  end
end

-- The problems recorded since the last call, for state.c to say.
local function take_problems()
  local p = problems
  problems = {}
  return p
end

-- The globals of one rule script: its own, reading through to the rule
-- language, with its own copy of each library table.
local function new_env()
  local env = {}
  for name, lib in pairs(libraries) do
    local copy = {}
    for k, f in pairs(lib) do copy[k] = f end
    env[name] = copy
  end
  -- getmetatable(_ENV) must not hand out the shared language table.
  return setmetatable(env, { __index = base, __metatable = false })
end

-- What engine/decide.c, which makes every decision, needs of this file:
-- the tables it reads, the helpers it calls on the rarer paths (a missing
-- input, no rule, a miss in a cache, an error's message) and, for a
-- trace, watch and cite.
local for_c = {
  policies_for = policies_for, declared = declared, made_for = made_for,
  plan_of = plan_of, needs = needs, no_rule_says = no_rule_says,
  steps_of = steps_of, reason = reason, wrong = wrong, locale_of = locale_of,
  no_channels = no_channels, cite = cite,
  -- a decision's watch, each of its conditions sharing its trace's bound
  watch = function()
    local left = { TRACE_VALUES }
    return function(a, f) return watch(a, f, left) end
  end,
}

return {
  env = base,
  new_env = new_env,
  decl = decl,
  for_c = for_c,
  lean_plan = lean_plan,
  seal = function(on) sealed = on end,
  check_accounts = check_accounts,
  coverage_mark = coverage_mark,
  coverage_data = coverage_data,
  check_facts = check_facts,
  take_problems = take_problems,
}
