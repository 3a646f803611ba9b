"""Each role's menu: (path under /console, Chinese, English)."""

from matcher.people.accounts import Role

NAV: dict[Role, list[tuple[str, str, str]]] = {
    Role.partner: [
        ("/partner", "搜索候选人", "Search candidates"),
        ("/partner/searches", "已存搜索", "Saved searches"),
        ("/partner/shortlists", "候选名单", "Shortlists"),
        ("/partner/referrals", "推荐看板", "Referral board"),
        ("/partner/rewards", "奖励台账", "Rewards"),
    ],
    Role.enterprise: [
        ("/enterprise", "我的职位", "My jobs"),
        ("/enterprise/jobs/new", "发布职位", "Post a job"),
        ("/enterprise/requests", "联系请求", "Contact requests"),
    ],
    Role.candidate: [
        ("/me", "我的档案", "My profile"),
        ("/me/openings", "推荐职位", "Openings for me"),
        ("/me/policies", "政策待遇", "Policies & subsidies"),
        ("/me/privacy", "隐私与授权", "Privacy & consent"),
    ],
    Role.admin: [
        ("/office", "专业清单", "Priority majors"),
        ("/office/catalogue", "人才目录", "Talent catalogue"),
        ("/office/funnel", "推荐与入职", "Referrals & placements"),
        ("/office/certification", "人才认定", "Certification queue"),
        ("/office/people", "同一人核对", "Duplicate review"),
        ("/office/feedback", "意见反馈", "Feedback inbox"),
    ],
}
