"""A country's role in an initiative, read from the words between them in one sentence (English and
Chinese), and the date the text gives it.

Each rule is a pattern over the gap between a country mention and an initiative mention (country first:
"Finland joined NATO", "Saudi-led coalition", 韩国担任主席; initiative first: "NATO ally Germany", "hosted by
Japan", "summit in Osaka", 对俄制裁) or over the text right before the country ("sanctions on Iran",
"members (… and the European Union)"). The first rule that fits wins; a country with no rule is
`mentioned`. The vocabulary is grammar (verbs, nouns of membership), not knowledge of any initiative.
"""
import re
from functools import lru_cache

from .catalogue import EVENT_KINDS
from .spans import Mentions

ROLES = ("host", "chair", "member", "joined", "candidate", "signatory", "ratified", "party", "partner",
         "participant", "withdrawn", "suspended", "expelled", "target", "observer", "mentioned")
# when two rules give one country two roles in one sentence, the more specific one is kept
PRIORITY = {r: i for i, r in enumerate(("withdrawn", "expelled", "suspended", "candidate", "observer", "joined",
                                        "ratified", "signatory", "chair", "host", "target", "member", "partner",
                                        "party", "participant", "mentioned"))}
AGREEMENT_KINDS = {"agreement", "trade_deal", "action_plan", "project", "corridor", "process"}
_W = r"(?:[\w\-’']+\s+)"
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]

# country BEFORE the initiative: (role, pattern over the gap, flags)
_BEFORE = [
    ("withdrawn", r"(?:['’]s)?\s+%s{0,3}?(?:withdrawal|departure|exit|pull-?out|walkout)\s+from\s+(?:the\s+)?" % _W),
    ("withdrawn", r"\s+%s{0,3}?(?:withdrew|withdraws|withdrawn|withdrawing|pulled\s+out|pulls\s+out|pulling\s+out|"
                  r"walked\s+away|walks\s+away|walked\s+out|walks\s+out|stormed\s+out)\s+(?:from\s+|of\s+)?(?:the\s+)?" % _W),
    ("withdrawn", r"\s+%s{0,2}?(?:left|leaves|leaving|quit|quits|quitting|exited|exits|exiting|abandoned|abandons|"
                  r"renounced|denounced|ditched|scrapped)\s+(?:the\s+)?" % _W),
    ("withdrawn", r"\s+out\s+of\s+(?:the\s+)?", "pull"),
    ("expelled", r"\s+%s{0,3}?(?:was|were|has been|had been|is|being)\s+(?:\w+\s+)?(?:expelled|ejected|thrown out|"
                 r"kicked out)\s+(?:from|of)\s+(?:the\s+)?" % _W),
    ("suspended", r"(?:['’]s)?\s+%s{0,3}?(?:was|were|has been|had been|is|being)?\s*(?:suspended|barred)\s+from\s+(?:the\s+)?" % _W),
    ("suspended", r"['’]s\s+(?:membership|participation|rights)\s+(?:in|of)\s+(?:the\s+)?"),
    ("suspended", r"\s+%s{0,2}?(?:suspended|suspends|froze|freezes)\s+(?:its|their)\s+(?:participation|membership|"
                  r"involvement)\s+in\s+(?:the\s+)?" % _W),
    ("candidate", r"\s+%s{0,3}?(?:applied|applies|applying|bid|bids|seeks|sought|wants|hopes|aspires|is\s+seeking|"
                  r"(?:was|were|has\s+been|have\s+been|had\s+been|is|are|been)\s+invited)\s+"
                  r"(?:to\s+join|for\s+membership\s+(?:of|in))\s+(?:the\s+)?" % _W),
    # "Germany, France and Britain, the European parties to the nuclear deal" (a list walks to its last member)
    ("party", r"\s*,\s*(?:an?|the|both|all|(?:one|two|three|four|five|six|several|some|all)\s+of\s+the)\s+(?:[\w\-]+\s+){0,2}?(?:parties|party|"
              r"signatories|signatory|signatory\s+states)\s+(?:to|of)\s+(?:the\s+)?", "apposition"),
    ("member", r"\s*,\s*(?:an?|the|both|all|(?:one|two|three|four|five|six|several|some|all)\s+of\s+the)\s+(?:fellow\s+|founding\s+|[\w\-]+\s+){0,2}?"
               r"(?:members?|member\s+states?|member\s+countries)\s+of\s+(?:the\s+)?"),
    ("candidate", r"['’]s\s+(?:\w+\s+)?(?:accession|application|bid|candidacy)\s+(?:\w+\s+){0,2}?(?:to|for|into|with|of)\s+"
                  r"(?:join\s+)?(?:the\s+)?"),
    ("candidate", r"\s*,\s*(?:an?|the)\s+(?:\w+\s+)?candidate\s+(?:for|to)\s+(?:membership\s+(?:of|in)\s+)?(?:the\s+)?"),
    # "Turkey has been a candidate for EU membership since 1999", "Albania is an official candidate to join the EU"
    ("candidate", r"\s+%s{0,2}?(?:is|was|are|were|has\s+been|have\s+been|had\s+been|became|becomes|remains|remained)\s+"
                  r"(?:an?\s+|the\s+)?(?:official\s+|formal\s+|membership\s+|accession\s+)?candidate(?:\s+country)?\s+"
                  r"(?:for|to)\s+(?:join\s+|membership\s+(?:of|in)\s+)?(?:the\s+)?" % _W),
    ("observer", r"\s+%s{0,3}?(?:is|was|has been|as|became|becomes|an?|holds|has)\s+%s{0,2}?observer(?:\s+status)?\s+"
                 r"(?:at|in|of|to|with)\s+(?:the\s+)?" % (_W, _W)),
    ("joined", r"\s+%s{0,3}?(?:joined|joins|joining|rejoined|rejoins|rejoining|entered|enters|acceded\s+to|accedes\s+to|signed\s+(?:up|on)\s+to|"
               r"was\s+admitted\s+(?:to|into)|became\s+(?:(?:a|an|the)\s+(?:\d+(?:st|nd|rd|th)\s+|[a-z]+(?:st|nd|rd|th)\s+|newest\s+|"
               r"latest\s+|founding\s+)?)?(?:full\s+)?(?:member|party)(?:\s+state|\s+country|\s+nation)?\s+(?:of|to)|"
               r"becomes\s+(?:a\s+)?(?:full\s+)?member\s+of)\s+(?:the\s+|an?\s+)?" % _W),
    # "Sweden became NATO's 32nd member", "signed the accession treaty to join the CPTPP"
    ("joined", r"\s+%s{0,2}?(?:became|becomes|has\s+become|had\s+become)\s+" % _W, "member_after"),
    ("joined", r"\s+%s{0,1}?(?:agreed|voted|decided|moved|signed\s+(?:the\s+|an?\s+)?(?:[\w\-]+\s+){0,2}?)\s*to\s+join\s+"
               r"(?:the\s+)?" % _W),
    ("ratified", r"\s+%s{0,3}?(?:ratified|ratifies|ratify|ratifying)\s+(?:the\s+)?" % _W),
    ("signatory", r"\s+%s{0,3}?(?:signed|signs|sign|co-signed|initialled|initialed)\s+(?:on\s+to\s+)?(?:the\s+|an?\s+)?" % _W),
    ("chair", r"\s*[-–]?\s*(?:led|headed|chaired)\s+(?:\w+\s+){0,2}"),
    ("chair", r"['’]s\s+(?:rotating\s+)?(?:presidency|chairmanship|chair)\s+of\s+(?:the\s+)?"),
    ("chair", r"\s+%s{0,2}?(?:chairs|chaired|chair|co-chairs|co-chaired|presides\s+over|presided\s+over|"
              r"(?:holds|held|took\s+over|takes\s+over|assumed|assumes)\s+the\s+(?:rotating\s+)?(?:presidency|chair|"
              r"chairmanship)\s+of)\s+(?:the\s+)?" % _W),
    ("chair", r"\s+%s{0,2}?(?:holds|held|hold|took\s+over|takes\s+over|take\s+over|assumed|assumes|assume|was\s+handed|"
              r"inherits|inherited)\s+"
              r"(?:the\s+)?" % _W, "chair_after"),
    ("host", r"\s*[-–]\s*based\s+(?:\w+\s+){0,2}"),
    ("host", r"\s+%s{0,2}?(?:hosts|hosted|hosting|host|convened|convenes)\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,3}?" % _W),
    ("member", r"\s+%s{0,2}?(?:is|was|are|were|has\s+been|have\s+been|remains|remain|as)\s+(?:(?:an?|the|one\s+of\s+the)\s+)?"
               r"(?:[\w\-]+\s+)?(?:member|member\s+state|member\s+country|members|ally|allies|shareholder|shareholders)\s+"
               r"(?:of|in)\s+(?:the\s+)?" % _W),
    ("member", r"['’]s\s+(?:permanent\s+)?(?:mission|missions|representative|ambassador|envoy|membership|seat|dues|fees|"
               r"contributions?|commitments|obligations|delegates)\s+(?:\w+\s+){0,2}?(?:to|in|of|at|under|with)\s+(?:the\s+)?"),
    ("member", r"\s+(?:is|was|are|were)\s+(?:\w+\s+){0,4}?in\s+the\s+"),
    ("member", r"\s+(?:(?!(?:but|and|or|yet|while|which|that|who)\b)[\w\-’']+\s+){0,2}?(?:belongs|belonged|belong|belonging)"
               r"\s+to\s+(?:the\s+)?"),
    ("member", r"\s+and\s+(?:its|their)\s+(?:\w+\s+)?"),
    ("partner", r"(?:['’]s)?\s+%s{0,5}?(?:its\s+|their\s+)?(?:partnership|cooperation|co-operation)\s+with\s+(?:the\s+)?" % _W),
    ("partner", r"\s+%s{0,3}?(?:has\s+|have\s+)?(?:supported|supports|backed|backs|cooperated\s+with|cooperates\s+with|"
                r"worked\s+with|works\s+with|partnered\s+with|partners\s+with|aided|assisted)\s+(?:the\s+)?" % _W),
    ("participant", r"(?:['’]s)?\s+(?:\w+\s+)?(?:delegation|delegations|delegates|team)\s+(?:to|at|attending|for)\s+"
                    r"(?:\w+\s+){0,3}?(?:the\s+)?"),
    ("participant", r"\s+%s{0,3}?(?:attended|attends|attending|took\s+part\s+in|takes\s+part\s+in|participated\s+in|"
                    r"participates\s+in|addressed|told|spoke\s+at|spoke\s+to|was\s+represented\s+at|sent\s+"
                    r"(?:a\s+)?delegations?\s+to)\s+(?:the\s+|an?\s+)?" % _W),
    ("participant", r"(?:['’]s)?\s+(?:[A-Z][\w\-’']*\s+){1,5}(?:told|addressed)\s+(?:the\s+)?"),
    ("member", r"[^;]{0,200}?\b(?:its|their)\s+(?:[\w\-]+\s+){0,2}?(?:commitments|obligations|membership|dues|fees|"
               r"mission|seat)\s+(?:under|to|in|of|at|with)\s+(?:the\s+)?", "alone"),
    ("member", r"['’]s\s+(?:\w+\s+){0,3}?(?:to\s+)?(?:\w+\s+)?", "dues"),
    ("participant", r"(?:['’]s)?\s+%s{0,9}?(?:initiated|launched|filed|lodged|brought|took)\s+(?:an?\s+|the\s+)?"
                    r"(?:(?:\w+\s+){0,8}?(?:to|with|before|at|in)\s+(?:the\s+)?)?" % _W),
    ("target", r"\s+and\s+(?:the\s+)?", "between"),
    ("participant", r"\s+(?:in|at|before|to|with)\s+(?:the\s+)?", "filed"),
    ("host", r"[^.;]{0,40}?\bfor\s+(?:the\s+)?", "in_for"),
    ("member", r"[^.;]{0,120}?\blaunch(?:ed|es|ing)?\s+(?:the\s+|an?\s+|its\s+)?(?:new\s+)?", "launch"),
    ("member", r"(?:['’]s)?\s+(?:administration|government)['’]s\s+(?:\w+\s+)?", "owner"),
    ("participant", r"[^.;]{0,120}?\b(?:at|during|on\s+the\s+sidelines\s+of)\s+(?:the\s+)?", "subject_at"),
    ("partner", r"[^.;]{0,120}?\b(?:has\s+|have\s+|had\s+)?(?:supported|backed|aided|assisted|helped)\s+(?:the\s+)?", "subject_any"),
    ("participant", r"[^;]{0,220}?\b(?:initiated|filed|lodged|brought|took|take|takes|taking)\s+(?:[\w\-.]+\s+){0,6}?"
                    r"(?:to|with|before|at|in)\s+(?:the\s+)?", "subject"),
    # Chinese
    ("observer", r"[^，。；]{0,12}?(?:作为|以)?观察员(?:身份|国)?(?:参加|出席|列席|加入)?(?:了)?"),
    ("chair", r"[^，。；]{0,10}?(?:将)?(?:担任|出任|接任)(?:了)?(?:(?:19|20)\d{2}年(?:度)?|本届|下一届|下届)?", "zh_chair_before"),
    ("candidate", r"[^，。；]{0,14}?(?:申请|受邀|应邀|被邀请|获邀|寻求|谋求)加入(?:了)?"),
    ("suspended", r"[^，。；]{0,12}?暂停(?:了)?(?:参与|履行|执行|其在|在)?《?"),
    ("joined", r"[^，。；]{0,14}?(?:正式|已经|已|将)?成为(?:了)?", "member_after_zh"),
    ("withdrawn", r"[^，。；]{0,16}?(?:宣布)?(?:退出|撤出|脱离)(?:了)?"),
    ("expelled", r"[^，。；]{0,12}?被(?:开除出|逐出|驱逐出|开除)"),
    ("suspended", r"[^，。；]{0,12}?被暂停(?:了)?(?:在)?"),
    ("joined", r"[^，。；]{0,14}?(?:正式)?(?:加入|加盟|入盟)(?:了)?"),
    ("ratified", r"[^，。；]{0,14}?批准(?:了)?"),
    ("signatory", r"[^，。；]{0,16}?(?:签署|签订|草签)(?:了)?"),
    # 伊朗与六国于2015年达成的…协议: who reached an agreement is a party to it
    ("party", r"[^，。；]{0,20}?(?:达成|缔结|商定)(?:了|的)?", "zh_agreed"),
    # 中国被视为这一贸易集团所针对的对象: a passive target, the cue after the initiative (checked in _before_rule)
    ("target", r"[^。；]{0,40}?被(?:普遍|广泛|外界|一些人|许多人)?(?:视为|看作|看成|认为是)(?:这一|这个|该|此)?",
     "zh_passive_target"),
    ("observer", r"[^，。；]{0,6}?(?:作为|是|成为)(?:了)?"),
    ("host", r"[^，。；]{0,12}?(?:举办|主办|承办|主持召开)(?:了)?(?:首届|第[^届，。]{1,3}届)?"),
    ("participant", r"[^，。；]{0,10}?(?:出席|参加|参与|与会)(?:了)?"),
    ("member", r"(?:是|作为|为)"),
    # 澳大利亚、日本、印度和美国组成的…机制: those who form it are its members (the parties of an agreement)
    ("member", r"[^，。；]{0,6}?(?:共同)?(?:组成|组建|成立|创建|创立|发起)(?:了|的)?", "zh_formed"),
]
# initiative BEFORE the country
_AFTER = [
    ("host", r"(?:['’]s)?\s*,?\s*(?:\w+\s+){0,2}?(?:headquarters|headquartered|based|seat|secretariat|head\s+office)\s+"
             r"(?:is\s+|are\s+)?(?:in|at)\s+(?:the\s+)?"),
    ("host", r"\s*,?\s*(?:\w+\s+){0,2}?(?:hosted|organi[sz]ed|convened)\s+by\s+(?:the\s+)?"),
    ("host", r"(?:\s*,\s*(?:an?|the)\s+(?:[\w\-]+\s+){0,4}?(?:forum|summit|meeting|conference|dialogue|gathering|event))?"
             r"\s*,?\s+(?:\w+\s+){0,1}?(?:(?:is|was|will\s+be|to\s+be|being)\s+)?(?:held|hosted|taking\s+place|took\s+"
             r"place|convened|opened|opening|meeting|scheduled|set)?\s*(?:in|at)\s+(?:the\s+)?", "event"),
    ("chair", r"\s*,?\s*(?:\w+\s+){0,2}?(?:chaired|co-chaired|led|headed|presided\s+over)\s+by\s+(?:the\s+)?"),
    ("signatory", r"\s+(?:\w+\s+){0,3}?(?:was\s+|were\s+|has\s+been\s+|had\s+been\s+)?(?:signed|co-signed)\s+"
                  r"(?:\w+\s+){0,3}?by\s+(?:the\s+)?"),
    ("ratified", r"[^.;]{0,60}?\bsigned\s+into\s+law\s+by\s+(?:\w+\s+){0,2}?"),
    ("ratified", r"\s+(?:\w+\s+){0,3}?ratified\s+by\s+(?:the\s+)?"),
    ("suspended", r"\s+(?:\w+\s+){0,2}?(?:suspended|suspends)\s+(?:the\s+membership\s+of\s+)?"),
    ("expelled", r"\s+(?:\w+\s+){0,2}?(?:expelled|expels|ejected)\s+"),
    ("joined", r"\s+(?:\w+\s+){0,2}?(?:admitted|admits|welcomed)\s+(?:its\s+newest\s+member,?\s+)?"),
    ("candidate", r"\s+(?:\w+\s+){0,2}?(?:invited|invites)\s+"),
    ("member", r"\s*,?\s*(?:(?:counts|has|have|had|includes|included|with|whose|its)\s+(?:\w+\s+)?)?(?:fellow\s+)?"
               r"(?:member(?:s|\s+states?|\s+countries|\s+nations)?|ally|allies|countries|states|"
               r"nations|partners)\s*(?:,|:|—|–|-|\(|such\s+as|including|like|led\s+by)?\s*(?:\w+\s+)?(?:the\s+)?"),
    ("member", r"[^.;]{0,140}?,\s*(?:which|that)\s+(?:now\s+)?(?:includes?|included|comprises?|comprised|brings\s+"
               r"together|groups|unites)\s+(?:the\s+)?"),
    ("partner", r"\s+partners?\s+(?:such\s+as\s+|including\s+|like\s+)?(?:the\s+)?"),
    # "the Abraham Accords normalized relations between Israel and the UAE": an agreement's sides
    ("party", r"\s+(?:[\w\-]+\s+){0,4}?between\s+(?:the\s+)?", "between_parties"),
    ("partner", r"\s*,?\s+(?:[\w\-]+\s+){0,4}?(?:working|partnering|cooperating|co-operating)\s+with\s+(?:the\s+)?"),
    ("target", r"[^.;]{0,80}?\b(?:aimed\s+at|aimed\s+squarely\s+at|against|targeting|to\s+counter|countering|counter|"
               r"to\s+contain|containing|to\s+isolate|isolating|to\s+curb|curbing|challenging|contesting|to\s+deter|"
               r"deterring|to\s+punish|punishing|reduce\s+(?:\w+\s+)?reliance\s+on|reliance\s+on|dependence\s+on|"
               r"break(?:ing)?\s+the\s+grip\s+of|to\s+rival|rival(?:ling)?)\s+(?:the\s+)?"),
    # Chinese
    ("host", r"(?:将)?(?:在|于)$", "zh_host"),
    ("host", r"[^。；]{0,20}?", "zh_host_after"),
    ("suspended", r"[^，。；]{0,6}?暂停(?:了)?"),
    ("expelled", r"[^，。；]{0,6}?(?:开除|驱逐)(?:了)?"),
    ("chair", r"[^。；]{0,20}?由$", "zh_chair"),
    ("member", r"(?:的)?成员(?:国)?(?:包括|有)?"),
    ("target", r"[^。；]{0,40}?(?:针对|对抗|遏制|抗衡|打破|围堵|制衡|孤立|摆脱对|减少对|降低对)"),
]
_CHAIR_ZH = re.compile(r"(?:将)?(?:担任|出任|接任)(?:了)?(?:\w{0,4})?(?:轮值)?主席")
# the place may go on with a city (在南非约翰内斯堡举行, 在塞内加尔首都达喀尔开幕)
_HOST_ZH = re.compile(r"(?:首都)?[\u4e00-\u9fff]{0,8}?(?:举行|召开|举办|开幕|闭幕)")
# between a body and 在: the meeting's own words (中非合作论坛第八届部长级会议9日在…)
_ZH_EVENT_GAP = re.compile(r"(?:成员国)?(?:领导人)?(?:第[〇一二两三四五六七八九十百零\d]+(?:次|届))?(?:领导人|部长级|外长|首脑)?"
                           r"(?:非正式)?(?:峰会|会晤|会议|论坛|大会)?(?:\d{1,2}日|当天|今天|昨天)?(?:将|正|已)?(?:在|于)")
_MEMBER_NOUN = re.compile(r"\s*(?:member|member\s+state|member\s+country|ally)\b", re.I)
_MEMBER_ZH = re.compile(r"(?:的)?(?:成员|成员国|正式成员|创始成员|创始国|发起国|发起方|倡导国|缔约国|缔约方)")
_BECAME_MEMBER_ZH = re.compile(r"(?:的)?(?:第[\d〇一二两三四五六七八九十]+个)?(?:正式)?(?:成员国|成员|会员国|缔约国|缔约方)")
# 不加入, 拒绝签署, 没有参加: a refusal gives no role
_NEGATED_ZH = re.compile(r"(?:不|未|没有|拒绝|拒不|无意|不会|不再|放弃)(?:会|愿|愿意|打算|计划|申请)?(?:加入|签署|签订|批准|参加|"
                         r"出席|参与|主办|举办|担任|成为)")
_OBSERVER_ZH = re.compile(r"(?:的)?观察员")
# 敦促盟友加入, 呼吁各国签署: the verb's doer is someone the country asks, not the country
_ASKS_ZH = re.compile(r"敦促|呼吁|要求|鼓励|劝说|说服|促使|动员|拉拢|施压")
_PARTNER_AFTER = re.compile(r"\s*(?:partner|partners)\b", re.I)
_OBSERVER_AFTER = re.compile(r"\s*observer", re.I)
_ALLY_AFTER = re.compile(r"\s*(?:ally|allies)\b", re.I)
_SIGNED = re.compile(r"\b(?:signed|signing|concluded|inked|sealed|co-signed)\b|签署|签订")
_RATIFIED = re.compile(r"\bratif|批准")
_PARTICIPLE = re.compile(r"\b(?:after|since|before|by|when|while|upon|on)\s+(?:\w+\s+){0,3}?(joining|signing|ratifying|"
                         r"leaving|quitting|hosting|chairing|withdrawing\s+from|entering)\s+(?:the\s+|an?\s+)?$", re.I)
_PARTICIPLE_ROLE = {"joining": "joined", "entering": "joined", "signing": "signatory", "ratifying": "ratified",
                    "leaving": "withdrawn", "quitting": "withdrawn", "withdrawing from": "withdrawn", "hosting": "host",
                    "chairing": "chair"}


@lru_cache(maxsize=None)
def _compiled():
    before = [(r[0], re.compile(r[1], re.I), r[2] if len(r) > 2 else None) for r in _BEFORE]
    after = [(r[0], re.compile(r[1], re.I), r[2] if len(r) > 2 else None) for r in _AFTER]
    return before, after


def _before_rule(text, c, span, kind, ms=Mentions()):
    "Role from the words between a country and the initiative named after it."
    gap_start, gap_end = c["char_end"], span["start"]
    if gap_end - gap_start > 240 or gap_end < gap_start:
        return None
    own = re.search(r"['’]s\s+$", text[gap_start:gap_end])
    if own:
        # "signed up to China's Belt and Road Initiative": the owner named before the initiative is part of its name
        owner = [m for m in ms.starting(gap_start, gap_end) if m["char_end"] == gap_start + own.start()]
        if owner:
            gap_end = owner[0]["char_start"]
    while gap_end > gap_start and text[gap_end - 1] in "“\"「『《":  # 加入"一带一路"倡议: the name's opening mark
        gap_end -= 1
    rules, _ = _compiled()
    if _CJK_RX.search(text, gap_start, gap_end) and (_NEGATED_ZH.search(text, gap_start, gap_end) or
                                                     _ASKS_ZH.search(text, gap_start, gap_end)) or \
            _NEGATED_EN.search(_CLAUSE_EN.split(text[gap_start:gap_end])[-1]):
        return None
    for role, rx, tag in rules:
        if not rx.fullmatch(text, gap_start, gap_end):
            continue
        if tag == "pull" and not re.search(r"\bpull(?:ed|ing|s)?\s+(?:the\s+)?$", text[max(0, c["char_start"] - 20):c["char_start"]], re.I):
            continue
        if tag == "alone" and ms.starting(gap_start, gap_end):
            continue  # "its commitments under the WTO": its = the last country named before
        if tag == "dues" and not re.match(r"\s*(?:fees|dues|membership|contributions?|budget)\b", text[span["end"]:span["end"] + 20]):
            continue
        if tag == "zh_chair_before" and not re.match(r"(?:的)?(?:轮值)?主席", text[span["end"]:span["end"] + 6]):
            continue
        if tag == "member_after_zh" and not _BECAME_MEMBER_ZH.match(text, span["end"]):
            continue
        if tag == "zh_agreed" and kind not in AGREEMENT_KINDS:
            continue
        if tag == "zh_passive_target" and not re.match(r"(?:所|要)?(?:针对|遏制|对抗|抗衡)的(?:主要)?(?:对象|目标)",
                                                        text[span["end"]:span["end"] + 12]):
            continue
        if tag == "apposition" and re.search(r"signator", text[gap_start:gap_end], re.I):
            return "signatory"
        if tag == "zh_formed" and kind in AGREEMENT_KINDS:
            return "party"
        if role == "joined" and re.match(r"[》”\"」』]?\s*(?:的)?(?:谈判|磋商|negotiations|talks)", text[span["end"]:span["end"] + 16]):
            return "participant"  # 加入…谈判, 'joined the RCEP negotiations': a party to the talks, not a member
        if tag == "member_after" and not re.match(r"['’]s\s+(?:[\w\-]+\s+){0,2}?(?:member|member\s+state|member\s+country)\b",
                                                  text[span["end"]:span["end"] + 40], re.I):
            continue
        if tag == "chair_after" and not re.match(r"(?:['’]s)?\s+(?:rotating\s+)?(?:chair|chairmanship|presidency)\b",
                                                 text[span["end"]:span["end"] + 30], re.I):
            continue
        if tag == "filed" and not re.search(r"\b(?:filed|brought|lodged|initiated|launched)\s+by\s+(?:the\s+)?$",
                                            text[max(0, c["char_start"] - 30):c["char_start"]], re.I):
            continue
        if tag == "in_for" and not (kind in EVENT_KINDS and c["kind"] in ("name", "capital") and
                                    re.search(r"\b(?:in|at)\s+$", text[max(0, c["char_start"] - 4):c["char_start"]])):
            continue
        if tag in ("subject", "subject_any") and not (ms and ms[0] is c):
            continue
        if tag == "subject" and kind not in {"organisation"} | EVENT_KINDS:
            continue
        if tag == "subject_at" and _met_pair(text, ms, c, gap_start, gap_end):
            pass  # 'Biden met Xi Jinping at the APEC summit': both who meet are there
        elif tag in ("launch", "subject_at") and not (ms and ms[0] is c and not any(
                m["country"] != c["country"] for m in ms.starting(gap_start, gap_end))):
            continue  # the sentence's subject, nobody else named between
        if tag == "launch":
            role = "party" if kind in AGREEMENT_KINDS else "host" if kind in EVENT_KINDS else role
        if tag == "subject_at" and kind not in EVENT_KINDS:
            continue
        if tag == "owner":
            role = "party" if kind in AGREEMENT_KINDS else "host" if kind in EVENT_KINDS else role
        if tag == "between" and not re.search(r"\b(?:war|fight|battle|conflict|struggle)\s+between\s+(?:the\s+)?(?:[A-Z]\w+\s+)?$",
                                              text[max(0, c["char_start"] - 40):c["char_start"]], re.I):
            continue
        after = text[span["end"]:span["end"] + 25]
        if role == "observer" and not re.search(r"observer|观察员", text[gap_start:span["end"] + 25]):
            continue
        if role == "member" and re.fullmatch(r"(?:是|作为|为)", text[gap_start:gap_end]):
            if _OBSERVER_ZH.match(after):
                return "observer"
            if not _MEMBER_ZH.match(after):
                continue
            if kind in AGREEMENT_KINDS:
                return "party"  # 是伊核协议的缔约方
        if role == "member" and re.match(r"\s+and\s+(?:its|their)", text[gap_start:gap_end]) and \
                not re.search(r"\b(?:partners|allies|members)\b", text[span["start"]:span["end"] + 25]):
            continue
        if role == "member" and re.match(r"\s+(?:is|was|are|were)\s+(?:\w+\s+){0,4}?in\s+the\s+$", text[gap_start:gap_end]) \
                and kind not in ("organisation", "alliance", "bloc"):
            continue
        if role == "host" and kind not in EVENT_KINDS and not re.search(r"based", text[gap_start:gap_end]):
            continue
        if role == "participant" and re.search(r"initiated|launched|filed|lodged|brought|took", text[gap_start:gap_end]) \
                and kind not in {"organisation"} | EVENT_KINDS:
            continue
        return role
    # "Norway, a NATO member" / "Colombia, a NATO partner" / "Germany, a NATO ally"
    if re.fullmatch(r"\s*,\s*(?:an?|the|another|one\s+of\s+the)\s+(?:fellow\s+|founding\s+|key\s+|major\s+|close\s+)?",
                    text[gap_start:gap_end]):
        after = text[span["end"]:span["end"] + 25]
        if _PARTNER_AFTER.match(after):
            return "partner"
        if _OBSERVER_AFTER.match(after):
            return "observer"
        if _MEMBER_NOUN.match(after):
            return "member"
    return None


_MET_WITH = re.compile(r"(?:['’]s(?:\s+[a-z][\w\-]*){0,3}?)?\s+(?:met|meets|meeting|held\s+talks\s+with|holds\s+talks\s+with|"
                       r"talked\s+with|spoke\s+with|sat\s+down\s+with|conferred\s+with)(?:\s+with)?\s+(?:his\s+|her\s+|"
                       r"their\s+)?(?:(?:the\s+)?[A-Z][\w.\-]*\s+){0,3}?")


def _met_pair(text, ms, c, gap_start, gap_end):
    "The sentence opens with one side meeting another ('Biden met Xi Jinping'): c is one of the two, nobody else between."
    if len(ms) < 2 or not _MET_WITH.fullmatch(text, ms[0]["char_end"], ms[1]["char_start"]):
        return False
    pair = (ms[0], ms[1])
    return any(c is m for m in pair) and all(any(m is p for p in pair) for m in ms.starting(gap_start, gap_end))


def _after_rule(text, span, c, kind):
    "Role from the words between an initiative and a country named after it."
    gap_start, gap_end = span["end"], c["char_start"]
    if gap_end - gap_start > 200 or gap_end < gap_start:
        return None
    if text[gap_start:gap_start + 1] in ")）":  # "… Forum (ILF) is chaired by Korea"
        gap_start += 1
    role = _after_gap(text, span, c, kind, gap_start, gap_end)
    if role:
        return role
    # the clause nearest the country: "FORGE, chaired by Australia until September, counts members including Chile"
    for comma in reversed([m.end() for m in re.finditer(r"[,，]", text[gap_start:gap_end])]):
        role = _after_gap(text, span, c, kind, gap_start + comma, gap_end)
        if role in ("member", "partner", "party", "target"):
            return role
    return None


def _after_gap(text, span, c, kind, gap_start, gap_end):
    _, rules = _compiled()
    for role, rx, tag in rules:
        if tag == "zh_host":
            # 峰会将在大阪举行: the place between 在 and 举行
            if rx.search(text, max(gap_start, gap_end - 3), gap_end) and _HOST_ZH.match(text, c["char_end"]) and \
                    (gap_end - gap_start <= 6 or _ZH_EVENT_GAP.fullmatch(text, gap_start, gap_end)):
                return role
            continue
        if tag == "zh_host_after":
            if rx.fullmatch(text, gap_start, gap_end) and re.match(r"(?:将|负责)?(?:主办|承办|举办|主持)", text[c["char_end"]:c["char_end"] + 6]):
                return role
            continue
        if tag == "zh_chair":
            if rx.fullmatch(text, gap_start, gap_end) and _CHAIR_ZH.match(text[c["char_end"]:c["char_end"] + 12]):
                return role
            continue
        if not rx.fullmatch(text, gap_start, gap_end):
            continue
        if tag == "event" and (kind not in EVENT_KINDS or c["kind"] not in ("name", "capital")):
            continue
        if tag == "between_parties" and (kind not in AGREEMENT_KINDS or re.search(
                r"\b(?:wars?|conflicts?|tensions?|disputes?|rifts?|feuds?|rows?|gaps?|differences?|fights?|battles?|"
                r"rivalry|hostilities)\b", text[gap_start:gap_end], re.I)):
            continue
        if role == "member" and _ALLY_AFTER.match(text, gap_start) and kind not in ("alliance",):
            return "partner"
        if role == "member" and re.match(r"\s+partners", text[gap_start:gap_end]) and kind not in ("coalition",):
            return "partner"
        if role == "member" and re.search(r"includes?|included|comprises?|comprised", text[gap_start:gap_end]) and \
                kind in AGREEMENT_KINDS:
            return "party"
        if role == "member" and re.fullmatch(r"(?:的)?成员(?:国)?(?:包括|有)?", text[gap_start:gap_end]) is None and \
                _CJK_RX.search(text[gap_start:gap_end]):
            continue
        return role
    return None


_CJK_RX = re.compile(r"[\u3400-\u9fff]")
# "did not sign", "declined to join", "is no longer a member": a refusal or a denial gives no role (in the clause
# that reaches the initiative: "is not engaged in the bombing, but has supported the coalition" keeps its role)
_CLAUSE_EN = re.compile(r"\b(?:but|yet|while|although|though|whereas)\b|[,;]")
_NEGATED_EN = re.compile(r"\b(?:not|never|no\s+longer)\b|n['’]t\b|\b(?:declined|declines|declining|refused|refuses|"
                         r"refusing|rejected|rejects|rejecting)\s+to\b", re.I)


def _list_members(text, c, prior):
    "A country in a list after one with a role ('EU countries — Austria, Slovakia, Cyprus and Greece')."
    return prior and re.fullmatch(r"\s*(?:,\s*and|,\s*or|,|and|or|&|、|和|及|以及|与)\s*(?:the\s+)?",
                                  text[prior["char_end"]:c["char_start"]])


def _member_paren(text, s, c):
    "'… with 156 members (155 States and the European Union)': the countries inside the parenthesis."
    return re.search(r"\bmembers?\s*\([^)]*$", text[max(s, c["char_start"] - 80):c["char_start"]], re.I)


def _participle(text, s, span):
    "'20 years after joining the Mediterranean Dialogue, Tunisia entered …': the role of the clause's subject."
    m = _PARTICIPLE.search(text[max(s, span["start"] - 60):span["start"]])
    return _PARTICIPLE_ROLE.get(re.sub(r"\s+", " ", m.group(1).lower())) if m else None


# how far from a country mention a rule reads: the gap before an initiative (240, and a list's next member), after
# one (200); beyond it no rule fits and only the nearest initiative is `mentioned`
_REACH_BEFORE, _REACH_AFTER = 340, 240


def role_of(text, s, e, c, spans, items, ms, near=None):
    """[(role, span)] for country mention `c` in sentence [s, e) with initiative `spans` (or `near`, a
    spans.Nearby of them): for each initiative the first rule that fits; when none fits, [("mentioned",
    nearest initiative)]."""
    out = []
    if not isinstance(ms, Mentions):
        ms = Mentions(ms)
    reach = near.around(c["char_start"] - _REACH_AFTER, c["char_end"] + _REACH_BEFORE) if near else spans
    for span in reach:
        kind = items[span["id"]]["kind"]
        role = None
        if span.get("target") == c["country"] and abs(span["end"] - c["char_end"]) < 3:
            role = "target"
        elif span.get("chair") == c["country"] and span["start"] <= c["char_start"] < span["end"]:
            role = "chair"
        elif c["char_end"] <= span["start"]:
            role = _before_rule(text, c, span, kind, ms)
            if role is None:
                # "the Russian and Venezuelan delegations attending …": a list shares its last member's role
                # "法国、德国和英国是…的缔约方": walk the list to its member nearest the initiative
                prev = c
                while role is None:
                    nxt = ms.starting(prev["char_end"], span["start"])[:1]
                    if not (nxt and _list_members(text, nxt[0], prev)):
                        break
                    role = _before_rule(text, nxt[0], span, kind, ms)
                    role = None if role == "host" else role
                    prev = nxt[0]
        elif span["end"] <= c["char_start"]:
            role = _after_rule(text, span, c, kind)
            if role is None and _member_paren(text, s, c) and kind in ("organisation", "alliance", "bloc"):
                role = "member"
            if role is None:
                p = _participle(text, s, span)
                first = ms.starting(span["end"], e + 1)[:1]
                if p and first and first[0] is c and re.search(r",\s*(?:the\s+)?$", text[span["end"]:c["char_start"]][-12:] or ","):
                    role = p
        if role == "target" and span["end"] <= c["char_start"] and any(
                span["end"] <= o["start"] < c["char_start"] for o in reach if o is not span):
            role = None  # "the EU's new sanctions against Russia": the sanctions' target, not the EU's
        if role:
            out.append((role, span))
    if out:
        return out
    if near:
        return [("mentioned", near.nearest(c["char_start"], c["char_end"]))]
    return [("mentioned", min(spans, key=lambda sp: _distance(c, sp)))]


def _distance(c, span):
    return span["start"] - c["char_end"] if c["char_end"] <= span["start"] else c["char_start"] - span["end"]


def party_role(kind, text, s, e, span):
    "The role of a described initiative's parties: signed, ratified, took part, or simply a side."
    if kind in EVENT_KINDS or kind == "dialogue":
        return "participant"
    if kind in ("coalition", "alliance", "bloc", "organisation"):
        return "member"
    if kind in AGREEMENT_KINDS or kind == "partnership":
        # the verb must be the initiative's own: "signed an agreement", "the accord was signed in March"
        near = text[max(s, span["start"] - 40):min(e, span["end"] + 30)]
        if _RATIFIED.search(near):
            return "ratified"
        if _SIGNED.search(near):
            return "signatory"
    return "party"


# --- dates ----------------------------------------------------------------------------------------------

_DATE_EN = re.compile(r"\b(?:in|In|since|Since|on|On|from|From|by|By)\s+(?:(?:early|late|mid-?)\s*)?"
                      r"(?:(January|February|March|April|May|June|July|August|September|October|November|December)"
                      r"(?:\s+(\d{1,2}))?(?:,)?\s*)?((?:19|20)\d{2})?\b")
_DATE_ZH = re.compile(r"((?:19|20)\d{2})年(?:(\d{1,2})月)?(?:(\d{1,2})日)?")
_UNTIL_EN = re.compile(r"\b(?:until|till|through)\s+(?:the\s+end\s+of\s+)?(January|February|March|April|May|June|July|"
                       r"August|September|October|November|December)?(?:\s+)?((?:19|20)\d{2})?", re.I)
_UNTIL_ZH = re.compile(r"(?:直至|直到|至)((?:19|20)\d{2})?年?(\d{1,2})月")


def role_dates(sentence, role, date):
    """(valid_from, valid_to) the sentence gives a role ('joined in April 2023', 'signed in 2019', 'until June',
    直至6月); `date` (the article's ISO date) fills a missing year and is valid_from when the text gives none."""
    start = end = None
    m = _UNTIL_EN.search(sentence)
    zh = _UNTIL_ZH.search(sentence)
    if zh:
        # without an article date to find its year, the text's own words ("直至6月") are kept
        end = _ym(zh.group(1), zh.group(2), date, future=True) or zh.group(0)
    elif m and (m.group(1) or m.group(2)):
        end = _ym(m.group(2), _MONTHS.index(m.group(1).lower()) + 1 if m.group(1) else None, date, future=True) \
            or m.group(0)
    for dm in _DATE_EN.finditer(sentence):
        month, day, year = dm.group(1), dm.group(2), dm.group(3)
        if m and m.start() <= dm.start() < m.end():
            continue
        if year or month:
            if not year and not date:
                continue
            mo = _MONTHS.index(month.lower()) + 1 if month else None
            start = _ym(year, mo, date, future=False)
            if start and day and mo:
                start += "-%02d" % int(day)
            break
    if not start:
        dz = _DATE_ZH.search(sentence)
        if dz:
            start = dz.group(1) + ("-%02d" % int(dz.group(2)) if dz.group(2) else "")
            if dz.group(2) and dz.group(3):
                start += "-%02d" % int(dz.group(3))
    return start or (date[:10] if date else None), end


def _ym(year, month, date, future):
    if year and not month:
        return str(year)
    if not month:
        return None
    if year:
        return "%s-%02d" % (year, int(month))
    if date and re.match(r"\d{4}-\d{2}", date):
        y, mo = int(date[:4]), int(date[5:7])
        if future and int(month) < mo:
            y += 1
        if not future and int(month) > mo:
            y -= 1
        return "%d-%02d" % (y, int(month))
    return None
