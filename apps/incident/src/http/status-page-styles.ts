// Inline because the page's CSP is default-src 'none' (no external assets) and it must render
// during an incident even if every CDN is down. Statuspage's palette, darkened where white
// text on it would fail WCAG contrast; light and dark schemes follow the reader's setting.
export const STATUS_PAGE_CSS = `
:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--text:#1f2430;--muted:#5e6675;--line:#e3e6eb;
--ok:#2fcc66;--ok-t:#17663a;--maint:#3498db;--maint-t:#1f5f94;--minor:#f1c40f;--minor-t:#7a5c00;
--major:#e67e22;--major-t:#9a4a0c;--crit:#e74c3c;--crit-t:#a8281b}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--card:#171b22;--text:#e7e9ee;--muted:#9aa3b2;--line:#2a303b;
--ok-t:#6ee7a0;--maint-t:#8cc8f5;--minor-t:#f7dc6f;--major-t:#f5b07a;--crit-t:#f5a097}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);line-height:1.5;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:inherit}
.wrap{max-width:860px;margin:0 auto;padding:0 20px}
.masthead{padding-top:40px;padding-bottom:28px}
.brand{display:flex;align-items:baseline;gap:10px;margin:0;font-size:28px;font-weight:700;letter-spacing:-.02em}
.brand span{font-weight:400;color:var(--muted);font-size:20px}
.banner{display:flex;align-items:center;gap:14px;padding:18px 22px;border-radius:8px;color:#fff;margin-bottom:32px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}
.banner h2{margin:0;font-size:21px;font-weight:600}
.banner svg{flex:none;width:28px;height:28px}
.banner.operational{background:#1f8f4e}.banner.under_maintenance{background:#2a6fb5}
.banner.degraded_performance{background:#f1c40f;color:#2b2300}.banner.partial_outage{background:#c8590f}
.banner.major_outage{background:#c9302c}
.components{background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
.components h2{margin:0;padding:14px 22px;font-size:14px;font-weight:600;text-transform:uppercase;
letter-spacing:.06em;color:var(--muted);border-bottom:1px solid var(--line)}
.components ul{list-style:none;margin:0;padding:0}
.component{display:flex;align-items:center;justify-content:space-between;gap:16px;padding:16px 22px;
border-bottom:1px solid var(--line)}
.component:last-child{border-bottom:0}
.component h3{margin:0;font-size:16px;font-weight:600}
.component p{margin:2px 0 0;font-size:14px;color:var(--muted)}
.pill{flex:none;display:inline-flex;align-items:center;gap:8px;padding:4px 12px 4px 10px;border-radius:999px;
font-size:14px;font-weight:600;color:var(--t);background:color-mix(in srgb,var(--c) 15%,transparent)}
.pill::before{content:"";width:10px;height:10px;border-radius:50%;background:var(--c)}
.operational{--c:var(--ok);--t:var(--ok-t)}.under_maintenance{--c:var(--maint);--t:var(--maint-t)}
.degraded_performance{--c:var(--minor);--t:var(--minor-t)}.partial_outage{--c:var(--major);--t:var(--major-t)}
.major_outage{--c:var(--crit);--t:var(--crit-t)}
.updated{margin:14px 2px 0;font-size:14px;color:var(--muted);text-align:right}
.empty{padding:22px;color:var(--muted)}
footer{margin-top:48px;padding:22px 0 40px;border-top:1px solid var(--line);font-size:14px;color:var(--muted)}
footer a{color:var(--muted)}
@media (max-width:560px){.masthead{padding-top:24px;padding-bottom:18px}.banner{padding:14px 16px}.banner h2{font-size:18px}
.component{flex-direction:column;align-items:flex-start;gap:8px;padding:14px 16px}
.components h2{padding:12px 16px}.updated{text-align:left}}
`;
