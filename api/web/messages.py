"""The console's words for the domain's errors: each reason a service raises (matcher/errors.py) worded in Chinese
and in English from its parameters, and a validator's field problems worded with the field's label. The API keeps
the services' English messages; a person on a console page reads the page's language."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from api.limits import size_text
from api.web.i18n import Translator
from matcher.errors import FieldProblem, InvalidFields, TalentError, TooLarge

SAID = "said"  # the reason of an error a console page raised already worded in the reader's language

# reason -> (Chinese, English); {name} is a parameter of the error (matcher/errors.py: TalentError.params).
MESSAGES: dict[str, tuple[str, str]] = {
    # not found
    "candidate_not_found": (
        "找不到编号为 {candidate} 的候选人（可能已隐藏或注销）。",
        "Candidate {candidate} was not found (they may have hidden or erased their profile).",
    ),
    "job_not_found": ("找不到编号为 {job} 的职位。", "Job {job} was not found."),
    "referral_not_found": ("找不到编号为 {referral} 的推荐记录。", "Referral {referral} was not found."),
    "contact_request_not_found": ("找不到编号为 {request} 的联系请求。", "Contact request {request} was not found."),
    "saved_search_not_found": ("找不到编号为 {search} 的已保存搜索。", "Saved search {search} was not found."),
    "feedback_not_found": ("找不到编号为 {feedback} 的反馈。", "Feedback {feedback} was not found."),
    "organization_not_found": ("找不到编号为 {organization} 的机构。", "Organization {organization} was not found."),
    "no_consent_given": (
        "您尚未向该机构（编号 {organization}）授权。",
        "You have not given consent to organization {organization}.",
    ),
    "own_profile_gone": ("您的档案已不存在。", "Your profile no longer exists."),
    "not_shortlisted": (
        "候选人 {candidate} 不在职位 {job} 的候选名单中。",
        "Candidate {candidate} is not on your shortlist for job {job}.",
    ),
    "unknown_policy": ("没有名为「{policy}」的政策。", "There is no policy “{policy}”."),
    # who may do what
    "partners_only": ("只有引才合伙人可以这样做。", "Only talent partners can do this."),
    "candidate_only": ("只有候选人本人可以这样做。", "Only the candidate themselves can do this."),
    "enterprises_only": ("只有用人单位账号可以发布职位。", "Only enterprise accounts post jobs."),
    "enterprise_gone": ("此账号所属的单位已不存在。", "This account's enterprise no longer exists."),
    "organizations_only": (
        "只有用人单位和引才合伙人可以请求候选人的联系方式。",
        "Only enterprises and partner firms ask candidates for their contact details.",
    ),
    "office_only": ("只有人才办可以处理反馈。", "Only the talent office handles feedback."),
    "office_answers": (
        "反馈由人才办答复，您的角色不能提交反馈。",
        "Your role cannot file feedback; the talent office answers it.",
    ),
    "certification_hidden": ("用人单位看不到人才认定结果。", "Enterprises do not see certification decisions."),
    "no_consent": (
        "候选人尚未授权贵机构查看其人才认定结果。",
        "The candidate has not consented to your firm seeing their certification.",
    ),
    "ledger_hidden": (
        "奖励台账只对人才办和引才合伙人开放。",
        "The rewards ledger is the talent office's and the partner firms'.",
    ),
    "stage_not_yours": ("您的角色不能把推荐改为「{stage}」。", "Your role cannot move a referral to “{stage}”."),
    # referrals
    "job_closed": ("职位 {job} 已关闭。", "Job {job} is closed."),
    "already_referred": (
        "您已把这位候选人推荐到职位 {job}。",
        "You have already referred this candidate to job {job}.",
    ),
    "referral_closed": ("推荐 {referral} 已终止。", "Referral {referral} is closed."),
    "referral_past_declining": (
        "推荐 {referral} 已是「{stage}」，不能再终止。",
        "Referral {referral} is already “{stage}”; it can no longer be declined.",
    ),
    "stage_out_of_order": (
        "推荐 {referral} 目前是「{stage}」，下一阶段应为「{next}」。",
        "Referral {referral} is “{stage}”; the next stage is “{next}”.",
    ),
    "stage_not_back": (
        "推荐 {referral} 目前是「{stage}」，只能更正为更早的阶段。",
        "Referral {referral} is “{stage}”; a correction moves it to an earlier stage.",
    ),
    "stage_correction_past_hired": (
        "推荐 {referral} 已入职并进入认定或奖励流程，不能更正阶段；请联系人才办。",
        "Referral {referral} is past hiring (certification or reward); its stage cannot be corrected: ask the talent office.",
    ),
    "correction_reason": (
        "请写明更正的原因（1 至 500 个字）。",
        "Give the reason for the correction (1 to 500 characters).",
    ),
    "placement_owned": (
        "这位候选人已于 {since} 被推荐给该用人单位，那次推荐在 {until} 之前拥有这次安置。",
        "This candidate was referred to this employer on {since}; that referral owns the placement until {until}.",
    ),
    "placement_claimed": ("另一条推荐已先取得这次安置。", "Another referral claimed this placement first."),
    "no_tier": (
        "候选人不符合任何认定层次；认定须带层次。",
        "The candidate meets no certification tier; a referral is certified with its tier.",
    ),
    "unknown_stage": ("没有「{stage}」这个阶段。", "There is no stage “{stage}”."),
    "unknown_status": ("没有「{status}」这个状态。", "There is no status “{status}”."),
    "unknown_tier": (
        "没有「{tier}」这个认定层次（层次是单个大写字母，如 A）。",
        "There is no tier “{tier}” (tiers are single capital letters such as A).",
    ),
    "tier_override_reason": (
        "请写明调整认定层次的原因（1 至 500 个字）。",
        "Give the reason for overriding the tier (1 to 500 characters).",
    ),
    "tier_override_same": (
        "按认定标准，该候选人本来就是「{tier}」：无需调整，如要恢复请撤销调整。",
        "The criteria give tier “{tier}” already: nothing to override (remove the override to go back to them).",
    ),
    "tier_override_race": (
        "候选人 {candidate} 的认定层次刚被他人调整，请刷新页面后再试。",
        "Someone set the tier of candidate {candidate} a moment ago: reload the page and try again.",
    ),
    "no_tier_override": (
        "人才办没有调整过候选人 {candidate} 的认定层次。",
        "The office has not set the tier of candidate {candidate}.",
    ),
    "office_sets_tiers": ("只有人才办可以调整认定层次。", "Only the talent office sets a certification tier."),
    "office_links_people": (
        "只有人才办可以判定哪些记录属于同一人。",
        "Only the talent office decides which records are one person.",
    ),
    # contact requests
    "message_too_long": ("留言不能超过 {limit} 个字。", "The message can be at most {limit} characters."),
    "already_shared": (
        "候选人已向贵机构公开联系方式。",
        "The candidate already shares their contact details with your organization.",
    ),
    "contact_pending": (
        "贵机构已发出请求，候选人尚未答复。",
        "Your organization has asked already; the candidate has not answered yet.",
    ),
    "contact_declined": (
        "候选人已于 {declined} 拒绝，{again} 之后才能再次请求。",
        "The candidate declined on {declined}; ask again after {again}.",
    ),
    "contact_request_answered": (
        "联系请求 {request} 已处理（{status}）。",
        "Contact request {request} was {status} already.",
    ),
    # interests (我感兴趣)
    "employer_not_on_platform": (
        "职位 {job} 的用人单位尚未入驻人才桥，暂时无法向其表达意向。",
        "The employer of job {job} is not on TalentBridge yet, so it cannot be told you are interested.",
    ),
    "interest_needs_consent": (
        "请勾选同意「{employer}」查看您的姓名和联系方式，才能向其表达意向。",
        "Tick the box agreeing that {employer} may see your name and contact details to tell them you are interested.",
    ),
    "already_interested": (
        "您已于 {since} 表达过对职位 {job} 的意向，无需重复提交。",
        "You told the employer on {since} that you are interested in job {job}; there is no need to tell them again.",
    ),
    "not_interested": (
        "您尚未表达对职位 {job} 的意向（或已撤回）。",
        "You have not told the employer of job {job} that you are interested (or you withdrew it).",
    ),
    # partners' tools
    "too_many_searches": (
        "贵机构已保存 {limit} 条搜索，请先删除一些。",
        "Your firm has {limit} saved searches: delete some first.",
    ),
    "already_shortlisted": (
        "候选人 {candidate} 已在职位 {job} 的候选名单中。",
        "Candidate {candidate} is already on your shortlist for job {job}.",
    ),
    # profiles and jobs
    "not_editable": ("这些字段不能修改：{fields}。", "These fields cannot be changed: {fields}."),
    "consent_method": (
        "请选择取得授权的方式（书面、电子或录音电话）。",
        "Choose how consent was obtained (written, electronic or a recorded call).",
    ),
    "consent_in_future": ("取得授权的时间不能晚于现在。", "Consent cannot have been obtained in the future."),
    "job_imported": (
        "职位 {job} 导入自 {source}，请在来源处修改。",
        "Job {job} was imported from {source}; change it there.",
    ),
    "refused_by_database": (
        "数据库拒绝了这次保存，请检查内容后重试。",
        "The database refused to store this; check what was entered and try again.",
    ),
    "nul_character": (
        "文字中不能含有空字符（\\x00），请删除后重试。",
        "Text cannot contain NUL (\\x00) characters: remove them and try again.",
    ),
    # feedback
    "text_length": ("内容须为 1 至 {limit} 个字。", "The text must be 1 to {limit} characters long."),
    "feedback_subject": (
        "反馈须针对一条推荐或一项政策（二选一）。",
        "Feedback is about one referral or one policy: choose exactly one.",
    ),
    "feedback_not_open": (
        "反馈 {feedback} 的状态是「{status}」，只有待处理的反馈可以答复。",
        "Feedback {feedback} is “{status}”; only open feedback can be answered.",
    ),
    "feedback_closed": ("反馈 {feedback} 已关闭。", "Feedback {feedback} is already closed."),
    "database_busy": ("系统繁忙（数据库忙），请稍后再试。", "The database is busy; try again in a moment."),
    # searches and reports
    "unknown_degree": ("没有「{degree}」这个学历层次。", "There is no degree level “{degree}”."),
    "unknown_order": ("没有「{order}」这种排序方式。", "There is no sort order “{order}”."),
    "configuration": (
        "服务器配置有误，请联系管理员（错误已记录）。",
        "The server is misconfigured; tell its administrator (the error is logged).",
    ),
    "index_unavailable": (
        "搜索索引暂不可用，请稍后再试。",
        "The search index is not available right now; try again in a moment.",
    ),
    "empty_query": ("请输入要搜索的内容。", "Type some words to search for."),
    "query_too_long": ("搜索内容不能超过 {limit} 个字。", "A search can be at most {limit} characters."),
    "bad_page": ("页码无效。", "That page does not exist."),
    "date_range": (
        "起始日期 {start} 晚于截止日期 {end}，请调换或重新选择。",
        "The start date {start} is after the end date {end}: swap them or choose again.",
    ),
    "day_out_of_range": (
        "日期 {day} 超出范围：请选择 {first} 至 {last} 之间的日期。",
        "{day} is out of range: choose a day from {first} to {last}.",
    ),
    "rate_limited_key": (
        "请求过于频繁（每分钟超过 {limit} 次），请 {retry_after} 秒后再试。",
        "More than {limit} requests a minute; try again in {retry_after} s.",
    ),
    "rate_limited_address": (
        "来自此地址的请求过于频繁（每分钟超过 {limit} 次），请 {retry_after} 秒后再试。",
        "More than {limit} requests a minute from this address; try again in {retry_after} s.",
    ),
    # one person's records (matcher/identity/linking.py)
    "same_record": (
        "这是同一条记录（编号 {candidate}），请选择两条不同的记录。",
        "That is one record ({candidate}): choose two.",
    ),
    "bad_link_verdict": ("请选择「同一人」或「不是同一人」。", "Choose “same person” or “not the same person”."),
    "still_linked": (
        "记录 {first} 与 {second} 仍通过其他记录关联为同一人：请改为把其中一条记录拆出。",
        "Records {first} and {second} are still one person through other records: take one of them out instead.",
    ),
    "verdict_changed": (
        "记录 #{first} 与 #{second} 刚被判定为「{status}」：页面已过期，请刷新后再判断。",
        "Records #{first} and #{second} were just decided ({status}): the page was out of date; reload and decide again.",
    ),
    "not_linked": ("记录 {candidate} 没有与其他记录关联。", "Record {candidate} is not linked with any other record."),
    # résumés
    "no_resume": ("您还没有上传简历。", "You have no résumé on file."),
    "resume_empty": (
        "文件{file}是空的，请重新选择简历文件后上传。",
        "The file{file} is empty: choose the résumé file again and upload it.",
    ),
    "resume_too_large": (
        "简历文件{file}过大，超出 {size} 的上限（压缩的内容按解压后的大小计算）。请精简内容或缩小图片，重新导出为 PDF 或 .docx 后再上传。",
        "The résumé{file} is larger than the {size} limit (packed contents count as unpacked); export it again with smaller images, as a PDF or a .docx.",
    ),
    "resume_too_short": (
        "文件{file}只读到 {chars} 个字，不像一份简历，请确认选对了文件。",
        "The file{file} holds only {chars} characters of text, too little for a résumé; check that you chose the right file.",
    ),
    "resume_misnamed": (
        "文件{file}的扩展名是 {named}，但内容不是；文件可能已损坏或未上传完整，请重新导出。",
        "The file{file} is named like a {named} file but is not one; it may be damaged or only partly uploaded: export it again.",
    ),
    "resume_format": (
        "文件{file}不是 PDF 或 Word .docx 文件，简历只支持这两种格式。",
        "The file{file} is not a PDF or a Word .docx file, the two formats a résumé can be.",
    ),
    "resume_other_format": (
        "文件{file}是{kind}，请以 PDF 或 Word .docx 格式上传简历。",
        "The file{file} is {kind}; upload the résumé as a PDF or a Word .docx file.",
    ),
    "resume_damaged": (
        "文件{file}已损坏，无法读取，请重新导出。",
        "The file{file} is damaged and cannot be read; export it again.",
    ),
    "pdf_page_too_large": (
        "PDF 中有一页的内容远超一页简历的大小，请从原文档重新导出。",
        "A page of the PDF unpacks to far more than a résumé page holds; export it again from the original document.",
    ),
    "pdf_damaged": (
        "PDF 已损坏，无法读取，请从原文档重新导出。",
        "The PDF is damaged and cannot be read; export it again from the original document.",
    ),
    "pdf_no_pages": (
        "PDF 没有页面，请从原文档重新导出。",
        "The PDF has no pages; export it again from the original document.",
    ),
    "pdf_garbled": (
        "PDF 中的文字无法解码（字体缺少 Unicode 映射），请嵌入字体后重新导出，或上传 DOCX。",
        "The PDF's text cannot be decoded (its fonts carry no Unicode mapping); export it again with fonts embedded, or upload a DOCX.",
    ),
    "pdf_scanned": (
        "这份 PDF 没有文字层，像是扫描件；请上传由文字处理软件导出的 PDF 或 DOCX。",
        "The PDF has no text layer (it looks scanned); upload a PDF exported from a word processor, or a DOCX.",
    ),
    "pdf_encryption": (
        "PDF 使用了本系统无法打开的加密方式，请另存（打印）为新的 PDF 后上传。",
        "The PDF is encrypted with a method this server cannot open; print it to a new PDF and upload that.",
    ),
    "pdf_password": (
        "PDF 设有密码，请另存一份无密码的文件后上传。",
        "The PDF is password-protected; save a copy without the password and upload that.",
    ),
    "docx_damaged": (
        "Word 文件已损坏，无法读取，请重新另存为 .docx 后上传。",
        "The Word file is damaged and cannot be read; save it again as .docx and upload that.",
    ),
    "docx_no_text": (
        "Word 文件中没有文字；如果简历是贴进 Word 的图片，请改为上传 PDF。",
        "The Word file has no text; if the résumé is a picture pasted into Word, upload a PDF instead.",
    ),
    "docx_too_large": (
        "Word 文件解压后超过 {size}，不像一份简历；请精简内容，或另存为 PDF 后上传。",
        "The Word file unpacks to more than {size}, too much for a résumé; shorten it, or save it as a PDF and upload that.",
    ),
}

# What a file is, for resume_other_format.
FILE_KINDS: dict[str, tuple[str, str]] = {
    "doc": ("旧版 Word 97–2003 .doc 文件", "an old Word 97–2003 .doc file"),
    "rtf": ("RTF 文件", "an RTF file"),
    "image": ("图片", "an image"),
    "text": ("纯文本文件", "a plain text file"),
    "odt": ("OpenDocument .odt 文件", "an OpenDocument .odt file"),
    "pptx": ("PowerPoint 文件", "a PowerPoint file"),
    "xlsx": ("Excel 文件", "an Excel file"),
    "zip": ("ZIP 压缩包（不是 Word 文档）", "a ZIP archive, not a Word document"),
}

# Each status's words, for an error the catalogue does not know (tests keep that from happening).
BY_STATUS: dict[int, tuple[str, str]] = {
    404: ("找不到所请求的内容。", "What was asked for was not found."),
    405: ("此地址不接受这种请求。", "This address does not take this kind of request."),
    403: ("您没有权限这样做。", "You are not allowed to do this."),
    409: (
        "此操作与当前状态冲突，请刷新页面后再试。",
        "This conflicts with the current state; reload the page and try again.",
    ),
    413: ("提交的内容过大。", "What was sent is too large."),
}

# Field labels for the validator's problems (the record's field names, and education/experience entries' keys).
LABELS: dict[str, tuple[str, str]] = {
    "name": ("姓名", "Name"),
    "headline": ("一句话介绍", "Headline"),
    "summary": ("个人简介", "Summary"),
    "skills": ("技能", "Skills"),
    "location": ("地点", "Location"),
    "preferred_locations": ("意向城市", "Preferred locations"),
    "industries": ("意向行业", "Industries"),
    "languages": ("语言", "Languages"),
    "email": ("邮箱", "E-mail"),
    "birth_year": ("出生年份", "Birth year"),
    "education": ("教育经历", "Education"),
    "experience": ("工作经历", "Experience"),
    "school": ("学校", "University"),
    "degree": ("学位", "Degree"),
    "major": ("专业", "Major"),
    "country": ("国家（地区）", "Country"),
    "end_year": ("毕业年份", "Graduation year"),
    "start_year": ("入学年份", "Start year"),
    "title": ("职位", "Title"),
    "organization": ("单位", "Organization"),
    "start": ("开始", "Start"),
    "end": ("结束", "End"),
    "description": ("工作内容", "Description"),
    "candidate": ("候选人编号", "Candidate id"),
    "first": ("第一条记录", "First record"),
    "second": ("第二条记录", "Second record"),
    "decision": ("判定", "Verdict"),
    "candidate_id": ("候选人编号", "Candidate id"),
    "job": ("职位编号", "Job id"),
    "job_id": ("职位编号", "Job id"),
    "referral_id": ("推荐编号", "Referral id"),
    "feedback_id": ("反馈编号", "Feedback id"),
    "request_id": ("请求编号", "Request id"),
    "page": ("页码", "Page"),
    "answer": ("答复", "Answer"),
    "as_of": ("计算日期", "As of"),
    "from": ("起始日期", "From"),
    "to": ("截止日期", "To"),
    "tier": ("认定层次", "Tier"),
    "limit": ("显示条数", "How many"),
    "offset": ("起始位置", "Offset"),
    "q": ("搜索内容", "Search"),
    "min_degree": ("最低学历", "Minimum degree"),
    "stage": ("阶段", "Stage"),
    "reason": ("原因", "Reason"),
    "visible": ("可见性", "Visibility"),
    "file": ("简历文件", "Résumé file"),
    "format": ("导出格式", "Export format"),
}


def _shown(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def problem_text(kind: str, bounds: Mapping[str, Any], fallback: str, t: Translator) -> str:
    """One field's problem (a validator's error type and bounds) in the reader's language."""
    bound = next((bounds[k] for k in ("ge", "le", "gt", "lt", "max_length", "min_length") if k in bounds), "")
    shown = _shown(bound)
    reasons = {
        "missing": ("必须填写", "is required"),
        "string_too_short": ("必须填写", "is required"),
        "string_too_long": (f"不能超过 {shown} 个字符", f"must be at most {shown} characters"),
        "too_long": (f"最多 {shown} 项", f"at most {shown} entries"),
        "too_short": (f"至少 {shown} 项", f"at least {shown} entries"),
        "greater_than_equal": (f"不能小于 {shown}", f"must be at least {shown}"),
        "greater_than": (f"必须大于 {shown}", f"must be more than {shown}"),
        "less_than_equal": (f"不能大于 {shown}", f"must be at most {shown}"),
        "less_than": (f"必须小于 {shown}", f"must be less than {shown}"),
        "int_parsing": ("必须是整数", "must be a whole number"),
        "int_type": ("必须是整数", "must be a whole number"),
        "int_from_float": ("必须是整数", "must be a whole number"),
        "float_parsing": ("必须是数字", "must be a number"),
        "float_type": ("必须是数字", "must be a number"),
        "finite_number": ("必须是数字", "must be a number"),
        "string_pattern_mismatch": ("格式不对", "is not in the expected form"),
        "literal_error": ("请从列表中选择", "choose one of the listed values"),
        "enum": ("请从列表中选择", "choose one of the listed values"),
        "currency": ("不是有效的币种代码（如 CNY、USD、EUR）", "is not a currency code (such as CNY, USD, EUR)"),
        "value_error": ("格式不对", "is not in the expected form"),
        "date_from_datetime_parsing": ("不是有效的日期", "is not a date"),
        "date_parsing": ("不是有效的日期", "is not a date"),
        "no_content": (
            "请至少填写一句话介绍、个人简介、技能、教育经历或工作经历之一",
            "fill in at least one of headline, summary, skills, education or experience",
        ),
        "salary_range": (
            f"最低薪资（{_shown(bounds.get('low', ''))}）高于最高薪资（{_shown(bounds.get('high', ''))}）",
            f"the minimum salary ({_shown(bounds.get('low', ''))}) is above the maximum ({_shown(bounds.get('high', ''))})",
        ),
        "deadline_before_posting": (
            f"申请截止日期（{_shown(bounds.get('deadline', ''))}）早于发布日期（{_shown(bounds.get('posted', ''))}）",
            f"the last day to apply ({_shown(bounds.get('deadline', ''))}) is before the posting date "
            f"({_shown(bounds.get('posted', ''))})",
        ),
        "end_before_start": (
            f"{_shown(bounds.get('end', ''))} 早于开始时间 {_shown(bounds.get('start', ''))}",
            f"{_shown(bounds.get('end', ''))} is before the start, {_shown(bounds.get('start', ''))}",
        ),
        "birth_year": (
            f"须在 {_shown(bounds.get('ge', ''))} 至 {_shown(bounds.get('le', ''))} 之间",
            f"must be between {_shown(bounds.get('ge', ''))} and {_shown(bounds.get('le', ''))}",
        ),
    }
    pair = reasons.get(kind)
    if pair is not None:
        return t(*pair)
    return t("内容无效", "is not valid") if t.lang == "zh" or not fallback else fallback


def field_label(loc: tuple[str | int, ...], t: Translator, labels: Mapping[str, tuple[str, str]] = LABELS) -> str:
    """Where a problem is, in words: ("education", 0, "end_year") -> 教育经历 1 · 毕业年份."""
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int):
            parts[-1:] = [f"{parts[-1]} {part + 1}"] if parts else [str(part + 1)]
        elif part in labels:
            parts.append(t(*labels[part]))
        elif not part.startswith(("function-", "model-")):  # pydantic's names for validators, not fields
            parts.append(part)
    return " · ".join(parts)


def problems_text(problems: list[FieldProblem], t: Translator) -> str:
    """Every problem as "label: what is wrong", joined."""
    said = []
    for problem in problems:
        label, text = field_label(problem.loc, t), problem_text(problem.kind, problem.bounds, problem.text, t)
        said.append(f"{label}{t('：', ': ')}{text}" if label else text[:1].upper() + text[1:])
    return t("；", "; ").join(said)


def worded(error: TalentError, t: Translator) -> str:
    """The error in the reader's language, from its reason and parameters."""
    if error.reason == SAID:
        return error.message
    if isinstance(error, InvalidFields):
        return problems_text(error.problems, t) + t("。", ".")
    pair = MESSAGES.get(error.reason)
    if pair is None:
        status = BY_STATUS.get(error.status_code)
        if t.lang == "en" or status is None:
            return error.message if t.lang == "en" else t("提交的内容无效，请检查后重试。", error.message)
        return t(*status)
    params = {key: _param(key, value, t) for key, value in error.params.items()}
    if isinstance(error, TooLarge):
        params["size"] = size_text(error.limit)
    template = t(*pair)
    try:
        return template.format(**params)
    except (KeyError, IndexError):  # a reason raised without a parameter its wording names
        return t(*BY_STATUS.get(error.status_code, ("提交的内容无效，请检查后重试。", error.message)))


def _param(key: str, value: object, t: Translator) -> str:
    if key in ("stage", "next", "status"):
        return t.word(value)
    if key == "kind":
        return t(*FILE_KINDS.get(str(value), (str(value), str(value))))
    if key == "file":
        return f"「{value}」" if t.lang == "zh" and value else f" “{value}”" if value else ""
    if key == "fields":
        return t("、", ", ").join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
    return _shown(value)
