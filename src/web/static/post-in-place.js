// Progressive enhancement shared by the small state-setting forms (upvote, Save): submit with fetch
// and update the page in place. Each form says the state it asks for, so repeats are harmless.
// Without JavaScript the same forms post normally and come back; signed out (data-signed-out) they
// post normally too, to the sign-in page. Loaded before the scripts that call it (defer keeps order).
window.postInPlace = function (attribute, update) {
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute(attribute)) return;
    // Signed out, the plain post leads to sign-in; asking with fetch first would only log a 401.
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
        form.submit(); // let the server explain (rate limit, locked voting) on a full page
        return;
      }
      const body = await res.json();
      // The same paper can have several forms on a page (card and header): keep them all in step.
      const key = form.getAttribute(attribute);
      for (const other of document.querySelectorAll(`form[${attribute}]`)) {
        if (other.getAttribute(attribute) === key) update(other, body);
      }
    } catch {
      form.submit();
    } finally {
      button.removeAttribute('aria-busy');
    }
  });
};
