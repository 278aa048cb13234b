/* global document, window, XMLHttpRequest, history */
// The upload page's script (served as /upload/upload-page.js; the page's CSP allows no inline
// script). Sends the chosen file as a raw text/csv body with XMLHttpRequest, which streams it
// from disk and reports upload progress; then polls the import until it finishes and shows the
// counts and the first rejected rows. The token goes in the Authorization header, never a URL.
(function () {
  'use strict';
  var body = document.body;
  var token = body.getAttribute('data-token');
  var maxBytes = Number(body.getAttribute('data-max-bytes'));
  // The token has done its job in the address bar; keep it out of history and referrers.
  if (history && history.replaceState) history.replaceState(null, '', window.location.pathname);

  var $ = function (id) { return document.getElementById(id); };
  var form = $('upload-form');
  var section = $('progress-section');
  var statusEl = $('status');
  var progress = $('progress');
  var detail = $('detail');
  var counts = $('counts');
  var rejected = $('rejected');

  function setStatus(text, kind) {
    statusEl.textContent = text;
    statusEl.className = 'status' + (kind ? ' ' + kind : '');
  }
  function mb(n) { return (n / (1024 * 1024)).toFixed(1) + ' MB'; }
  function errorText(xhrOrRes, parsed) {
    if (parsed && parsed.error && parsed.error.message) return parsed.error.message;
    if (!xhrOrRes || !xhrOrRes.status) return 'The upload could not reach the server. Check your connection and try again.';
    return 'The server answered ' + xhrOrRes.status + '. Try again in a moment.';
  }
  function parse(text) { try { return JSON.parse(text); } catch { return null; } }
  function authed(url) { return fetch(url, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' }); }

  var COUNT_LABELS = [['rowsRead', 'Rows read'], ['created', 'Created'], ['updated', 'Updated'], ['unchanged', 'Unchanged'], ['duplicate', 'Duplicates in file'], ['rejected', 'Rejected']];
  function showCounts(c) {
    counts.textContent = '';
    COUNT_LABELS.forEach(function (pair) {
      var div = document.createElement('div');
      var dt = document.createElement('dt');
      var dd = document.createElement('dd');
      dt.textContent = pair[1];
      dd.textContent = String(c[pair[0]] || 0);
      dd.setAttribute('data-count', pair[0]);
      div.appendChild(dt);
      div.appendChild(dd);
      counts.appendChild(div);
    });
  }

  function showRejected(importId) {
    return authed('/upload/imports/' + importId + '/rejected').then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok || !data.rows || !data.rows.length) return;
        var table = document.createElement('table');
        table.id = 'rejected-rows';
        table.innerHTML = '<thead><tr><th>Row</th><th>Why it was rejected</th></tr></thead>';
        var tbody = document.createElement('tbody');
        data.rows.forEach(function (r) {
          var tr = document.createElement('tr');
          var a = document.createElement('td');
          var b = document.createElement('td');
          a.textContent = String(r.rowNumber);
          b.textContent = r.reason;
          tr.appendChild(a);
          tr.appendChild(b);
          tbody.appendChild(tr);
        });
        table.appendChild(tbody);
        var title = document.createElement('div');
        title.className = 'status';
        title.textContent = data.total > data.rows.length ? 'Rejected rows (first ' + data.rows.length + ' of ' + data.total + ')' : 'Rejected rows';
        rejected.appendChild(title);
        rejected.appendChild(table);
      });
    });
  }

  function finish(view) {
    progress.value = 100;
    showCounts(view.counts);
    $('done').classList.remove('hidden');
    $('again').classList.remove('hidden');
    if (view.status === 'completed') {
      setStatus('Import complete', 'ok');
      detail.textContent = view.counts.rowsRead + ' rows read from ' + (view.fileName || 'the file') + '.';
      return showRejected(view.id);
    }
    setStatus('The import failed', 'error');
    detail.textContent = view.error || 'The file could not be imported.';
  }

  function poll(importId) {
    authed('/upload/imports/' + importId).then(function (res) {
      return res.json().then(function (view) {
        if (!res.ok) { setStatus(errorText(res, view), 'error'); return; }
        if (view.status === 'completed' || view.status === 'failed') return finish(view);
        setStatus(view.status === 'queued' ? 'Waiting for the import to start…' : 'Importing…');
        if (typeof view.progress === 'number') progress.value = Math.round(view.progress * 100);
        showCounts(view.counts);
        window.setTimeout(function () { poll(importId); }, 500);
      });
    }).catch(function () {
      setStatus('Lost contact with the server; retrying…', 'error');
      window.setTimeout(function () { poll(importId); }, 2000);
    });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var file = $('file').files[0];
    if (!file) { setStatus('Choose a CSV file first.', 'error'); section.classList.remove('hidden'); return; }
    if (file.size > maxBytes) { section.classList.remove('hidden'); setStatus('The file is ' + mb(file.size) + '; files up to ' + mb(maxBytes) + ' can be imported.', 'error'); return; }
    var query = '?mode=' + encodeURIComponent($('mode').value);
    var region = $('region').value.trim();
    if (region) query += '&defaultRegion=' + encodeURIComponent(region);
    query += '&fileName=' + encodeURIComponent(file.name);
    $('upload').disabled = true;
    section.classList.remove('hidden');
    rejected.textContent = '';
    counts.textContent = '';
    setStatus('Uploading ' + file.name + '…');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload/imports' + query);
    xhr.setRequestHeader('Authorization', 'Bearer ' + token);
    xhr.setRequestHeader('Content-Type', 'text/csv');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      progress.value = Math.round((e.loaded / e.total) * 100);
      detail.textContent = mb(e.loaded) + ' of ' + mb(e.total) + ' sent';
    };
    xhr.onload = function () {
      var data = parse(xhr.responseText);
      if (xhr.status !== 200 && xhr.status !== 202) {
        $('upload').disabled = false;
        setStatus(errorText(xhr, data), 'error');
        return;
      }
      detail.textContent = 'File received; importing.';
      progress.value = 0;
      poll(data.id);
    };
    xhr.onerror = function () {
      $('upload').disabled = false;
      setStatus(errorText(null, null), 'error');
    };
    xhr.send(file);
  });

  // HubSpot closes its iframe modal when the page posts {"action":"DONE"} to the parent.
  $('done').addEventListener('click', function () {
    if (window.parent && window.parent !== window) window.parent.postMessage(JSON.stringify({ action: 'DONE' }), '*');
  });
  $('again').addEventListener('click', function () {
    form.reset();
    $('upload').disabled = false;
    section.classList.add('hidden');
  });
})();
