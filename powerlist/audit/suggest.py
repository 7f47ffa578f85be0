"""整改建议: what the office asks the responsible unit to do about a finding, per code.

A code listed in ``_BY_CODE`` has its own suggestion; any other code (a new one included) gets its
family's, which ends by pointing at ``powerlist rule CODE``: every code yields a non-empty
suggestion (tests/test_audit_workbook.py checks all registered codes).
"""

from __future__ import annotations

from powerlist.i18n import Lang, T, Text

_BY_CODE: dict[str, Text] = {
    "A001": T("按取消决定将事项状态改为 abolished 并写明 abolished_by，或删除该事项",
              "set the power's status to abolished with abolished_by naming the decision, or remove it"),
    "A002": T("在 decisions.yaml 中登记该取消决定，或更正 abolished_by 的编号",
              "register the decision in decisions.yaml, or correct abolished_by"),
    "A003": T("核实是否已取消：已取消的改为 status: abolished，未取消的删除 abolished_by",
              "check whether it was abolished: set status: abolished, or remove abolished_by"),
    "A004": T("补写取消依据 abolished_by（决定编号或文号）", "add abolished_by (the decision's id or document number)"),
    "B001": T("补充设定依据（法律、法规或规章的名称及条款）；确无依据的，提请取消该事项",
              "add the legal basis (law, regulation or rule, with articles); without one, propose abolishing it"),
    "B002": T("核对依据名称，在 laws.yaml 中登记该文件或改用其准确名称",
              "check the title: register the instrument in laws.yaml or use its exact title"),
    "B003": T("依据已全部废止：按替代文件调整依据，或提请取消该事项",
              "every basis is repealed: cite the replacing instrument, or propose abolishing the power"),
    "B004": T("删除已废止的依据，改引现行有效的文件", "drop the repealed instrument and cite one in force"),
    "B005": T("对照修订后的文本复核所引条款，更新条款序号", "check the cited articles against the amended text and update them"),
    "B006": T("补充法律、法规或规章依据；仅有规范性文件依据的，提请取消或调整",
              "add a law, regulation or rule as basis; with only normative documents, propose abolishing or adjusting it"),
    "C001": T("补充足以设定行政许可的上位依据，或调整类别、提请取消",
              "cite a basis of sufficient rank to create the licence, or re-categorise or abolish it"),
    "C002": T("临时性许可满一年：提请制定地方性法规，或停止实施",
              "the temporary licence is a year old: seek a local regulation or stop it"),
    "C003": T("限制人身自由的处罚只能由法律设定：补充法律依据或删除该处罚",
              "only a law may restrict personal freedom: cite the law or remove the penalty"),
    "C004": T("补充法律、行政法规依据，或删除吊销营业执照的处罚",
              "cite a law or administrative regulation, or remove the penalty"),
    "C005": T("规章只能设定警告、通报批评或一定数额罚款：调整处罚种类或补充上位依据",
              "rules may set only warnings, criticism and fines: adjust the penalty or cite a higher basis"),
    "C006": T("规范性文件不得设定许可、处罚、强制：补充法律、法规、规章依据或提请取消",
              "normative documents cannot create these powers: cite a law, regulation or rule, or abolish it"),
    "C007": T("按行政强制法第十条调整强制措施或补充相应层级的依据",
              "adjust the measure or cite a basis of the rank article 10 of the Coercion Law requires"),
    "C008": T("补充法律依据，或改为申请人民法院强制执行", "cite a law, or apply to the people's court for enforcement instead"),
    "C010": T("备案事项改列「其他行政权力」", "list the filing under 「其他行政权力」"),
    "C011": T("核实是否属于行政许可，属于的改列「行政许可」", "check whether it is a licence; if so, list it under 「行政许可」"),
    "C012": T("公共服务事项移出权力清单，列入公共服务事项清单",
              "move the service out of the power list into the public-service list"),
    "D001": T("为重复的事项改用唯一编码，或删除重复文件", "give the duplicate a unique id, or delete the duplicate file"),
    "D002": T("合并重复事项，保留一项", "merge the duplicates into one power"),
    "D003": T("核实是否同一事项：是则合并，否则修改名称加以区分",
              "check whether they are one power: merge them, or rename to tell them apart"),
    "D004": T("确定事项的唯一类别，合并或更正", "settle on one category and merge or correct"),
    "D005": T("更正重复的实施编码或业务办理项编码", "correct the duplicated implementation or handling code"),
    "D006": T("对照基本目录统一同一基本编码的名称和类别",
              "align name and category of the basic code with the national directory"),
    "G001": T("补充收费依据，或停止收费", "cite the basis for the fee, or stop charging it"),
    "G002": T("许可收费须有法律、行政法规依据：补充依据或取消收费",
              "licence fees need a law or regulation: cite one or drop the fee"),
    "G003": T("删除处罚、强制事项中的收费", "remove the fee from the penalty or coercive measure"),
    "G004": T("更正收费依据为现行有效的文件", "cite a fee basis that is in force"),
    "G005": T("在办事指南中补充申请材料目录和投诉渠道", "add the list of materials and a complaint channel to the guide"),
    "G006": T("删除可由部门核查的证明材料，或改行告知承诺制",
              "drop certificates the office can verify itself, or use notification and commitment"),
    "J001": T("明确由一个主体实施；确需联合实施的，在双方 co_bodies 中写明并附批准文件",
              "assign the power to one body; for joint exercise, name both in co_bodies with the approval"),
    "J002": T("下放给具有执法资格的主体，或收回下放",
              "delegate to a body with enforcement qualification, or withdraw the delegation"),
    "J003": T("按下放决定将事项移交承接主体", "hand the power to the body the decision delegated it to"),
    "J004": T("行政强制措施不得委托：收回，由法定主体实施",
              "coercive measures cannot be delegated: return it to the body the law names"),
    "P001": T("补充运行流程图（受理、审查、决定、送达等环节）", "add the process flowchart (accept, review, decide, serve …)"),
    "P007": T("为每个环节写明承办主体和办理时限", "name the actor and the time limit of every step"),
    "P008": T("压缩各环节时限，使合计不超过法定办结时限", "shorten the steps so that together they fit the statutory limit"),
    "P009": T("承诺时限调整为不超过法定时限", "make the promised limit no longer than the statutory one"),
    "P010": T("补齐受理、审查、决定、送达环节", "add the missing accept, review, decide or serve step"),
    "P011": T("所有结束路径都须经过决定环节", "route every path to an end through the decision"),
    "P012": T("在处罚决定前增加告知环节（陈述、申辩）", "add a notification step (statement and defence) before the decision"),
    "P013": T("增加听证告知和听证环节", "add the hearing notice and hearing steps"),
    "P014": T("在实施强制措施前增加报经负责人批准环节", "add approval by the responsible officer before the measure"),
    "P015": T("法定时限调整为20个工作日以内，或写明法律、法规依据",
              "bring the limit within 20 working days, or cite the law allowing more"),
    "P016": T("决定后的送达时限调整为法定期限以内", "serve the decision within the statutory period"),
    "R002": T("在 bodies.yaml 中登记该主体，或更正事项的 body", "register the body in bodies.yaml, or correct the power's body"),
    "R004": T("核对并更正统一社会信用代码", "check and correct the unified social credit code"),
    "R005": T("将事项划转给承接职能的主体", "move the power to the body that took over the functions"),
    "R012": T("补齐缺少的登记簿文件", "add the missing registry file"),
    "S014": T("改为配置中的职权类别之一", "use one of the configured categories"),
    "S016": T("文件改名为「事项编码.yaml」", "rename the file to <id>.yaml"),
    "S020": T("删除不再对应任何问题的豁免", "remove the waiver that matches no finding"),
    "S021": T("豁免已到期：整改该问题或重新审批豁免", "the waiver expired: fix the finding or renew the waiver"),
}

_BY_FAMILY: dict[str, Text] = {
    "S": T("按问题说明修正文件格式或字段", "fix the file's format or field as the finding says"),
    "R": T("更正登记簿（bodies.yaml、laws.yaml、decisions.yaml）中的条目或引用",
           "correct the registry entry or the reference to it"),
    "B": T("核实并更正事项的设定依据", "check and correct the power's legal basis"),
    "D": T("核实重复事项，合并或加以区分", "check the duplicates; merge them or tell them apart"),
    "J": T("核实实施主体与下放情况，按一事一部门调整", "check the body and delegation; one matter, one department"),
    "A": T("按取消决定调整事项状态", "bring the power's status in line with the cancellation decision"),
    "P": T("按问题说明修改运行流程图和办结时限", "correct the flowchart and time limits as the finding says"),
    "C": T("核实职权类别与设定依据，调整类别或补充依据", "check category and basis; re-categorise or cite a proper basis"),
    "G": T("补充或更正办事指南中的相应内容", "complete or correct the public guide"),
    "U": T("对照上级清单核实并调整该事项", "check the power against the upper-level list and align it"),
}


def suggestion(code: str, lang: Lang) -> str:
    """The fix the office asks for: the code's own, else its family's with a pointer to the rule."""
    own = _BY_CODE.get(code)
    if own is not None:
        return own.get(lang)
    base = _BY_FAMILY.get(code[:1], T("按问题说明整改", "fix it as the finding says"))
    see = T(f"（详见 powerlist rule {code}）", f" (see powerlist rule {code})")
    return base.get(lang) + see.get(lang)
