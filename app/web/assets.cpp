#include "app/web/assets.h"

#include "pipeline/report_json.h"
#include "pipeline/summary.h"

namespace clee::web {

std::string stylesheet() {
  // The report summary's own rules first (its banner, pills, evidence), then the page around it.
  return summary_css() + R"CSS(
:root{--ink:#1d2433;--muted:#64748b;--line:#e2e8f0;--bg:#f4f6fa;--card:#fff;--accent:#1e4e8c;--accent-ink:#fff;
--ok-bg:#e3f5e8;--ok:#14532d;--bad-bg:#fde4e4;--bad:#7f1d1d;--warn-bg:#fff4d6;--warn:#713f12;--info-bg:#e6eefc;--info:#1e3a8a}
*{box-sizing:border-box}
html{background:var(--bg)}
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif;color:var(--ink);margin:0;max-width:none;padding:0;background:var(--bg)}
.wrap{max-width:1280px;margin:0 auto;padding:0 1.25rem}
a{color:var(--accent)}
header.top{background:#17324f;color:#fff;box-shadow:0 1px 0 rgba(0,0,0,.15)}
header.top .wrap{display:flex;align-items:center;gap:1.5rem;min-height:3.2rem;flex-wrap:wrap}
.brand{color:#fff;text-decoration:none;font-weight:600;letter-spacing:.01em}
.logo{background:#f5b82e;color:#17324f;border-radius:.3rem;padding:.05rem .4rem;margin-right:.2rem;font-weight:800}
header nav{display:flex;gap:.25rem;flex:1}
header nav a{color:#cfdbeb;text-decoration:none;padding:.4rem .7rem;border-radius:.4rem}
header nav a:hover,header nav a.on{background:rgba(255,255,255,.12);color:#fff}
form.who{display:flex;gap:.6rem;align-items:center;margin:0;color:#cfdbeb}
button.link{background:none;border:1px solid rgba(255,255,255,.35);color:#fff;padding:.25rem .6rem;border-radius:.35rem;cursor:pointer;font:inherit;font-size:.9em}
main.wrap{padding-top:1.25rem;padding-bottom:3rem}
h1{font-size:1.5rem;line-height:1.25;margin:.2rem 0 .8rem}
h2{font-size:1.05rem;margin:1.4rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.3rem}
h3{font-size:.95rem;margin:0 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:1rem 1.25rem;margin-bottom:1rem;box-shadow:0 1px 2px rgba(15,23,42,.04)}
.card>h2:first-child{margin-top:0}
.muted,.sub{color:var(--muted)}
.sub{font-size:.85em}
.crumbs{margin:0 0 .5rem;color:var(--muted);font-size:.9em}
.pagehead{display:flex;justify-content:space-between;align-items:flex-end;gap:1rem;flex-wrap:wrap;margin-bottom:.5rem}
.pagehead p{margin:0}
.badge{display:inline-block;border-radius:999px;padding:.1rem .6rem;font-size:.8em;font-weight:600;white-space:nowrap;border:1px solid transparent}
.st-ready{background:var(--info-bg);color:var(--info);border-color:#bcd0f5}
.st-approved,.v-ok{background:var(--ok-bg);color:var(--ok);border-color:#b7e2c3}
.st-bad,.v-bad{background:var(--bad-bg);color:var(--bad);border-color:#f5c2c2}
.st-wait,.v-warn{background:var(--warn-bg);color:var(--warn);border-color:#f3dc9b}
.st-neutral{background:#eef1f5;color:#334155;border-color:#d9dee7}
.cleeid{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-weight:700;color:var(--ok);white-space:nowrap}
table.catalog td:last-child{white-space:nowrap}
.miss{color:var(--bad)}
ul.counts{list-style:none;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;margin:0 0 1rem}
ul.counts a{text-decoration:none;color:var(--ink)}
form.filter{display:flex;gap:.5rem;flex-wrap:wrap}
input,select,textarea{font:inherit;border:1px solid #cbd5e1;border-radius:.4rem;padding:.4rem .55rem;background:#fff;color:var(--ink)}
input[type=search]{min-width:16rem}
textarea{width:100%;resize:vertical}
button,.button{font:inherit;border:1px solid #cbd5e1;background:#fff;color:var(--ink);border-radius:.4rem;padding:.45rem .9rem;cursor:pointer;text-decoration:none;display:inline-block}
button:hover,.button:hover{border-color:#94a3b8}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-ink);font-weight:600}
button.danger{background:#fff;border-color:#e5a3a3;color:var(--bad);font-weight:600}
.tablewrap{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:.6rem}
table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid var(--line);padding:.5rem .65rem;text-align:left;vertical-align:top}
thead th{background:#f8fafc;font-size:.85em;color:#475569;text-transform:uppercase;letter-spacing:.03em;font-weight:600}
tbody tr:hover{background:#fafcff}
tbody tr:last-child td{border-bottom:0}
figure.pageimage{margin:0 0 1rem}
figure.pageimage svg{display:block;width:100%;height:auto;border:1px solid var(--line);background:#fff}
svg rect.hl{fill:rgba(245,184,46,.28);stroke:#c2410c;stroke-width:1.2}
svg rect.hl:hover{fill:rgba(245,184,46,.5)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
a.title{font-weight:600;text-decoration:none}
a.title:hover{text-decoration:underline}
.empty{color:var(--muted);text-align:center;padding:2rem}
.cols{display:grid;grid-template-columns:minmax(0,1fr) 22rem;gap:1rem;align-items:start}
.summary h1{font-size:1.6rem}
.summary h2{margin-top:1.6rem}
.summary table th{background:#f8fafc}
.summary blockquote{border-left-color:#f5b82e;background:#fffdf5;border-radius:0 .4rem .4rem 0;margin:.5rem 0 .75rem;padding:.55rem .9rem}
.summary blockquote cite{margin-top:.25rem}
.summary ul{padding-left:1.1rem}
.summary li{margin-bottom:.4rem}
.pill{font-size:1.02rem}
.packethead{margin-bottom:.75rem}
.outcome{border-radius:.6rem;padding:.9rem 1.2rem;margin-bottom:1rem;border:1px solid}
.outcome.ok{background:var(--ok-bg);color:var(--ok);border-color:#b7e2c3}
.outcome.bad{background:var(--bad-bg);color:var(--bad);border-color:#f5c2c2}
.outcome .big{font-size:1.3rem;font-weight:700}
.alert{border-radius:.4rem;padding:.5rem .8rem}
.alert.bad{background:var(--bad-bg);color:var(--bad)}
.decisions form{border-top:1px solid var(--line);padding:.8rem 0}
.decisions form:first-of-type{border-top:0;padding-top:0}
.decisions label{display:block;font-size:.9em;color:#475569;margin-bottom:.5rem}
.decisions select{margin-left:.5rem}
.decisions textarea{margin-top:.25rem}
.hint{font-size:.85em;color:var(--muted);margin:0 0 .6rem}
.summary table tr>th:first-child{width:34%}
.summary table tr:first-child>th+th{width:auto}
ul.doclist{list-style:none;padding:0;margin:0}
ul.doclist li{padding:.3rem 0;border-bottom:1px dashed var(--line);overflow-wrap:anywhere}
ul.doclist li:last-child{border-bottom:0}
ol.audit{list-style:none;padding:0;margin:0;font-size:.9em}
ol.audit li{padding:.35rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
ol.audit time{display:block;color:var(--muted);font-size:.85em;font-variant-numeric:tabular-nums}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:0}
pre.email{background:#f8fafc;border:1px solid var(--line);border-radius:.4rem;padding:.75rem;max-height:28rem;overflow:auto}
pre.pagetext{background:#fff}
nav.pager{display:flex;flex-wrap:wrap;gap:.3rem;margin:.5rem 0 1rem}
nav.pager a{border:1px solid var(--line);background:#fff;border-radius:.35rem;padding:.15rem .55rem;text-decoration:none}
nav.pager a.on{background:var(--accent);color:#fff;border-color:var(--accent)}
section.login{max-width:24rem;margin:3rem auto}
section.login label{display:block;margin-bottom:.8rem;font-size:.9em;color:#475569}
section.login input{display:block;width:100%;margin-top:.25rem}
section.login button{width:100%}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.summary{overflow-wrap:anywhere;min-width:0}
header nav a{white-space:nowrap}
@media (max-width:900px){.cols{grid-template-columns:minmax(0,1fr)}input[type=search]{min-width:0;flex:1}
.summary table{display:block;overflow-x:auto}.wrap{padding:0 .75rem}.card{padding:.8rem}h1,.summary h1{font-size:1.3rem}}
@media print{header.top,.decisions,form.filter,nav.pager,.button{display:none}html,body{background:#fff}
.cols{grid-template-columns:1fr}.card,.tablewrap{border:0;box-shadow:none;padding:0}.wrap{max-width:none;padding:0}
.badge,.outcome{border-color:#999}a{color:inherit;text-decoration:none}}
)CSS";
}

std::string script() {
  // Progressive enhancement only: every page works without it.
  return R"JS("use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select.autosubmit").forEach(function (s) {
    s.addEventListener("change", function () { if (s.form) s.form.submit(); });
  });
});
)JS";
}

}  // namespace clee::web
