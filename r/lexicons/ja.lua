-- Japanese: words the fact reader uses in the aligned unit of a Japanese doc.
-- Checked against the ja-JP docs of all three articles. No spaces between words: fragments
-- are plain substrings. Numbers are usually digits followed by a counter ("10 分", "90 日間",
-- "25 未満", "1人のグローバル管理者").
lexicon "ja" {
  -- unit words after (or before) a number
  units = {
    days     = { [[日間]], [[日]] },
    minutes  = { [[分間]], [[分]] },
    hours    = { [[時間]] },
    months   = { [[[かヶカケヵ箇]月]], [[か月間]], [[月間]] },
    licenses = { [[ライセンス]] },
    users    = { [[ユーザー]], [[ユーザ]], [[利用者]] },
    accounts = { [[アカウント]] },
  },
  -- words that bound a number ("25 未満", "25 以上", "最大で 10 分")
  bounds = {
    below    = { [[未満]], [[より少ない]], [[より少な]], [[を下回る]], [[に満たない]] },        -- "N 未満"
    above    = { [[を超える]], [[を超えて]], [[を超過]], [[より多い]], [[を上回る]], [[超]] },    -- "N を超える"
    at_least = { [[以上]], [[少なくとも]], [[最低]] },                                           -- "N 以上"
    -- "最大で 10 分", "10 分まで" (まで only after a counter: "25 未満になるまで" is "until")
    at_most  = { [[最大]], [[以下]], [[最長]], [[上限]], [[(?:分|日|日間|時間|か月|ヶ月|カ月|人|個|件|ライセンス)まで]] }, -- "最大 N"
  },
  -- numbers written as words (kanji numerals and native counts)
  numbers = {
    ["一"] = 1, ["一つ"] = 1, ["ひとつ"] = 1, ["一人"] = 1, ["ひとり"] = 1, ["一名"] = 1,
    ["二"] = 2, ["二つ"] = 2, ["ふたつ"] = 2, ["二人"] = 2, ["ふたり"] = 2,
    ["三"] = 3, ["三つ"] = 3, ["四"] = 4, ["四つ"] = 4, ["五"] = 5, ["五つ"] = 5, ["六"] = 6, ["六つ"] = 6,
    ["七"] = 7, ["七つ"] = 7, ["八"] = 8, ["八つ"] = 8, ["九"] = 9, ["九つ"] = 9, ["十"] = 10,
    ["十一"] = 11, ["十二"] = 12, ["十五"] = 15, ["二十"] = 20, ["二十五"] = 25, ["三十"] = 30,
    ["六十"] = 60, ["九十"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[リソース.{0,30}削除|削除.{0,30}リソース]] },
    account_admin   = { [[アカウント管理者]], [[アカウント所有者]], [[アカウント オーナー]] },
    service_admin   = { [[サービス管理者]] },
    owner           = { [[(?<!アカウント)所有者]], [[(?<!アカウント )オーナー]] },
    contributor     = { [[共同作成者]], [[投稿者]] },
    -- "1人のグローバル管理者", "グローバル管理者アカウント"
    global_admin    = { [[グローバル\s*管理者]], [[全体管理者]], [[全体\s*管理者]] },
    billing_admin   = { [[課金管理者]], [[請求管理者]], [[課金\s*管理者]], [[請求先管理者]] },
    vms_deallocated = { [[仮想マシン]], [[割り当てが解除]], [[割り当て解除]] },
    ips_released    = { [[IP\s*アドレス]] },
    storage_read_only = { [[読み取り専用]] },
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "試用版のお客様", "試用版のサブスクリプション"
    trial           = { [[試用]], [[評価版]], [[体験版]], [[トライアル]], [[お試し]] },
    -- "支払方法を指定しない限り"
    payment_method  = { [[支払い?方法]], [[支払い?手段]], [[決済方法]] },
    -- "[電話でのサポートを希望] オプション" (for "Let us call you")
    call_you        = { [[電話でのサポートを?希望]], [[折り返し(?:の)?(?:お)?電話]], [[(?:こちら|弊社|当社|Microsoft\s*)から(?:お)?電話]],
                        [[コールバック]] },
    -- "日割り計算されたクレジット"
    prorated        = { [[日割]], [[按分]], [[案分]], [[比例配分]], [[プロレート]] },
    -- "課金がただちに停止されます"
    immediately     = { [[ただちに]], [[直ちに]], [[すぐに]], [[即時]], [[即座に]] },
    -- "無料試用版" / "クレジット", not the prorated "日割り計算されたクレジット" nor "最終的な課金内容"
    free_trial_credits = { [[無料(?:の)?\s*(?:試用|評価版|体験|トライアル)]], [[(?<!日割り計算された)(?<!日割りされた)(?<!按分された)(?<!日割りの)クレジット]] },
    -- "サブスクリプションの再アクティブ化"
    reactivate      = { [[再アクティブ]], [[再アクティベート]], [[再度アクティブ]], [[再有効化]], [[(?:再度|再び|もう一度)有効]] },
    -- "リソース グループ"
    resources       = { [[リソース]] },
    -- "オンプレミスから同期されている場合は、まず sync をオフにして"
    sync            = { [[同期]], [[(?<![A-Za-z])(?:dir)?sync(?![A-Za-z])]] },
    -- "無効になっているサブスクリプション", "無効化された各サブスクリプション"
    disabled_subscription = { [[無効(?:化された|化されている|になっている|になった|状態の|な|の)(?:各)?\s*サブスクリプション]],
                        [[サブスクリプションが無効]] },
  },
}
