// Save forms save or unsave in place (post-in-place.js), and say so to screen readers.
window.postInPlace('data-save', (form, body) => {
  const button = form.querySelector('button');
  form.querySelector('input[name="save"]').value = body.saved ? '0' : '1';
  form.querySelector('.save-icon').textContent = body.saved ? '★' : '☆';
  form.querySelector('.save-label').textContent = body.saved ? 'Saved' : 'Save';
  button.setAttribute('aria-pressed', body.saved ? 'true' : 'false');
  button.setAttribute('title', body.saved ? 'Saved to your library: remove it' : 'Save to your library');
  const status = document.getElementById('save-status');
  if (status) status.textContent = body.saved ? 'Saved to your library.' : 'Removed from your library.';
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
