// The search box's suggestions: the ARIA combobox pattern (input role=combobox, #suggestions role=listbox) on
// top of htmx 4, which fetches the options (GET /suggest, on our `sou:suggest` event; see views/search-form.ts).
// This file only asks for them and handles the keyboard and the mouse:
// - ArrowDown / ArrowUp move the active option (aria-activedescendant; focus stays in the box), opening the list;
// - Enter picks the active option (it fills the box and submits the form), or submits what was typed;
// - Escape closes the list (and keeps the text, which a search box would otherwise clear);
// - a click picks an option; leaving the box closes the list.
// Nothing is asked while an input method composes (compositionstart … compositionend): the box then holds
// half-typed pinyin, and its keys belong to the input method. Delegated from `document`, like app.js.
(() => {
  'use strict';

  const BOX_ID = 'q';
  const LIST_ID = 'suggestions';
  const FORM_ID = 'search-form';
  const isBox = (target) => target instanceof HTMLInputElement && target.id === BOX_ID;
  const box = () => document.getElementById(BOX_ID);
  const list = () => document.getElementById(LIST_ID);
  const options = () => {
    const listbox = list();
    return listbox ? [...listbox.querySelectorAll('[role="option"]')] : [];
  };

  let composing = false;
  let active = -1;
  // After a pick, options still on their way belong to what was typed before it: show none until the next edit.
  let waitingForInput = false;

  function setActive(index) {
    const items = options();
    active = index >= 0 && index < items.length ? index : -1;
    items.forEach((item, i) => item.setAttribute('aria-selected', i === active ? 'true' : 'false'));
    const input = box();
    if (!input) return;
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', items[active].id);
      items[active].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function show(open) {
    const listbox = list();
    const input = box();
    if (!listbox || !input) return;
    const visible = open && options().length > 0;
    listbox.hidden = !visible;
    input.setAttribute('aria-expanded', visible ? 'true' : 'false');
    if (!visible) setActive(-1);
  }

  const isOpen = () => {
    const listbox = list();
    return Boolean(listbox) && !listbox.hidden;
  };

  function pick(option) {
    const input = box();
    const form = document.getElementById(FORM_ID);
    if (!input || !option) return;
    input.value = option.dataset.value || option.textContent || '';
    waitingForInput = true;
    show(false);
    if (form) form.requestSubmit();
  }

  const askForSuggestions = (input) => {
    waitingForInput = false;
    if (input.value.trim() === '') {
      show(false);
      return;
    }
    input.dispatchEvent(new CustomEvent('sou:suggest'));
  };

  document.addEventListener('compositionstart', (event) => {
    if (!isBox(event.target)) return;
    composing = true;
    show(false);
  });
  document.addEventListener('compositionend', (event) => {
    if (!isBox(event.target)) return;
    composing = false;
    askForSuggestions(event.target);
  });
  document.addEventListener('input', (event) => {
    if (!isBox(event.target) || composing || event.isComposing) return;
    askForSuggestions(event.target);
  });

  // A delayed request that comes due mid-composition, or for a box emptied meanwhile, is not sent.
  document.addEventListener('htmx:config:request', (event) => {
    const ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.sourceElement || ctx.sourceElement.id !== BOX_ID) return;
    const input = box();
    if (composing || waitingForInput || !input || input.value.trim() === '') event.preventDefault();
  });
  // New options: none active; shown while the box has focus and the visitor has not moved on.
  document.addEventListener('htmx:after:swap', (event) => {
    const ctx = event.detail && event.detail.ctx;
    if (!ctx || !ctx.sourceElement || ctx.sourceElement.id !== BOX_ID) return;
    setActive(-1);
    show(!composing && !waitingForInput && document.activeElement === box());
  });

  document.addEventListener('keydown', (event) => {
    if (!isBox(event.target) || composing || event.isComposing) return;
    const items = options();
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (items.length === 0 || event.altKey) return;
      event.preventDefault();
      const down = event.key === 'ArrowDown';
      if (!isOpen()) {
        show(true);
        setActive(down ? 0 : items.length - 1);
        return;
      }
      setActive(down ? (active + 1) % items.length : active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === 'Enter') {
      if (isOpen() && active >= 0) {
        event.preventDefault();
        pick(items[active]);
      } else {
        waitingForInput = true;
        show(false); // the form submits what was typed
      }
    } else if (event.key === 'Escape') {
      if (isOpen()) {
        event.preventDefault();
        show(false);
      }
    }
  });

  const optionOf = (target) => (target instanceof Element ? target.closest(`#${LIST_ID} [role="option"]`) : null);
  // mousedown would move focus out of the box (and close the list) before the click lands.
  document.addEventListener('mousedown', (event) => {
    if (optionOf(event.target)) event.preventDefault();
  });
  document.addEventListener('click', (event) => {
    const option = optionOf(event.target);
    if (option) pick(option);
  });
  document.addEventListener('focusout', (event) => {
    if (isBox(event.target)) show(false);
  });
})();
