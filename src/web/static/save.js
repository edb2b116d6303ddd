// Progressive enhancement for Save forms: save or unsave without reloading. Without JavaScript the
// same forms post normally and come back. The form says the state it wants, so repeats are harmless.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-save')) return;
  if (form.hasAttribute('data-signed-out')) return;
  event.preventDefault();
  const button = form.querySelector('button');
  if (!button || button.getAttribute('aria-busy') === 'true') return;
  button.setAttribute('aria-busy', 'true');
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (res.status === 401) {
      window.location.href = (await res.json()).signIn;
      return;
    }
    if (!res.ok) {
      form.submit();
      return;
    }
    const body = await res.json();
    for (const other of document.querySelectorAll('form[data-save]')) {
      if (other.getAttribute('data-save') !== form.getAttribute('data-save')) continue;
      const b = other.querySelector('button');
      other.querySelector('input[name="save"]').value = body.saved ? '0' : '1';
      other.querySelector('.save-icon').textContent = body.saved ? '★' : '☆';
      other.querySelector('.save-label').textContent = body.saved ? 'Saved' : 'Save';
      b.setAttribute('aria-pressed', body.saved ? 'true' : 'false');
      b.setAttribute('title', body.saved ? 'Saved to your library: remove it' : 'Save to your library');
    }
    const status = document.getElementById('save-status');
    if (status) status.textContent = body.saved ? 'Saved to your library.' : 'Removed from your library.';
  } catch {
    form.submit();
  } finally {
    button.removeAttribute('aria-busy');
  }
});
// Import: a chosen BibTeX or text file is read into the text box, so the form still posts plain text.
document.addEventListener('change', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.hasAttribute('data-import-file')) return;
  const file = input.files && input.files[0];
  const target = document.getElementById(input.getAttribute('data-import-file'));
  if (!file || !target) return;
  file.text().then((text) => { target.value = text; });
});
