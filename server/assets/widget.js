// Kho search widget. On another site:
//
//   <div id="kho-search"></div>
//   <script src="https://kho.example.gov.vn/widget.js" data-target="#kho-search" async></script>
//
// renders a search box whose results drop down below it, from this Kho server's /api/search. The site's
// origin must be allowed on the server (kho-serve --cors-origin https://site.example). Optional attributes:
// data-size (results in the list, 1-10, default 5), data-placeholder, data-label.
//
// Everything from the server is inserted as text; the only markup kept is <mark> around matched words.
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !window.fetch || !window.URL) return;

  var KIND_LABELS = { news: 'Tin tức', report: 'Báo cáo hội thảo', toolkit: 'Tài liệu hướng dẫn', other: 'Tài liệu khác' };
  var DEBOUNCE_MS = 200;
  var MIN_CHARS = 2;

  var base = new URL(script.src, window.location.href).href.replace(/\/widget\.js(?:[?#].*)?$/, '');
  var size = Math.min(10, Math.max(1, parseInt(script.getAttribute('data-size'), 10) || 5));
  var placeholder = script.getAttribute('data-placeholder') || 'Tìm tài liệu sản xuất sạch hơn…';
  var labelText = script.getAttribute('data-label') || 'Tìm trong kho tài liệu sản xuất sạch hơn';
  var selector = script.getAttribute('data-target');
  var target = null;
  try {
    target = selector ? document.querySelector(selector) : null;
  } catch (e) {
    target = null;
  }
  if (!target) {
    target = document.createElement('div');
    script.parentNode.insertBefore(target, script.nextSibling);
  }

  window.__khoWidgets = (window.__khoWidgets || 0) + 1;
  var uid = 'kho-widget-' + window.__khoWidgets;

  if (!document.querySelector('link[data-kho-widget]')) {
    var style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = base + '/assets/widget.css';
    style.setAttribute('data-kho-widget', '');
    document.head.appendChild(style);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Appends server HTML that is escaped text with <mark> tags, as text nodes and <mark> elements only.
  var decoder = new DOMParser();
  function appendMarked(parent, html) {
    var parts = String(html || '').split(/(<\/?mark>)/);
    var inMark = false;
    parts.forEach(function (part) {
      if (part === '<mark>') { inMark = true; return; }
      if (part === '</mark>') { inMark = false; return; }
      if (!part) return;
      var text = decoder.parseFromString('<!doctype html><body>' + part, 'text/html').body.textContent;
      if (inMark) parent.appendChild(el('mark', null, text));
      else parent.appendChild(document.createTextNode(text));
    });
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : (iso || '');
  }

  // The widget's elements.
  var root = el('div', 'kho-widget');
  var form = el('form', 'kho-w-form');
  form.setAttribute('role', 'search');
  form.action = base + '/';
  form.method = 'get';
  form.target = '_blank';
  var label = el('label', 'kho-w-label', labelText);
  label.htmlFor = uid + '-q';
  var row = el('div', 'kho-w-row');
  var input = el('input', 'kho-w-input');
  input.id = uid + '-q';
  input.name = 'q';
  input.type = 'search';
  input.placeholder = placeholder;
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.maxLength = 1000;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', uid + '-list');
  var button = el('button', 'kho-w-button', 'Tìm');
  button.type = 'submit';
  var panel = el('div', 'kho-w-panel');
  panel.hidden = true;
  var status = el('p', 'kho-w-status');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  var list = el('ul', 'kho-w-list');
  list.id = uid + '-list';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Kết quả tìm kiếm');
  var all = el('a', 'kho-w-all');
  all.target = '_blank';
  all.rel = 'noopener';
  row.appendChild(input);
  row.appendChild(button);
  form.appendChild(label);
  form.appendChild(row);
  panel.appendChild(status);
  panel.appendChild(list);
  panel.appendChild(all);
  root.appendChild(form);
  root.appendChild(panel);
  target.appendChild(root);

  var links = [];
  var active = -1;
  var timer = 0;
  var pending = null;

  function open() {
    panel.hidden = false;
    input.setAttribute('aria-expanded', list.children.length ? 'true' : 'false');
  }

  function close() {
    panel.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function showStatus(text) {
    list.replaceChildren();
    links = [];
    status.textContent = text;
    all.hidden = true;
    open();
  }

  function render(q, body) {
    list.replaceChildren();
    links = [];
    active = -1;
    var hits = body.hits || [];
    if (!hits.length) {
      showStatus('Không tìm thấy tài liệu nào. Hãy thử ít từ hơn, hoặc gõ không dấu.');
      return;
    }
    status.textContent = body.total + ' kết quả';
    hits.forEach(function (hit, i) {
      var option = el('li', 'kho-w-option');
      option.id = uid + '-option-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      var link = el('a', 'kho-w-link');
      link.href = base + '/documents/' + encodeURIComponent(hit.id) + '?q=' + encodeURIComponent(q) + '#first-match';
      link.target = '_blank';
      link.rel = 'noopener';
      link.tabIndex = -1;
      var title = el('span', 'kho-w-title');
      appendMarked(title, hit.title_html);
      var meta = el('span', 'kho-w-meta', [KIND_LABELS[hit.kind] || KIND_LABELS.other, formatDate(hit.date)].filter(Boolean).join(' · '));
      var snippet = el('span', 'kho-w-snippet');
      appendMarked(snippet, hit.snippet);
      link.appendChild(title);
      link.appendChild(meta);
      link.appendChild(snippet);
      option.appendChild(link);
      list.appendChild(option);
      links.push(link);
    });
    all.href = base + '/?q=' + encodeURIComponent(q);
    all.textContent = 'Xem tất cả ' + body.total + ' kết quả trên Kho ›';
    all.hidden = false;
    open();
  }

  function search() {
    var q = input.value.trim();
    if (q.length < MIN_CHARS) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    var url = base + '/api/search?q=' + encodeURIComponent(q) + '&size=' + size;
    fetch(url, { mode: 'cors', credentials: 'omit', signal: pending.signal, headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (input.value.trim() !== q) return;
        if (answer.ok) render(q, answer.body);
        else showStatus(String((answer.body && answer.body.message) || 'Lỗi').split(' / ')[0]);
      })
      .catch(function (error) {
        if (error && error.name === 'AbortError') return;
        showStatus('Không kết nối được với Kho.');
      });
  }

  function highlight(index) {
    if (active >= 0 && list.children[active]) list.children[active].setAttribute('aria-selected', 'false');
    active = index;
    if (active < 0) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    var option = list.children[active];
    option.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
  }

  input.addEventListener('input', function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, DEBOUNCE_MS);
  });

  input.addEventListener('keydown', function (event) {
    var count = links.length;
    if (event.key === 'ArrowDown' && count) {
      event.preventDefault();
      if (panel.hidden) open();
      highlight((active + 1) % count);
    } else if (event.key === 'ArrowUp' && count) {
      event.preventDefault();
      highlight(active <= 0 ? count - 1 : active - 1);
    } else if (event.key === 'Enter' && active >= 0 && links[active]) {
      event.preventDefault();
      links[active].click();
    } else if (event.key === 'Escape' && !panel.hidden) {
      event.preventDefault();
      close();
    }
  });

  input.addEventListener('focus', function () {
    if (list.children.length || status.textContent) open();
  });

  document.addEventListener('click', function (event) {
    if (!root.contains(event.target)) close();
  });
})();
