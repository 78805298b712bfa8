// Sou's page behaviour, on top of htmx 4 (loaded before this file, both deferred). Everything is delegated from
// `document`: a history restore swaps the whole <body>, and listeners on old elements would be lost.
(() => {
  'use strict';

  const BOX_ID = 'q';
  const FORM_ID = 'search-form';
  const isBox = (target) => target instanceof HTMLInputElement && target.id === BOX_ID;

  // --- Search as you type, patient with input methods -------------------------------------------------------
  // While an IME composes (compositionstart … compositionend), the box holds half-typed pinyin or zhuyin, and
  // every keystroke fires `input`. We ask htmx for a search (the `sou:search` event its hx-trigger listens to)
  // only outside a composition, and once when it ends: Chrome fires no `input` after compositionend (Safari
  // does; the 250 ms debounce merges the two).
  let composing = false;

  const askForSearch = (box) => box.dispatchEvent(new CustomEvent('sou:search', { bubbles: true }));

  document.addEventListener('compositionstart', (event) => {
    if (isBox(event.target)) composing = true;
  });
  document.addEventListener('compositionend', (event) => {
    if (!isBox(event.target)) return;
    composing = false;
    askForSearch(event.target);
  });
  document.addEventListener('input', (event) => {
    if (!isBox(event.target) || composing || event.isComposing) return;
    askForSearch(event.target);
  });

  // Every search htmx is about to send passes here (htmx:config:request can cancel it). Searches asked for by
  // typing are dropped when
  // - a composition is under way: a debounced search scheduled just before it began would send the pinyin;
  // - the query is the one last sent (a composition cancelled with Esc, a character deleted and typed again):
  //   nothing would change on screen, but another history entry would be pushed.
  // Enter (the form's submit) always searches. (htmx's own `changed` modifier is not used: it remembers a value
  // even when the request is then cancelled here, and would drop the search at compositionend.)
  let lastSent = null; // null: what the page was rendered with, the box's defaultValue
  document.addEventListener('htmx:config:request', (event) => {
    const ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.sourceElement || ctx.sourceElement.id !== FORM_ID) return;
    const box = document.getElementById(BOX_ID);
    const q = ctx.request.body instanceof FormData ? String(ctx.request.body.get('q') ?? '') : null;
    if (ctx.sourceEvent && ctx.sourceEvent.type === 'sou:search') {
      const shown = lastSent ?? (box ? box.defaultValue : null);
      if (composing || q === shown) {
        event.preventDefault();
        return;
      }
    }
    lastSent = q;
  });
  // Back/forward: htmx reloads the page's body from the server, so the box's defaultValue is what is shown.
  document.addEventListener('htmx:before:history:restore', () => {
    lastSent = null;
  });

  // --- Keyboard: "/" focuses the search box, unless the visitor is typing somewhere ---------------------------
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    if (target instanceof HTMLElement && (target.isContentEditable || target.closest('input, textarea, select'))) return;
    const box = document.getElementById(BOX_ID);
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // --- Focus after a swap --------------------------------------------------------------------------------------
  // Typing keeps focus in the box (only #results is replaced). A pager link is replaced with the results it
  // fetched, which drops focus to <body>: move it to the new results instead, so keyboard users stay in place.
  document.addEventListener('htmx:after:settle', () => {
    const results = document.getElementById('results');
    if (results && (document.activeElement === null || document.activeElement === document.body)) {
      results.focus({ preventScroll: true });
    }
  });

  // --- The box follows the results' query -------------------------------------------------------------------
  // A facet link adds or removes a filter in the query text (in:新闻) and swaps only #results: the box, outside
  // it, is given the query those results are of (data-q), unless the visitor is typing in it.
  document.addEventListener('htmx:after:settle', () => {
    const shown = document.querySelector('#results [data-q]');
    const box = document.getElementById(BOX_ID);
    if (!shown || !(box instanceof HTMLInputElement) || document.activeElement === box) return;
    const q = shown.getAttribute('data-q') ?? '';
    if (box.value !== q) box.value = q;
    lastSent = q;
  });

  // --- Document page: bring the linked paragraph into view ---------------------------------------------------
  // With #p-n in the address the browser scrolls by itself; ?p=n alone (e.g. after the hash was edited away)
  // still names the paragraph the result was about.
  const showTarget = () => {
    const target = document.querySelector('.para.is-target');
    if (target && !location.hash) target.scrollIntoView({ block: 'center' });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', showTarget);
  else showTarget();
})();
