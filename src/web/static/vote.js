// Progressive enhancement for upvote forms: vote without reloading the page. Without JavaScript the
// same forms post normally. The form says which state it wants (vote=1 / vote=0), so repeats are harmless.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-vote')) return;
  // Signed out, the plain form post leads to sign-in; asking with fetch first would only log a 401.
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
      const body = await res.json();
      window.location.href = body.signIn;
      return;
    }
    if (!res.ok) {
      form.submit(); // let the server explain (rate limit, locked voting) on a full page
      return;
    }
    const body = await res.json();
    for (const other of document.querySelectorAll('form[data-vote]')) {
      if (other.getAttribute('data-vote') !== form.getAttribute('data-vote')) continue;
      const b = other.querySelector('button');
      other.querySelector('input[name="vote"]').value = body.voted ? '0' : '1';
      other.querySelector('.vote-count').textContent = String(body.votes);
      other.querySelector('.vote-unit').textContent = body.votes === 1 ? ' upvote' : ' upvotes';
      b.setAttribute('aria-pressed', body.voted ? 'true' : 'false');
      b.setAttribute('title', body.voted ? 'Remove your upvote' : 'Upvote this paper');
    }
  } catch {
    form.submit();
  } finally {
    button.removeAttribute('aria-busy');
  }
});
