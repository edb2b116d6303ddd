// Upvote forms vote in place (post-in-place.js); the answer says whether the viewer now votes and the count.
window.postInPlace('data-vote', (form, body) => {
  const button = form.querySelector('button');
  form.querySelector('input[name="vote"]').value = body.voted ? '0' : '1';
  form.querySelector('.vote-count').textContent = String(body.votes);
  form.querySelector('.vote-unit').textContent = body.votes === 1 ? ' upvote' : ' upvotes';
  button.setAttribute('aria-pressed', body.voted ? 'true' : 'false');
  button.setAttribute('title', body.voted ? 'Remove your upvote' : 'Upvote this paper');
});
