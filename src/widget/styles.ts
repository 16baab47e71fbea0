/**
 * The widget's only CSS, applied as a constructable stylesheet inside its shadow root: nothing is added
 * to the host page, no <style> element or style attribute exists (strict CSP needs no 'unsafe-inline'),
 * and the host's rules cannot reach inside. `:host` rules are !important because the page's own rules
 * on the host element itself (e.g. `* { all: unset }`) would otherwise win over them.
 * Theming: --aihub-* custom properties (they inherit through the shadow boundary) and data attributes.
 */
export const CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;inset:auto 20px 20px auto!important;visibility:visible!important;opacity:1!important;
--p:var(--aihub-primary,#2563eb);--pf:var(--aihub-on-primary,#fff);--bg:var(--aihub-bg,#fff);--fg:var(--aihub-fg,#111827);--mu:var(--aihub-muted,#6b7280);--bd:var(--aihub-border,#e5e7eb);--sf:var(--aihub-surface,#f3f4f6);--r:var(--aihub-radius,14px);
font:15px/1.5 var(--aihub-font,system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Noto Sans Arabic",sans-serif)!important;color:var(--fg)!important}
:host([data-position=left]){inset:auto auto 20px 20px!important}
:host([data-inline]){position:relative!important;inset:auto!important;z-index:auto!important}
:host([data-scheme=dark]){--bg:var(--aihub-bg,#111827);--fg:var(--aihub-fg,#f9fafb);--mu:#9ca3af;--bd:#374151;--sf:#1f2937}
@media (prefers-color-scheme:dark){:host([data-scheme=auto]){--bg:var(--aihub-bg,#111827);--fg:var(--aihub-fg,#f9fafb);--mu:#9ca3af;--bd:#374151;--sf:#1f2937}}
*{box-sizing:border-box;font:inherit;color:inherit;margin:0;padding:0}
[hidden]{display:none!important}
button{cursor:pointer;border:0;background:none}
button:focus-visible,textarea:focus-visible,a:focus-visible{outline:2px solid var(--p);outline-offset:2px}
.launch{width:56px;height:56px;border-radius:50%;background:var(--p);color:var(--pf);display:grid;place-items:center;box-shadow:0 6px 20px #0003}
.launch svg{width:26px;height:26px;fill:currentColor}
.panel{position:absolute;bottom:72px;right:0;width:min(400px,calc(100vw - 40px));height:min(620px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border:1px solid var(--bd);border-radius:var(--r);box-shadow:0 12px 40px #0004;overflow:hidden}
:host([data-position=left]) .panel{right:auto;left:0}
:host([data-inline]) .panel{position:static;width:100%;height:var(--aihub-height,560px);box-shadow:none}
@media (max-width:640px){:host(:not([data-inline])) .panel{position:fixed;inset:0;width:auto;height:auto;border-radius:0;border:0}}
header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--p);color:var(--pf)}
header h2{flex:1;font-weight:600;font-size:16px}
header button{color:var(--pf);font-size:20px;line-height:1;padding:4px 8px;border-radius:8px}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px}
.m{max-width:88%;padding:9px 12px;border-radius:var(--r);background:var(--sf);overflow-wrap:anywhere}
.m.u{align-self:flex-end;background:var(--p);color:var(--pf)}
.m.a{align-self:flex-start}
.m p+p,.m ul,.m ol,.m pre{margin-top:6px}
.m ul,.m ol{padding-inline-start:20px}
.m code{font-family:ui-monospace,monospace;font-size:13px;background:#0001;padding:0 3px;border-radius:4px}
.m pre{overflow-x:auto;background:#0001;padding:8px;border-radius:8px}
.m a{color:var(--p);text-decoration:underline}
.m.u a{color:inherit}
.m strong{font-weight:700}.m em{font-style:italic}
.cite{font-size:11px;vertical-align:super;color:var(--p);padding:0 2px;font-weight:700}
.nf{border:1px dashed var(--mu);background:none;color:var(--mu)}
.err{align-self:stretch;background:#fef2f2;color:#991b1b;border:1px solid #fecaca;display:flex;gap:8px;align-items:center;justify-content:space-between}
:host([data-scheme=dark]) .err{background:#450a0a;color:#fecaca;border-color:#7f1d1d}
.err button,.starters button,.chips button,.fb button,.fbc button{border:1px solid var(--bd);border-radius:999px;padding:4px 10px;font-size:13px;background:var(--bg);color:var(--fg)}
.starters{display:flex;flex-wrap:wrap;gap:6px}
.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.chips button[aria-expanded=true]{border-color:var(--p);color:var(--p)}
blockquote{margin-top:6px;padding:6px 10px;border-inline-start:3px solid var(--p);background:var(--bg);font-size:13px;white-space:pre-wrap;max-height:180px;overflow:auto}
.fb{display:flex;gap:6px;margin-top:6px;align-items:center;font-size:13px;color:var(--mu)}
.fb button[aria-pressed=true]{border-color:var(--p);color:var(--p)}
.fbc{display:flex;gap:6px;margin-top:6px}
.fbc textarea{flex:1;min-height:34px}
.busy{color:var(--mu);font-size:13px}
form{display:flex;gap:8px;padding:10px;border-top:1px solid var(--bd)}
textarea{flex:1;resize:none;border:1px solid var(--bd);border-radius:10px;padding:8px 10px;background:var(--bg);color:var(--fg);min-height:40px;max-height:120px}
form button{background:var(--p);color:var(--pf);border-radius:10px;padding:0 14px;font-weight:600}
form button:disabled{opacity:.5;cursor:default}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;
