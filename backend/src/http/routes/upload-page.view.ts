// The upload page's HTML. No inline script (the CSP allows our own file only): the token and
// limits travel as data attributes, escaped, and the page script reads them.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `
  body { font-family: "Lexend Deca", Helvetica, Arial, sans-serif; color: #33475b; margin: 24px; font-size: 14px; }
  h1 { font-size: 20px; margin: 0 0 4px; } p.lead { margin: 0 0 20px; color: #516f90; }
  fieldset { border: 1px solid #cbd6e2; border-radius: 4px; padding: 16px; margin: 0 0 16px; }
  label { display: block; font-weight: 600; margin: 10px 0 4px; }
  select, input[type=text] { padding: 6px 8px; border: 1px solid #cbd6e2; border-radius: 3px; font-size: 14px; }
  button { background: #ff7a59; color: #fff; border: 0; border-radius: 3px; padding: 9px 18px; font-size: 14px; cursor: pointer; margin-right: 8px; }
  button.secondary { background: #eaf0f6; color: #506e91; border: 1px solid #cbd6e2; }
  button:disabled { opacity: .5; cursor: default; }
  progress { width: 100%; height: 14px; margin: 6px 0; }
  .status { font-weight: 600; margin: 12px 0 4px; } .error { color: #d94c53; } .ok { color: #00a38d; }
  table { border-collapse: collapse; width: 100%; margin-top: 8px; } th, td { text-align: left; border-bottom: 1px solid #dfe3eb; padding: 6px 8px; }
  dl.counts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 12px 0; }
  dl.counts div { background: #f5f8fa; border-radius: 4px; padding: 10px; } dt { color: #516f90; font-size: 12px; } dd { margin: 0; font-size: 20px; font-weight: 600; }
  .actions { margin-top: 16px; }
  .hidden { display: none; }`;

export function renderUploadPage(x: { token: string; expiresAt: number; maxBytes: number }): string {
  const mb = Math.floor(x.maxBytes / (1024 * 1024));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Upload contacts</title><style>${STYLE}</style></head>
<body data-token="${escapeHtml(x.token)}" data-expires-at="${x.expiresAt}" data-max-bytes="${x.maxBytes}">
<h1>Upload contacts from a CSV file</h1>
<p class="lead">Columns such as phone, first name, last name, email and company are recognised by their headers. Files up to ${mb} MB.</p>
<form id="upload-form">
  <fieldset>
    <label for="file">CSV file</label>
    <input id="file" name="file" type="file" accept=".csv,.tsv,.txt,text/csv" required>
    <label for="mode">If a contact with the same phone number already exists</label>
    <select id="mode" name="mode"><option value="update">Update it with the file's values</option><option value="keep">Keep it as it is</option></select>
    <label for="region">Country for numbers written without +country code (optional)</label>
    <input id="region" name="defaultRegion" type="text" maxlength="2" size="4" placeholder="US">
  </fieldset>
  <button id="upload" type="submit">Upload</button>
</form>
<section id="progress-section" class="hidden" aria-live="polite">
  <div class="status" id="status">Uploading…</div>
  <progress id="progress" max="100" value="0"></progress>
  <div id="detail"></div>
  <dl class="counts" id="counts"></dl>
  <div id="rejected"></div>
  <div class="actions"><button id="done" type="button" class="hidden">Done</button><button id="again" type="button" class="secondary hidden">Upload another file</button></div>
</section>
<script src="/upload/upload-page.js"></script>
</body></html>`;
}

export function renderUploadRefusal(message: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Upload contacts</title><style>${STYLE}</style></head>
<body><h1>Upload contacts</h1><p class="status error" id="status">${escapeHtml(message)}</p></body></html>`;
}
