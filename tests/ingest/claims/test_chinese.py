"""Chinese claims on fixtures written for these tests: speaker boundaries, the press-conference pattern,
据了解 / 据悉 / 记者…获悉, quotations credited on the next words, 告诉…记者 as an intermediary, a denial that
must not leak onto a credited report, the outlet's own facts, figures."""
from newstrace.ingest.claims import extract_claims

TEXT = (
    "新华社北京3月8日电\n"
    "外交部发言人林海8日在例行记者会上表示，中方愿同各方加强合作。\n"
    "据了解，该项目总投资达3亿元。\n"
    "记者从市应急管理局获悉，当天共转移群众1200多人。\n"
    "果农告诉东湖晚报记者，每亩年收入可达6万至8万元。\n"
    "“在网上，每天都有好多人向我订货。”青石村村民王秀兰说。\n"
    "据海峡日报报道，两国将于下月签署协议，但商务部否认曾收到邀请。\n"
    "在抗击洪水的日子里，封在镇上的家长们总要小心翼翼回应着孩子的追问。\n"
    "如果明年继续增长，该市将成为全省第一。\n"
    "青石镇政府上周启动了防洪工程，并转移了沿河居民。\n"
    "该园区面积2.8万平方米，引进企业一亿两千万元。\n"
)


def row(claims, needle, n=0):
    found = [c for c in claims if needle in c["sentence"]]
    assert found, (needle, [c["sentence"] for c in claims])
    return found[n]


def test_chinese_patterns():
    claims = extract_claims(TEXT, "zh")
    for c in claims:
        assert TEXT[c["char_start"]:c["char_end"]] == c["sentence"] and c["lang"] == "zh"
    # the date and the press conference are not part of the name
    c = row(claims, "例行记者会")
    assert (c["speaker"], c["attribution_mode"]) == ("林海", "indirect_speech")
    c = row(claims, "据了解")
    assert (c["speaker"], c["attribution_mode"], c["verification_status"]) == (None, "anonymous", "unverified")
    assert [(q["value"], q["unit"]) for q in c["quantities"]] == [(3e8, "CNY")]
    c = row(claims, "获悉")
    assert c["speaker"] == "市应急管理局" and [(q["value"], q["unit"], q["op"]) for q in c["quantities"]] == \
        [(1200.0, "people", ">")]
    c = row(claims, "告诉东湖晚报记者")
    assert (c["speaker"], c["chain"]) == ("果农", ["果农", "东湖晚报"])
    assert [(q["from"], q["to"], q["unit"]) for q in c["quantities"]] == [(6e4, 8e4, "CNY")]
    c = row(claims, "向我订货")
    assert (c["speaker"], c["attribution_mode"]) == ("王秀兰", "direct_quote")
    # the denial is the ministry's own clause: the report keeps its outlet and no status, the denial no outlet
    report, denial = row(claims, "否认", 0), row(claims, "否认", 1)
    assert (report["speaker"], report["cited_source"], report["verification_status"]) == \
        ("海峡日报", "海峡日报", "none")
    assert (denial["speaker"], denial["cited_source"], denial["verification_status"], denial["status_by"]) == \
        ("Chinese Ministry of Commerce", None, "denied", "Chinese Ministry of Commerce")  # its alias (speakers.json)
    # no speaker is a character cut from the sentence ("封"); a scene without figure, place or event is no claim
    assert not any(c["speaker"] and len(c["speaker"]) < 2 for c in claims)
    assert not any("抗击洪水" in c["sentence"] for c in claims)
    assert not any("如果明年" in c["sentence"] for c in claims)  # a conditional
    c = row(claims, "镇政府")
    assert (c["speaker"], c["attribution_mode"]) == (None, "asserted")  # the outlet's own report of an event
    c = row(claims, "2.8万平方米")
    assert [(q["value"], q["unit"]) for q in c["quantities"]] == [(28000.0, "square metre"), (1.2e8, "CNY")]
