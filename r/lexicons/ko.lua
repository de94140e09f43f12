-- Korean: words the fact reader uses in the aligned unit of a Korean doc.
-- Checked against the ko-KR docs of all three articles. Particles attach to the word
-- ("라이선스가", "25개 미만", "최대 10분이"), so fragments match inside words.
-- Note: these docs write "25개 이상" (= 25 or more) where the English says "more than 25";
-- 이상 is read as at_least, 초과 as above.
lexicon "ko" {
  -- unit words after (or before) a number
  units = {
    days     = { [[일간]], [[일]] },
    minutes  = { [[분간]], [[분]] },
    hours    = { [[시간]] },
    months   = { [[개월]], [[달]] },
    licenses = { [[라이선스]], [[라이센스]] },
    users    = { [[사용자]] },
    accounts = { [[계정]] },
  },
  -- words that bound a number ("25개 미만", "25개 이상", "최대 10분")
  bounds = {
    below    = { [[미만]], [[보다\s*적]] },                                -- "N 미만"
    above    = { [[초과]], [[보다\s*많]], [[넘는]], [[넘으면]], [[넘을]] },                 -- "N 초과"
    at_least = { [[이상]], [[최소]], [[적어도]] },                                           -- "N 이상"
    -- "최대 10분"; 까지 only after a counter ("10분까지")
    at_most  = { [[최대]], [[이하]], [[(?:분|일|시간|개월|개|명)까지]] },                      -- "최대 N", "N 이하"
  },
  -- numbers written as words (native and Sino-Korean; single-syllable Sino-Korean numerals
  -- such as 일 and 이 are left out: they are also "day" and a particle)
  numbers = {
    ["하나"] = 1, ["한"] = 1, ["둘"] = 2, ["두"] = 2, ["셋"] = 3, ["세"] = 3, ["넷"] = 4, ["네"] = 4,
    ["다섯"] = 5, ["여섯"] = 6, ["일곱"] = 7, ["여덟"] = 8, ["아홉"] = 9, ["열"] = 10,
    ["열하나"] = 11, ["열한"] = 11, ["열둘"] = 12, ["열두"] = 12, ["열다섯"] = 15,
    ["스물"] = 20, ["스무"] = 20, ["스물다섯"] = 25, ["서른"] = 30, ["예순"] = 60, ["아흔"] = 90,
    ["십"] = 10, ["십일"] = 11, ["십이"] = 12, ["십오"] = 15, ["이십"] = 20, ["이십오"] = 25,
    ["삼십"] = 30, ["육십"] = 60, ["구십"] = 90,
  },
  -- terms for the values of set facts
  terms = {
    -- "You must delete all resources ... before you can cancel": deleting, and resources
    delete_resources = { [[리소스.{0,30}삭제|삭제.{0,30}리소스]] },
    account_admin   = { [[계정\s*관리자]], [[계정\s*소유자]] },
    service_admin   = { [[서비스\s*관리자]] },
    owner           = { [[(?<!계정 )(?<!계정)소유자]] },
    contributor     = { [[기여자]], [[참가자]] },
    global_admin    = { [[전역\s*관리자]], [[글로벌\s*관리자]] },
    billing_admin   = { [[청구\s*관리자]], [[대금\s*청구\s*관리자]], [[결제\s*관리자]] },
    -- "가상 머신의 할당이 취소되고"
    vms_deallocated = { [[가상\s*머신]], [[가상\s*컴퓨터]], [[할당이\s*취소]], [[할당\s*취소]], [[할당\s*해제]] },
    ips_released    = { [[IP\s*주소]] },
    storage_read_only = { [[읽기\s*전용]] },
    -- concept terms: a yes/no fact is accepted in a translation only when a term of its
    -- concept appears in the aligned paragraph
    -- "평가판 고객", "평가판 구독", "무료 체험"
    trial           = { [[평가판]], [[체험판]], [[체험\s*(?:기간|구독|고객|버전|계정)]], [[무료\s*체험]], [[시험판]], [[트라이얼]] },
    -- "결제 방법"
    payment_method  = { [[결제\s*(?:방법|수단)]], [[지불\s*(?:방법|수단)]] },
    -- "전화 요청" / "저희가 전화 드립니다"
    call_you        = { [[저희가\s*(?:고객님께\s*)?전화]], [[전화\s*(?:해\s*)?드리]], [[전화\s*요청]], [[회신\s*전화]], [[콜백]] },
    -- "비분정 크레딧" (MT), "비례 배분된 크레딧"
    prorated        = { [[비분정]], [[비례\s*(?:배분|계산)]], [[일할\s*(?:계산|된|적용)]], [[안분]] },
    -- "청구가 즉시 중지 됩니다"
    immediately     = { [[즉시]], [[즉각]], [[곧바로]] },
    -- "무료 평가판" / "크레딧", not the prorated "비분정 크레딧" (MT) nor "최종 청구서를 보냅니다"
    free_trial_credits = { [[무료\s*(?:평가판|체험|시험판)]], [[(?<!비분정)(?<!비분정 )(?<!배분된 )(?<!계산된 )크레딧]] },
    -- "구독 다시 활성화", "[계정 센터에서 다시 활성화]"
    reactivate      = { [[다시\s*활성화]], [[재\s*활성화]], [[다시\s*사용\s*(?:하도록\s*)?설정]] },
    -- "모든 리소스 및 모든 리소스 그룹"
    resources       = { [[리소스]] },
    -- "온-프레미스 로부터 동기화 되 면 먼저 동기화를 해제"
    sync            = { [[동기화]], [[(?<![A-Za-z])(?:dir)?sync(?![A-Za-z])]] },
    -- "사용 하지 않는 구독", "사용 하지 않도록 설정 된 (각) 구독"
    disabled_subscription = { [[사용\s*하지\s*않(?:는|도록\s*설정\s*된|도록\s*설정되어\s*있는)\s*(?:각\s*)?구독]],
                        [[비활성화\s*(?:된|되어\s*있는)\s*(?:각\s*)?구독]], [[사용\s*안\s*함\s*(?:상태인\s*|상태의\s*)?구독]],
                        [[구독이\s*(?:비활성화|사용\s*하지\s*않도록\s*설정)]] },
  },
}
