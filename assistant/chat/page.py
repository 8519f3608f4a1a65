"""The page's look and fixed content: CSS, the scripts that run in the browser, the theme, example questions."""
from __future__ import annotations

from collections.abc import Sequence

import gradio as gr

# Example questions for the shipped corpus, shown when their document is indexed.
EXAMPLES: dict[str, list[str]] = {
    "rand-russia-less-hardline": [
        "Summarize the RAND brief.",
        "What does the RAND brief recommend?",
        "What is a less-hardline approach?",
        "What are the potential benefits of a less-hardline approach?",
        "What happened during the U.S.-Soviet détente?",
    ],
    "oped-russia-incentives": [
        "Summarize the op-ed.",
        "What did Russia do when the U.S. expelled 10 diplomats?",
        "Do the op-ed and the RAND brief agree on offering Russia incentives?",
    ],
    "": ["Who won the 2018 FIFA World Cup?"],  # shows what an abstention looks like
}

CSS = """
.gradio-container { max-width: 1360px !important; }
#gw-header { padding: 4px 2px 0 2px; }
#gw-header h1 { font-size: 1.35rem; font-weight: 650; margin: 0 0 2px 0; color: var(--body-text-color); }
#gw-header p { margin: 0; color: var(--body-text-color-subdued); font-size: .92rem; }
#gw-chat .message-content { font-size: .95rem; line-height: 1.55; }
.gw-q { white-space: normal; }
.gw-scope { margin-top: 4px; font-size: .78rem; opacity: .75; }
.gw-answer { color: #1f2937; }
.gw-text { margin: 0 0 6px 0; }
.gw-quote { color: #111827; background: #f1f5f9; border-radius: 3px; padding: 0 2px; }
.gw-conn { color: #64748b; font-style: italic; }
.gw-readas { color: #475569; font-weight: 600; }
.gw-ref { color: #1d4ed8; font-weight: 600; font-size: .8em; vertical-align: super; margin: 0 1px; cursor: help; }
.gw-cursor { color: #6b7280; animation: gw-blink 1s steps(2) infinite; }
@keyframes gw-blink { 50% { opacity: 0; } }
.gw-pending { color: #4b5563; font-style: italic; }
.gw-draft .gw-text { color: #4b5563; }
.gw-spinner { display: inline-block; width: 10px; height: 10px; margin-right: 8px; border: 2px solid #93c5fd;
  border-top-color: #1d4ed8; border-radius: 50%; animation: gw-spin .8s linear infinite; }
@keyframes gw-spin { to { transform: rotate(360deg); } }
.gw-sources { margin-top: 10px; border-top: 1px solid #e5e7eb; padding-top: 8px; }
.gw-sources-h { font-size: .72rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: #6b7280; margin-bottom: 6px; }
.gw-src { background: #f8fafc; border: 1px solid #e2e8f0; border-radius: 8px; padding: 8px 10px; margin: 6px 0; color: #1f2937; }
.gw-src-head { display: flex; align-items: baseline; gap: 6px; flex-wrap: wrap; }
.gw-badge { background: #1d4ed8; color: #fff; border-radius: 4px; padding: 0 5px; font-size: .75rem; font-weight: 700; }
.gw-src-title { font-weight: 600; font-size: .9rem; }
.gw-src-meta { font-size: .78rem; color: #64748b; margin: 2px 0 4px 0; }
.gw-src-meta code, .gw-doc-meta code, .gw-index code { font-size: .74rem; background: #eef2f7; padding: 0 3px; border-radius: 3px; color: #334155; }
.gw-sec { font-style: italic; }
blockquote.gw-passage { margin: 4px 0 2px 0 !important; padding: 2px 0 2px 10px !important; border-left: 3px solid #cbd5e1 !important;
  font-size: .88rem; color: #374151; background: transparent !important; }
blockquote.gw-passage p, .gw-ctx-body p { margin: 3px 0 !important; }
mark.gw-hl { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 2px; box-shadow: 0 0 0 1px #f59e0b55; }
details.gw-ctx { margin-top: 4px; font-size: .86rem; }
details.gw-ctx > summary { cursor: pointer; color: #1d4ed8; font-size: .8rem; font-weight: 600; list-style-position: inside; }
.gw-ctx-body { margin-top: 6px; padding: 8px 10px; background: #fff; border: 1px solid #e5e7eb; border-radius: 6px;
  max-height: 340px; overflow-y: auto; color: #374151; }
.gw-ctx-body p { color: #6b7280; }
.gw-ctx-body p.gw-hit { color: #111827; }
.gw-dim { color: #94a3b8; font-weight: 400; }
.gw-foot { margin-top: 8px; font-size: .72rem; color: #94a3b8; }
.gw-abstained { border-left: 4px solid #d97706; background: #fffbeb; padding: 8px 12px; border-radius: 6px; }
.gw-abstain-label { font-size: .72rem; font-weight: 700; letter-spacing: .06em; text-transform: uppercase; color: #b45309; margin-bottom: 4px; }
.gw-abstained .gw-text { color: #78350f; font-weight: 500; }
.gw-abstained .gw-src { background: #fff; }
.gw-error { border-left: 4px solid #dc2626; background: #fef2f2; padding: 8px 12px; border-radius: 6px; }
.gw-error .gw-abstain-label { color: #b91c1c; }
.gw-notice { font-size: .8rem; color: #92400e; background: #fef3c7; border-radius: 4px; padding: 4px 8px; margin: 6px 0; }
#gw-side .gw-doc { padding: 8px 0; border-bottom: 1px solid var(--border-color-primary); }
#gw-side .gw-doc:last-child { border-bottom: none; }
.gw-doc-title { font-weight: 600; font-size: .86rem; line-height: 1.3; color: var(--body-text-color); }
.gw-doc-meta { font-size: .76rem; color: var(--body-text-color-subdued); margin-top: 2px; }
.gw-index { font-size: .74rem; color: var(--body-text-color-subdued); margin-top: 8px; padding-top: 6px; border-top: 1px dashed var(--border-color-primary); }
#gw-side h3 { font-size: .78rem; text-transform: uppercase; letter-spacing: .06em; color: var(--body-text-color-subdued); margin: 6px 0 2px 0; }
#gw-feedback { padding: 6px 10px; }
#gw-fb-note { font-size: .86rem; padding: 2px 2px 6px 2px; color: var(--body-text-color); }
.gw-readas { font-size: .9rem; margin: 0 0 6px 0; }
#gw-chat .bubble-wrap, #gw-chat [role="log"] { padding-bottom: 28px !important; }
#gw-filter-bar { border: 1px solid var(--border-color-primary); border-radius: 8px; }
#gw-filter-bar > button { padding: 6px 10px; font-weight: 600; }
#gw-count-box { margin-top: -10px; }
details.gw-tech > summary { cursor: pointer; color: #94a3b8; font-size: .72rem; }
details.gw-tech div { margin: 2px 0 0 0; }
details.gw-tech code { font-size: .7rem; background: #eef2f7; padding: 0 3px; border-radius: 3px; color: #334155; }
#gw-count-box { padding: 0 4px; }
#gw-count { font-size: .74rem; color: #64748b; text-align: right; }
#gw-count.gw-over { color: #b91c1c; font-weight: 600; }
#gw-export-file { position: absolute !important; width: 1px !important; height: 1px !important; min-width: 0 !important;
  overflow: hidden; clip-path: inset(50%); opacity: 0; pointer-events: none; }
#gw-filter-bar { padding: 0; }
.toast-wrap { top: auto !important; bottom: 16px !important; }
@media (max-width: 700px) {
  .gradio-container { padding: 6px !important; }
  #gw-header p { display: none; }
  #gw-chat { height: 62vh !important; min-height: 320px !important; }
}
"""

# After an answer is complete, scroll the chat so that its question is at the top (or to the end when
# the answer is short). The Chatbot's autoscroll would leave the end of the sources in view, and stops
# following once the user has scrolled up.
SHOW_ANSWER_START_JS = """() => { setTimeout(() => {  // after the Chatbot's own autoscroll has run
  const rows = document.querySelectorAll('#gw-chat .message-row');
  if (rows.length < 2) return;
  const q = rows[rows.length - 2];
  let box = q.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 4 && /auto|scroll/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  if (!box) return;
  const top = q.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 6;
  box.scrollTo({top: Math.max(0, Math.min(top, box.scrollHeight - box.clientHeight)), behavior: 'smooth'});
}, 450); }"""

# Runs once when the page loads (no server round trip):
# * the question counter under the box: characters typed against the limit, red past it;
# * each chat message's aria-label as plain text. Gradio labels a message with its raw content,
#   which for our answers is escaped HTML, so a screen reader read the markup aloud (issue 15).
PAGE_JS = """() => {
  const fmt = (n) => n.toLocaleString('en-US');
  const count = () => {
    const box = document.querySelector('#gw-question textarea'), out = document.getElementById('gw-count');
    if (!box || !out) return;
    const n = Array.from(box.value.trim()).length, lim = Number(out.dataset.limit);
    const text = n > lim ? `${fmt(n)} / ${fmt(lim)} characters: too long, shorten the question to ${fmt(lim)}`
                         : `${fmt(n)} / ${fmt(lim)} characters`;
    if (out.textContent !== text) out.textContent = text;
    out.classList.toggle('gw-over', n > lim);
  };
  const plain = () => {
    document.querySelectorAll('#gw-chat [data-testid="user"][aria-label], #gw-chat [data-testid="bot"][aria-label]')
      .forEach((el) => {
        const parts = Array.from(el.querySelectorAll('.gw-q, .gw-abstain-label, .gw-readas, .gw-text'));
        const raw = parts.length ? parts.map((p) => p.innerText || p.textContent || '').join('. ')
                                 : (el.innerText || el.textContent || '');
        const text = raw.replace(/\\s+/g, ' ').replace(/\\.\\s*\\./g, '.').trim().slice(0, 2000);
        if (!text) return;  // not rendered yet; the next mutation comes back here
        const clean = `${el.dataset.testid === 'user' ? 'Question' : 'Answer'}: ${text}`;
        if (el.getAttribute('aria-label') !== clean) el.setAttribute('aria-label', clean);
      });
  };
  document.addEventListener('input', count, true);
  setInterval(count, 400);
  new MutationObserver(plain).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      attributeFilter: ['aria-label']});
  count(); plain();
}"""

# After Export is clicked and the file is written: click the hidden download button, which holds it now.
CLICK_DOWNLOAD_JS = """() => { setTimeout(() => {
  const el = document.getElementById('gw-export-file');
  const button = el && (el.tagName === 'BUTTON' ? el : el.querySelector('button'));
  if (button) button.click();
}, 150); }"""

PLACEHOLDER = (
    "<div style='text-align:center;max-width:460px;margin:auto;color:#64748b'>"
    "<div style='font-size:1.05rem;font-weight:600;color:#334155;margin-bottom:6px'>Ask a question about the documents</div>"
    "Answers are quoted sentence by sentence from the indexed documents, each with a citation "
    "<b style='color:#1d4ed8'>[n]</b>. Open a source to read it in context. "
    "When the documents do not answer, the assistant says so and shows the closest passages."
    "</div>"
)

def theme() -> gr.themes.Base:
    """Local fonts only (staff machines may be offline), calm blue/slate palette."""
    return gr.themes.Default(
        primary_hue="blue", secondary_hue="slate", neutral_hue="slate",
        font=["Inter", "ui-sans-serif", "system-ui", "Segoe UI", "Helvetica Neue", "Arial", "DejaVu Sans", "sans-serif"],
        font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "DejaVu Sans Mono", "monospace"],
    )


def _examples_for(doc_ids: Sequence[str]) -> list[str]:
    out = [q for d in doc_ids for q in EXAMPLES.get(d, [])]
    return out + EXAMPLES[""] if out else []
