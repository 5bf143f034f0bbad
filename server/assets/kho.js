// Kho's search page, enhanced: suggestions as you type in the search box (an ARIA combobox: arrow keys
// move through the list, Enter chooses, Escape closes), "/" to jump to the search box, and the filter
// panel folded on phones so that results come first.
// Without this script the page still works: the box is a plain GET form and the panel stays open.
(function () {
  'use strict';

  var facets = document.querySelector('details.facets');
  if (facets && window.matchMedia && window.matchMedia('(max-width: 56rem)').matches) facets.open = false;

  var input = document.getElementById('q');
  var list = document.getElementById('q-suggestions');
  if (!input || !list || !window.fetch) return;
  var form = input.form;
  var DEBOUNCE_MS = 120;
  var KIND_LABELS = { title: 'Tài liệu', phrase: '' };

  var suggestions = [];
  var active = -1;
  var timer = 0;
  var pending = null;
  var typed = input.value;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);

  function close() {
    list.hidden = true;
    list.replaceChildren();
    suggestions = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function render(items) {
    list.replaceChildren();
    suggestions = items;
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (!items.length) {
      close();
      return;
    }
    items.forEach(function (item, i) {
      var option = document.createElement('li');
      option.id = 'q-suggestion-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      var text = document.createElement('span');
      text.className = 'suggestion-text';
      text.textContent = item.text;
      option.appendChild(text);
      var label = KIND_LABELS[item.kind];
      if (label) {
        var kind = document.createElement('span');
        kind.className = 'suggestion-kind';
        kind.textContent = label;
        option.appendChild(kind);
      }
      // mousedown, not click: it comes before the input loses focus.
      option.addEventListener('mousedown', function (event) {
        event.preventDefault();
        choose(i);
      });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function highlight(index) {
    var options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = index;
    if (active < 0) {
      input.removeAttribute('aria-activedescendant');
      input.value = typed;
      return;
    }
    var option = options[active];
    option.setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', option.id);
    option.scrollIntoView({ block: 'nearest' });
    if (suggestions[active].kind === 'phrase') input.value = suggestions[active].text;
  }

  function choose(index) {
    var item = suggestions[index];
    if (!item) return;
    close();
    if (item.kind === 'title' && item.id) {
      window.location.href = '/documents/' + encodeURIComponent(item.id);
      return;
    }
    input.value = item.text;
    form.submit();
  }

  function fetchSuggestions() {
    var q = input.value;
    if (!q.trim()) {
      close();
      return;
    }
    if (pending) pending.abort();
    pending = new AbortController();
    fetch('/api/suggest?q=' + encodeURIComponent(q), { signal: pending.signal, headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
      .then(function (body) {
        if (input.value === q && document.activeElement === input) render(body.suggestions || []);
      })
      .catch(function () { /* aborted or offline: keep the plain search box */ });
  }

  input.addEventListener('input', function () {
    typed = input.value;
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
  });

  input.addEventListener('keydown', function (event) {
    var open = !list.hidden && suggestions.length > 0;
    if (event.key === 'ArrowDown') {
      if (!open) { fetchSuggestions(); return; }
      event.preventDefault();
      highlight(active + 1 < suggestions.length ? active + 1 : -1);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      highlight(active > 0 ? active - 1 : (active === 0 ? -1 : suggestions.length - 1));
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      input.value = typed;
      close();
    }
  });

  input.addEventListener('blur', function () { window.setTimeout(close, 150); });

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    var editing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === '/' && !editing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
      input.select();
    }
  });
})();
