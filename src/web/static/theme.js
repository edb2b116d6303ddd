// Applies the reader's saved colour theme before the first paint (loaded in <head>, no inline script).
// "light" or "dark" overrides prefers-color-scheme; nothing saved means follow the system.
try {
  var saved = localStorage.getItem('paperboy-theme');
  if (saved === 'light' || saved === 'dark') document.documentElement.setAttribute('data-theme', saved);
} catch (e) {
  // Storage can be disabled; the system theme applies.
}
