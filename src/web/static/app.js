// paperboy's progressive enhancements. Every page works without this file; it only adds:
// the theme toggle, copy buttons (BibTeX), the "/" search shortcut, and copying maths as its TeX source.
(function () {
  'use strict';

  // Theme toggle: automatic → light → dark → automatic. Revealed only when this script runs.
  var THEMES = ['auto', 'light', 'dark'];
  var LABELS = { auto: 'automatic', light: 'light', dark: 'dark' };
  function currentTheme() {
    return document.documentElement.getAttribute('data-theme') || 'auto';
  }
  function applyTheme(theme) {
    if (theme === 'auto') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    try {
      if (theme === 'auto') localStorage.removeItem('paperboy-theme');
      else localStorage.setItem('paperboy-theme', theme);
    } catch (e) { /* storage disabled: the choice lasts for this page only */ }
  }
  function labelToggle(button) {
    button.setAttribute('aria-label', 'Colour theme: ' + LABELS[currentTheme()] + '. Change theme');
  }
  document.querySelectorAll('.theme-toggle').forEach(function (button) {
    button.hidden = false;
    labelToggle(button);
    button.addEventListener('click', function () {
      var next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length];
      applyTheme(next);
      labelToggle(button);
    });
  });

  // Copy buttons: <button data-copy="ID" hidden> copies the text of #ID.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) return;
    var label = button.textContent;
    var status = document.createElement('span');
    status.className = 'copy-status';
    status.setAttribute('role', 'status');
    button.after(status);
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(target.textContent).then(function () {
        status.textContent = 'Copied';
        button.textContent = 'Copied ✓';
        setTimeout(function () { button.textContent = label; status.textContent = ''; }, 2000);
      }, function () {
        status.textContent = 'Could not copy: select the text and copy it instead';
      });
    });
  });

  // "/" focuses the header's search box, as on most sites with search; typing in a field is left alone.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById('q');
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Forms that wait on something slow (fetching a paper from arXiv) say so while the request runs:
  // <form data-busy="Fetching from arXiv…">. The button is disabled so a second click sends nothing.
  document.querySelectorAll('form[data-busy]').forEach(function (form) {
    form.addEventListener('submit', function () {
      var button = form.querySelector('button[type="submit"]');
      if (!button) return;
      form.setAttribute('aria-busy', 'true');
      button.disabled = true;
      button.textContent = form.getAttribute('data-busy');
    });
  });

  // Copying a selection that contains rendered maths puts the TeX source ($…$) on the clipboard.
  document.addEventListener('copy', function (event) {
    var selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || !event.clipboardData) return;
    var fragment = selection.getRangeAt(0).cloneContents();
    var maths = fragment.querySelectorAll('math');
    if (maths.length === 0) return;
    maths.forEach(function (math) {
      var tex = math.querySelector('annotation[encoding="application/x-tex"]');
      if (!tex) return;
      var display = math.getAttribute('display') === 'block';
      math.replaceWith(document.createTextNode(display ? '$$' + tex.textContent + '$$' : '$' + tex.textContent + '$'));
    });
    var holder = document.createElement('div');
    holder.appendChild(fragment);
    event.clipboardData.setData('text/plain', holder.textContent);
    event.preventDefault();
  });
})();
