extension PageAssets {
    static let css = #"""
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1b2a3a;background:#f3f6f9;font-size:14px;display:flex;flex-direction:column}
header{background:#1b2a3a;color:#fff;padding:8px 16px;display:flex;align-items:baseline;gap:24px;flex-wrap:wrap}
header h1{margin:0;font-size:1.25em}header h1 span{font-weight:400;opacity:.75;margin-left:6px}
#status{margin:0;opacity:.9;font-size:.92em}
#status[data-state=loading]::before{content:"⏳ "}
#status[data-state=error]{color:#ffb4a8}
main{flex:1;display:grid;grid-template-columns:270px minmax(400px,1fr) 370px;gap:10px;padding:10px;min-height:0}
aside{background:#fff;border:1px solid #d5dde4;border-radius:6px;padding:8px 12px;overflow:auto}
h2{font-size:1.02em;margin:6px 0 6px;color:#2b4a66}h3{font-size:.95em;margin:10px 0 4px;color:#2b4a66}
section+section{border-top:1px solid #e6ecf1;margin-top:6px;padding-top:4px}
label{display:block;margin:4px 0;font-size:.92em;color:#3c5468}
select,input[type=text],input[type=search]{width:100%;padding:4px 6px;border:1px solid #b9c6d2;border-radius:4px;font:inherit;background:#fff}
.row{display:flex;flex-wrap:wrap;gap:4px;margin:4px 0}
button,label.button{font:inherit;font-size:.9em;padding:3px 8px;border:1px solid #8fa6ba;border-radius:4px;background:#eef3f7;color:#1b2a3a;cursor:pointer;margin:0}
button:hover,label.button:hover{background:#dde7ef}
label.button input{display:none}
.hint{color:#5f7f8f;font-size:.85em;margin:4px 0}
#search-results,#member-list{list-style:none;margin:4px 0;padding:0;max-height:190px;overflow:auto}
#search-results li{padding:3px 4px;cursor:pointer;border-bottom:1px solid #eef2f5}
#search-results li:hover{background:#eef3f7}
#search-results small,#member-list small{color:#5f7f8f}
#member-list li{display:flex;justify-content:space-between;align-items:center;gap:4px;padding:1px 0;border-bottom:1px solid #eef2f5;font-size:.88em}
#member-list li span{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
#member-list button{padding:0 6px;flex:none}
#map-panel{position:relative;background:#fff;border:1px solid #d5dde4;border-radius:6px;display:flex;flex-direction:column;min-height:0}
#map{flex:1;width:100%;min-height:300px;background:#e8eff5;border-radius:6px 6px 0 0;cursor:grab;touch-action:none;user-select:none}
#map.dragging{cursor:grabbing}
#map-tools{position:absolute;top:8px;left:8px;display:flex;flex-direction:column;gap:4px;z-index:2}
#map-tools button{width:30px;height:30px;font-size:1.1em;padding:0;background:#fff}
svg path{vector-effect:non-scaling-stroke}
#map path.epci{fill:#fbfcfd;stroke:#9aabba;stroke-width:.8;cursor:pointer}
#map path.epci:hover{fill:#ffe9a8}
#map path.epci.member{stroke:#fff;stroke-width:1.2}
#map path.epci.member:hover{fill-opacity:.75}
#layer-analysis{pointer-events:none}
svg path.outline{fill:none;stroke:#1b2a3a;stroke-width:2.6}
svg path.overlap{fill:none;stroke:#7b52ab;stroke-width:2;stroke-dasharray:2 3}
svg path.remedy{fill:#2a9d5c;fill-opacity:.25;stroke:#2a9d5c;stroke-width:1.5;stroke-dasharray:2 2;pointer-events:none}
ul.remedies li{border-color:#2a9d5c}ul.remedies li button{margin-left:8px}
svg path.enclave{fill:#d62728;fill-opacity:.4;stroke:#d62728;stroke-width:1.5;stroke-dasharray:4 3}
svg path.border{fill:none;stroke:#6a1b9a;stroke-width:2.2;stroke-dasharray:7 4}
svg path.outside{fill-opacity:.45;stroke:#fff;stroke-width:1}
#tooltip{position:absolute;pointer-events:none;background:rgba(27,42,58,.92);color:#fff;padding:3px 7px;border-radius:4px;font-size:.85em;z-index:3;max-width:320px}
.legend{margin:0;padding:6px 10px;font-size:.85em;color:#3c5468}
.legend span{margin-right:12px;white-space:nowrap}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}
.sw.line{border:2px solid #1b2a3a;background:transparent}
.sw.dash{border-top:2px dashed #6a1b9a;height:0;border-radius:0}
.figures{display:grid;grid-template-columns:repeat(2,1fr);gap:6px}
.figures div{background:#f5f8fb;border:1px solid #d5dde4;border-radius:5px;padding:5px 8px}
.figures b{display:block;font-size:1.15em}
.figures span{font-size:.82em;color:#5f7f8f}
.verdict{font-weight:600;margin:8px 0}
.verdict.ok{color:#2a7d4f}.verdict.ko{color:#c62828}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{border-left:5px solid #8aa;background:#f8fafc;margin:0 0 5px;padding:5px 8px;border-radius:0 5px 5px 0;font-size:.92em}
ul.findings li.bloquant{border-color:#c62828}ul.findings li.attention{border-color:#e07b00}ul.findings li.info{border-color:#2f6db3}
ul.findings li.empty{border-color:#b9c6d2;color:#5f7f8f}
.sev{font-weight:700;margin-right:5px}.faq{color:#5f7f8f;font-size:.85em;margin-left:4px;white-space:nowrap}
table{border-collapse:collapse;width:100%;font-size:.88em;margin:4px 0 8px}
td,th{border:1px solid #d5dde4;padding:3px 5px;text-align:left;vertical-align:top}th{background:#eef3f7}
td.num{text-align:right}
#compare{margin:0 10px 10px;background:#fff;border:1px solid #d5dde4;border-radius:6px;padding:8px 12px}
.compare-head{display:flex;justify-content:space-between;align-items:center}
#compare-body{display:grid;grid-template-columns:1fr 1fr;gap:14px}
#compare-body svg{width:100%;height:260px;background:#e8eff5;border-radius:5px}
#compare-body table td:first-child{width:42%}
footer{padding:4px 16px 8px;color:#5f7f8f;font-size:.8em}
@media(max-width:1100px){main{grid-template-columns:1fr;}#map{min-height:420px}}
"""#
}
